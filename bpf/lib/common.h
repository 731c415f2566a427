/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layer 0 of the kernel side: constants, maps and rodata knobs. Helpers are
 * layered common.h -> task.h -> read_sock.h -> read_user.h -> emit.h ->
 * handlers.h; each includes only the layers below it.
 */
#ifndef SOCKSCOPE_BPF_COMMON_H
#define SOCKSCOPE_BPF_COMMON_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "events.h"

/* uapi values that vmlinux.h (types only) does not carry. */
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define SOL_SOCKET	1
#define SCM_RIGHTS	1
#define SOCK_TYPE_MASK	0xf

/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define NR_close	3
#define NR_socket	41
#define NR_connect	42
#define NR_accept	43
#define NR_sendmsg	46
#define NR_recvmsg	47
#define NR_shutdown	48
#define NR_bind		49
#define NR_listen	50
#define NR_socketpair	53
#define NR_execve	59
#define NR_rename	82
#define NR_unlink	87
#define NR_unlinkat	263
#define NR_renameat	264
#define NR_accept4	288
#define NR_renameat2	316
#define NR_execveat	322

/* Filters, set by user space before load (src/tracer/tracer.cpp). */
const volatile __u32 cfg_self_tgid = 0;		/* never trace the tracer */
const volatile bool cfg_filter_pids = false;	/* only tgids in traced_tgids */
const volatile bool cfg_signals = false;	/* emit signal_generate events */
const volatile __u64 cfg_cgroup_id = 0;
const volatile __u16 cfg_family = 0;
const volatile __s32 cfg_fd = -1;
const volatile char cfg_comm[SOCKSCOPE_COMM_LEN] = {};
const volatile char cfg_path_prefix[SOCKSCOPE_PREFIX_LEN] = {};
const volatile __u32 cfg_path_prefix_len = 0;
/* Wake the reader only once this much is queued (no wakeup per event). */
const volatile __u64 cfg_wakeup_bytes = 64 * 1024;

/* Facts of a thread that rarely change, kept with its pending entry, and
 * the pointers that tell whether they did (task.h: fill_task_cached()). */
struct task_cache {
	__u64 nsproxy;	/* task->nsproxy: replaced, never changed in place */
	__u64 parent;	/* task->real_parent */
	__u32 netns_ino;
	__u32 mntns_ino;
	__u32 ppid;
	__u32 nspid;	/* of the thread group leader: fixed for life */
};

/* An event being built between sys_enter and sys_exit of one thread. */
struct pending {
	struct sockscope_event ev;
	__u64 uptr;	/* recvmsg: user msghdr; socketpair: user sv[2] */
	struct task_cache cache;	/* kept from one syscall to the next */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} events SEC(".maps");

/* The event each task has in flight between sys_enter and sys_exit.
 * Task-local storage (v5.11, commit 4cf1bc1f1045 "bpf: Implement task local
 * storage"; tracing programs may use it since then) instead of a tid-keyed
 * hash: one pointer lookup per syscall instead of an insert, a lookup and a
 * delete, no table to fill up, it follows a thread through a multithreaded
 * exec (which changes its tid), and it is freed with the task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pending);
} pending SEC(".maps");

/* All-zero source for new pending entries (never written). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending);
} zero_pending SEC(".maps");

/* The traced process tree when cfg_filter_pids is set. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);	/* tgid */
	__type(value, __u8);
} traced_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKSCOPE_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* v & mask, done in asm so clang cannot drop the mask after proving a
 * tighter bound itself: the verifier needs to see the AND on the very
 * register that is passed as a size. */
static __always_inline __u32 bounded(__u32 v, const __u32 mask)
{
	asm volatile("%[v] &= %[m]" : [v] "+r"(v) : [m] "i"(mask));
	return v;
}

static __always_inline void stat_inc(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &what);

	if (v)
		*v += 1;	/* per-CPU slot: no atomics needed */
}

#endif /* SOCKSCOPE_BPF_COMMON_H */
