/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User stacks for socket events (docs/stacks.md). Called right after the
 * sys_enter handlers: if one of them started a pending event that wants a
 * stack, this emits a struct sockscope_stack record with
 *  - the user registers (bpf_task_pt_regs(), kernel >= 5.15): at syscall
 *    entry they are the user's, ip is the instruction after `syscall`;
 *  - the frame-pointer chain (bpf_get_stack(BPF_F_USER_STACK)), the fallback
 *    where DWARF unwinding in user space runs out (JIT code);
 *  - a copy of the user stack: 4 KiB pages from sp & ~4095 to the end of
 *    sp's mapping (bpf_find_vma), at most cfg_stack_pages; pages that cannot
 *    be read are holes (flags, holes), not the end.
 * The record goes out at enter, not kept in a map until exit: the copy
 * (up to 64 KiB) would not fit the per-tid `pending` entry, and user space
 * links the two by (tid, ts_ns) anyway.
 */
#ifndef SOCKSCOPE_BPF_STACK_H
#define SOCKSCOPE_BPF_STACK_H

#include "emit.h"

const volatile bool cfg_stacks = false;
const volatile bool cfg_stack_close = false;	/* close() too (costly: many closes) */
/* Only the syscalls that make a socket (the recorder: one stack per socket) */
const volatile bool cfg_stack_create_only = false;
const volatile __u32 cfg_stack_pages = 8;	/* 32 KiB */
/* Stop a process at its first stacked syscall (and again after each exec)
 * until user space has read its mappings (it sends SIGCONT): a process that
 * exits right after socket() would otherwise be gone before they are read.
 * Opt-in. */
const volatile bool cfg_stack_hold = false;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);	/* tgid */
	__type(value, __u8);
} stack_held SEC(".maps");

/* Scratch space for one record per CPU. A plain array indexed by CPU, since
 * per-CPU array values are limited to 32 KiB (PCPU_MIN_UNIT_SIZE). User space
 * sets max_entries to the number of possible CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sockscope_stack);
} stack_scratch SEC(".maps");

/* Syscalls whose events may carry a stack; constant-folded per entry point. */
static __always_inline bool nr_wants_stack(long nr)
{
	switch (nr) {
	case NR_socket: case NR_socketpair: case NR_bind: case NR_listen:
	case NR_connect: case NR_accept: case NR_accept4: case NR_close:
		return true;
	}
	return false;
}

static __always_inline void stack_regs(struct sockscope_stack *s)
{
	/* libbpf 1.1 declares the helper as returning long: it is a BTF pointer. */
	struct pt_regs *r = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	if (!r) {
		s->flags |= SOCKSCOPE_STACK_NO_REGS;
		return;
	}
	s->regs[0] = r->ax;	s->regs[1] = r->dx;	s->regs[2] = r->cx;
	s->regs[3] = r->bx;	s->regs[4] = r->si;	s->regs[5] = r->di;
	s->regs[6] = r->bp;	s->regs[7] = r->sp;	s->regs[8] = r->r8;
	s->regs[9] = r->r9;	s->regs[10] = r->r10;	s->regs[11] = r->r11;
	s->regs[12] = r->r12;	s->regs[13] = r->r13;	s->regs[14] = r->r14;
	s->regs[15] = r->r15;	s->regs[16] = r->ip;
}

struct stack_vma_ctx {
	__u64 end;
};

static long stack_vma_end(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	((struct stack_vma_ctx *)data)->end = vma->vm_end;
	return 0;
}

/* The end of the mapping that holds sp: the copy stops there, so it is as
 * long as the thread's stack holds, not a guess. bpf_find_vma() exists since
 * v5.17 (7c7e3d31e785 "bpf: Introduce helper bpf_find_vma"); on older
 * kernels the CO-RE check folds the call away and the copy runs to
 * cfg_stack_pages. -EBUSY (mmap_lock contended) leaves the top unknown. */
static __always_inline __u64 stack_top_of(__u64 sp)
{
	struct stack_vma_ctx c = { 0 };

	if (!bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_find_vma))
		return 0;
	if (bpf_find_vma(bpf_get_current_task_btf(), sp, stack_vma_end, &c, 0))
		return 0;
	return c.end;
}

/* Pages from sp & ~4095 up to the stack's top (or cfg_stack_pages). A page
 * that cannot be read is a hole, not the end: bpf_probe_read_user() cannot
 * fault a page in, and a frame with large locals (HotSpot 17.0.21's
 * Threads::create_vm reserves 8 KiB) leaves pages never touched between
 * live frames. perf's copy stops at such a page; this one goes on, and user
 * space fails only the reads that land in a hole. */
static __always_inline __u32 stack_copy(struct sockscope_stack *s)
{
	__u64 base = s->regs[7] & ~(__u64)(SOCKSCOPE_STACK_PAGE - 1);
	__u64 top = stack_top_of(s->regs[7]);
	__u32 pages = cfg_stack_pages, len = 0;

	s->copy_base = base;
	s->stack_top = top;
	if (top > base) {
		s->flags |= SOCKSCOPE_STACK_TOP_KNOWN;
		if ((top - base) / SOCKSCOPE_STACK_PAGE < pages)
			pages = (top - base) / SOCKSCOPE_STACK_PAGE;
	}
	for (int i = 0; i < SOCKSCOPE_STACK_MAX / SOCKSCOPE_STACK_PAGE; i++) {
		if (i >= pages)
			break;
		if (bpf_probe_read_user(&s->data[i * SOCKSCOPE_STACK_PAGE], SOCKSCOPE_STACK_PAGE,
					(const void *)(base + i * SOCKSCOPE_STACK_PAGE))) {
			s->holes |= 1u << i;
			continue;
		}
		len = (i + 1) * SOCKSCOPE_STACK_PAGE;	/* trailing holes are not sent */
	}
	return len;
}

