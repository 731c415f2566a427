// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket lifecycle tracer: a thin table of entry points. Three rungs attach
 * the same handlers (lib/handlers.h); user space picks one before load with
 * bpf_program__set_autoload() (src/tracer/tracer.cpp):
 *   tp_*   syscalls:sys_enter_X / sys_exit_X   (CONFIG_FTRACE_SYSCALLS)
 *   raw_*  raw_syscalls:sys_enter / sys_exit   (any tracepoint kernel)
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
	sys_enter(NR_##name, ctx->args[0], ctx->args[1],		\
		  ctx->args[2], ctx->args[3], ctx->args[4]);		\
	stack_capture(ctx, NR_##name);					\
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
	sys_enter(NR_##name, a0, a1, a2, a3, a4);			\
	stack_capture(ctx, NR_##name);					\
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

/* Rung b: every syscall passes here; the switch in sys_enter() drops the
 * ones we do not handle after a few compares. */
SEC("tracepoint/raw_syscalls/sys_enter")
int raw_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (compat_task())
		return 0;
	sys_enter(ctx->id, ctx->args[0], ctx->args[1], ctx->args[2],
		  ctx->args[3], ctx->args[4]);
	stack_capture(ctx, ctx->id);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int raw_exit(struct trace_event_raw_sys_exit *ctx)
{
	if (compat_task())
		return 0;
	return sys_exit(ctx->id, ctx->ret);
}

#include "lib/proc_events.h"
