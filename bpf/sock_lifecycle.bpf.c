// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket lifecycle tracer: a thin table of entry points. Three rungs attach
 * the same handlers (lib/handlers.h); user space picks one before load with
 * bpf_program__set_autoload() (src/tracer/tracer.cpp):
 *   tp_*   syscalls:sys_enter_X / sys_exit_X   (CONFIG_FTRACE_SYSCALLS)
 *   raw_*  raw_syscalls sys_enter / sys_exit as raw tracepoints (v4.17)
 *   ks_*   ksyscall kprobes on __x64_sys_X     (CONFIG_KPROBES)
 * Process events use raw tracepoints on sched_process_fork/exit on every rung:
 * they need no tracefs and give the task pointers.
 */
#include "lib/dispatch.h"
#include "lib/stack.h"

char LICENSE[] SEC("license") = "GPL";

/* One tracepoint pair per syscall (rung a). The syscalls:* record starts like
 * trace_event_raw_sys_enter: common fields, nr, then the six arguments. */
#define TP_PAIR(name)							\
SEC("tracepoint/syscalls/sys_enter_" #name)				\
int tp_enter_##name(struct trace_event_raw_sys_enter *ctx)		\
{									\
	if (sys_enter(NR_##name, ctx->args[0], ctx->args[1],		\
		      ctx->args[2], ctx->args[3], ctx->args[4]))	\
		stack_capture(ctx, NR_##name);				\
	return 0;							\
}									\
SEC("tracepoint/syscalls/sys_exit_" #name)				\
int tp_exit_##name(struct trace_event_raw_sys_exit *ctx)		\
{									\
	return sys_exit(NR_##name, ctx->ret);				\
}

/* The same through kprobes on the syscall functions (rung c). */
#define KS_PAIR(name)							\
SEC("ksyscall/" #name)							\
int BPF_KSYSCALL(ks_enter_##name, long a0, long a1, long a2, long a3,	\
		 long a4)						\
{									\
	if (sys_enter(NR_##name, a0, a1, a2, a3, a4))			\
		stack_capture(ctx, NR_##name);				\
	return 0;							\
}									\
SEC("kretsyscall/" #name)						\
int BPF_KRETPROBE(ks_exit_##name, long ret)				\
{									\
	return sys_exit(NR_##name, ret);				\
}

#define SYSCALLS(X)							\
	X(socket) X(socketpair) X(bind) X(listen) X(connect) X(accept)	\
	X(accept4) X(shutdown) X(close) X(sendmsg) X(recvmsg) X(unlink)	\
	X(unlinkat) X(rename) X(renameat) X(renameat2) X(execve)	\
	X(execveat)

SYSCALLS(TP_PAIR)
SYSCALLS(KS_PAIR)

#define TS_COMPAT	0x0002	/* arch/x86/include/asm/thread_info.h */

/* 32-bit tasks number syscalls differently (syscall_32.tbl: 41 is dup), so
 * raw_syscalls must skip them; the syscalls:* tracepoints already do
 * (arch_trace_is_compat_syscall()). Not decoded: a known gap. */
static __always_inline bool compat_task(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(t, thread_info.status) & TS_COMPAT;
}

/* The syscalls sys_enter()/sys_exit() handle: rung b checks this before it
 * reads any argument, since every syscall of the machine passes there. */
static __always_inline bool nr_traced(long nr)
{
	switch (nr) {
	case NR_socket: case NR_socketpair: case NR_bind: case NR_connect:
	case NR_listen: case NR_shutdown: case NR_accept: case NR_accept4:
	case NR_close: case NR_sendmsg: case NR_recvmsg: case NR_unlink:
	case NR_unlinkat: case NR_rename: case NR_renameat: case NR_renameat2:
	case NR_execve: case NR_execveat:
		return true;
	}
	return false;
}

/* x86_64 struct pt_regs from r10 to di: the five argument registers in one
 * kernel read instead of five (the layout is the kernel's entry ABI,
 * arch/x86/include/asm/ptrace.h, unchanged since the x86 merge). */
struct syscall_args {
	__u64 r10, r9, r8, ax, cx, dx, si, di;
};

static __always_inline bool syscall_args(struct pt_regs *regs, struct syscall_args *a)
{
	return !bpf_probe_read_kernel(a, sizeof(*a), &regs->r10);
}

/* Rung b: the raw_syscalls tracepoints as raw tracepoints (v4.17): no
 * tracefs needed, and detaching one does not wait for an RCU tasks-trace
 * grace period under a global mutex as a perf-event tracepoint link does
 * (perf_event_detach_bpf_prog()), so the tracer exits in milliseconds.
 * TP_PROTO(struct pt_regs *regs, long id) and (regs, long ret); the
 * arguments are in the syscall registers: di si dx r10 r8 (r9 unused). */
SEC("raw_tp/sys_enter")
int raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = ctx->args[1];

	struct syscall_args a;

	if (!nr_traced(nr) || compat_task())
		return 0;
	if (!syscall_args(regs, &a))
		return 0;
	if (sys_enter(nr, a.di, a.si, a.dx, a.r10, a.r8))
		stack_capture(ctx, nr);
	return 0;
}

SEC("raw_tp/sys_exit")
int raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	/* Every syscall of the machine passes here: the number through the
	 * task's BTF pt_regs is a direct load, not a helper read. */
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	long nr = regs->orig_ax;

	if (!nr_traced(nr) || compat_task())
		return 0;
	return sys_exit(nr, ctx->args[1]);
}

#include "lib/proc_events.h"