/* Whether this record is the one that stops its process: the first stacked
 * syscall of each program image. The record says so (SOCKSCOPE_STACK_HELD),
 * and only such a record is answered with SIGCONT: an earlier record of the
 * same pid, read late, must not resume a hold it did not make. */
static __always_inline bool stack_hold_claim(__u32 tgid)
{
	__u8 one = 1;

	/* The lookup spares the LRU a node per syscall; BPF_NOEXIST makes the
	 * claim atomic (two threads of one program may race to it). A traced
	 * task (strace, gdb) is not held: its tracer would take the SIGSTOP
	 * into a signal-delivery stop and inject it after our SIGCONT. */
	if (!cfg_stack_hold || bpf_map_lookup_elem(&stack_held, &tgid))
		return false;
	if (bpf_get_current_task_btf()->ptrace)
		return false;
	return !bpf_map_update_elem(&stack_held, &tgid, &one, BPF_NOEXIST);
}

/* The hold is per program image, not per pid: after an exec the process
 * maps other files (a shell that made a socket and then exec'd a container's
 * binary was never held again), and after an exit the pid names another
 * process. Called from sched_process_exec and sched_process_exit, which see
 * every process whatever the filters. */
static __always_inline void stack_hold_reset(__u32 tgid)
{
	if (cfg_stack_hold)
		bpf_map_delete_elem(&stack_held, &tgid);
}

static __always_inline void stack_capture(void *ctx, long nr)
{
	__u32 tid, cpu;
	struct pending *p;
	struct sockscope_stack *s;
	long n;
	__u32 len;

	if (!cfg_stacks || !nr_wants_stack(nr))
		return;
	if (nr == NR_close && !cfg_stack_close)
		return;
	if (cfg_stack_create_only && nr != NR_socket && nr != NR_socketpair &&
	    nr != NR_accept && nr != NR_accept4)
		return;
	tid = (__u32)bpf_get_current_pid_tgid();
	p = pending_of_current(0);
	/* The caller checked that sys_enter() began this very event. Its age
	 * is no test: a vCPU that the hypervisor or a preempting task holds
	 * for a millisecond between the two would lose the stack silently. */
	if (!p || !p->ev.kind)
		return;
	cpu = bpf_get_smp_processor_id();
	s = bpf_map_lookup_elem(&stack_scratch, &cpu);
	if (!s)
		return;
	s->ts_ns = p->ev.ts_ns;
	s->tgid = p->ev.tgid;
	s->tid = tid;
	s->kind = SOCKSCOPE_REC_STACK;
	s->event_kind = p->ev.kind;
	s->flags = 0;
	s->holes = 0;
	s->stack_top = 0;
	s->copy_len = 0;
	stack_regs(s);
	n = bpf_get_stack(ctx, s->fp, sizeof(s->fp), BPF_F_USER_STACK);
	s->fp_len = n > 0 ? (__u64)n / 8 : 0;
	len = 0;
	if (!(s->flags & SOCKSCOPE_STACK_NO_REGS))
		len = stack_copy(s);
	s->copy_len = len;
	/* The verifier must see the bound on the very register passed as size. */
	len = bounded(SOCKSCOPE_STACK_HDR_SIZE + len, 0x1ffff);
	if (len > sizeof(*s))
		return;
	if (stack_hold_claim(s->tgid))
		s->flags |= SOCKSCOPE_STACK_HELD;
	/* Woken at once: user space snapshots the process's mappings while it
	 * is alive (a process may exit right after the syscall). */
	if (bpf_ringbuf_output(&events, s, len, BPF_RB_FORCE_WAKEUP)) {
		stat_inc(SOCKSCOPE_STAT_RINGBUF_FULL);
		if (s->flags & SOCKSCOPE_STACK_HELD)
			stack_hold_reset(s->tgid);	/* the next one may hold */
		return;
	}
	/* SIGSTOP is queued now (from irq_work when this runs with interrupts
	 * disabled or a raised preempt count, which fires as soon as they are
	 * enabled) and acts when the syscall returns to user mode, so the
	 * process cannot exit before user space answers with SIGCONT. User
	 * space waits to see it pending or acted before answering, since it
	 * may read the record first. A refused signal (-EBUSY: the per-CPU
	 * irq_work in use; -EPERM) keeps the claim: this program goes without
	 * a hold, and user space's wait ends at its timeout. Dropping the
	 * claim here would not help: the record is already out. bpf_send_signal()
	 * exists since v5.3 (8b401f9ed244 "bpf: implement bpf_send_signal()
	 * helper"). */
	if (s->flags & SOCKSCOPE_STACK_HELD)
		bpf_send_signal(19 /* SIGSTOP */);
}

#endif /* SOCKSCOPE_BPF_STACK_H */
