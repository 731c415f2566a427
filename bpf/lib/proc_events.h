/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Process events and the pid-tree filter. Raw tracepoints (v4.17) hand us the
 * task pointers: sched_process_fork(parent, child) and
 * sched_process_exit(task[, group_dead since v6.16]); we read only args[0..1],
 * which every version has.
 */
#ifndef SOCKSCOPE_BPF_PROC_EVENTS_H
#define SOCKSCOPE_BPF_PROC_EVENTS_H

#include "emit.h"
#include "stack.h"

/* Ring buffer memory is not zeroed: build the event fully before submit. */
static __always_inline struct sockscope_event *proc_event_begin(__u32 kind)
{
	struct sockscope_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		stat_inc(SOCKSCOPE_STAT_RINGBUF_FULL);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->fd = -1;
	e->fd2 = -1;
	fill_task(e);
	return e;
}

SEC("raw_tp/sched_process_fork")
int raw_tp_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	__u32 parent_tgid = bpf_get_current_pid_tgid() >> 32;
	struct sockscope_event *e;
	__u8 one = 1;

	/* A new thread joins its process: nothing to record. */
	if (child_tgid == parent_tgid)
		return 0;
	if (cfg_filter_pids && bpf_map_lookup_elem(&traced_tgids, &parent_tgid))
		bpf_map_update_elem(&traced_tgids, &child_tgid, &one, BPF_ANY);
	if (!task_wanted())
		return 0;
	e = proc_event_begin(SOCKSCOPE_EV_FORK);
	if (!e)
		return 0;
	e->child_tgid = child_tgid;
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

/* A new program image may be held again (--hold-new). Every exec, as the
 * filters may not want the exec'ing task yet (--comm matches the new name),
 * and on every rung: the syscall exit is not the only way out of an exec.
 * sched_process_exec(p, old_pid, bprm) is a raw tracepoint since v3.4. */
SEC("raw_tp/sched_process_exec")
int raw_tp_exec(struct bpf_raw_tracepoint_args *ctx)
{
	stack_hold_reset(bpf_get_current_pid_tgid() >> 32);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int raw_tp_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct sockscope_event *e;
	bool wanted;

	/* A thread killed inside a syscall never reaches sys_exit: its
	 * pending entry goes with the task (task storage). */
	/* do_exit() decrements signal->live before this tracepoint; zero means
	 * the last thread is leaving, i.e. the process exits. */
	if (BPF_CORE_READ(t, signal, live.counter) != 0)
		return 0;
	wanted = task_wanted();
	if (cfg_filter_pids)
		bpf_map_delete_elem(&traced_tgids, &tgid);
	stack_hold_reset(tgid);
	if (!wanted)
		return 0;
	e = proc_event_begin(SOCKSCOPE_EV_EXIT);
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(t, exit_code);
	/* The last thread may not be the leader; report the process. */
	e->tid = tgid;
	/* Force a wakeup: `sockscope run` waits for its child's exit event. */
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return 0;
}

/*
 * Who sent which signal to whom: signal_generate(sig, info, task, group,
 * result), a raw tracepoint since v3.x (include/trace/events/signal.h).
 * The sender is the current task; an event is kept when the sender or the
 * target is wanted, so a pid-tree trace also sees signals sent to its tree.
 */
SEC("raw_tp/signal_generate")
int raw_tp_signal(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *target = (struct task_struct *)ctx->args[2];
	__u32 target_tgid = BPF_CORE_READ(target, tgid);
	struct sockscope_event *e;

	if (!cfg_signals)
		return 0;
	if (!task_wanted() &&
	    !(cfg_filter_pids && bpf_map_lookup_elem(&traced_tgids, &target_tgid)))
		return 0;
	e = proc_event_begin(SOCKSCOPE_EV_SIGNAL);
	if (!e)
		return 0;
	e->flags = (__u32)ctx->args[0];
	e->child_tgid = target_tgid;
	e->ret = (__s64)ctx->args[4];
	BPF_CORE_READ_STR_INTO(&e->path, target, comm);
	e->path_len = SOCKSCOPE_COMM_LEN;
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

#endif /* SOCKSCOPE_BPF_PROC_EVENTS_H */
