/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event ABI shared by bpf/sock_lifecycle.bpf.c and src/tracer/. Plain C,
 * fixed-width types, explicit padding and no logic, so that clang -target bpf
 * and g++ lay the structs out identically; src/tracer/event.cpp and
 * src/tracer/stack.cpp static_assert the sizes. A breaking change bumps SOCKSCOPE_ABI_VERSION.
 *
 * The BPF side includes vmlinux.h (which defines __u8..__u64) before this
 * header; user space gets them from <linux/types.h>.
 */
#ifndef SOCKSCOPE_ABI_EVENTS_H
#define SOCKSCOPE_ABI_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SOCKSCOPE_ABI_VERSION 1

#define SOCKSCOPE_COMM_LEN 16
/* 108 = sizeof(sun_path); one more byte keeps a NUL after a full path. */
#define SOCKSCOPE_PATH_LEN 112
/* SCM_RIGHTS fds reported per message (the kernel allows 253). */
#define SOCKSCOPE_MAX_SCM_FDS 8
#define SOCKSCOPE_PREFIX_LEN 64
/* sockscope_event.flags of a close: the fd held the file's last reference,
 * so this close releases the socket (bpf/lib/read_sock.h file_last_ref()). */
#define SOCKSCOPE_CLOSE_LAST 1

enum sockscope_event_kind {
	SOCKSCOPE_EV_SOCKET = 1,
	SOCKSCOPE_EV_SOCKETPAIR,
	SOCKSCOPE_EV_BIND,
	SOCKSCOPE_EV_LISTEN,
	SOCKSCOPE_EV_CONNECT,
	SOCKSCOPE_EV_ACCEPT,	/* accept and accept4 */
	SOCKSCOPE_EV_SHUTDOWN,
	SOCKSCOPE_EV_CLOSE,
	SOCKSCOPE_EV_SENDMSG,	/* only when carrying SCM_RIGHTS */
	SOCKSCOPE_EV_RECVMSG,	/* only when carrying SCM_RIGHTS */
	SOCKSCOPE_EV_UNLINK,	/* unlink and unlinkat */
	SOCKSCOPE_EV_RENAME,	/* rename, renameat, renameat2 */
	SOCKSCOPE_EV_EXEC,	/* execve and execveat */
	SOCKSCOPE_EV_FORK,
	SOCKSCOPE_EV_EXIT,
	SOCKSCOPE_EV_SIGNAL,	/* signal_generate: flags = signal, child_tgid = target,
				 * path = target comm, ret = TRACE_SIGNAL_* result */
	SOCKSCOPE_EV_MAX,
};

/* What addr[] holds. */
enum sockscope_addr_kind {
	SOCKSCOPE_ADDR_NONE = 0,
	SOCKSCOPE_ADDR_UNIX_PATH,	/* path[] is a filesystem path */
	SOCKSCOPE_ADDR_UNIX_ABSTRACT,	/* path[] is the name after the leading NUL */
	SOCKSCOPE_ADDR_UNIX_UNNAMED,	/* autobind or unnamed: addrlen == 2 */
	SOCKSCOPE_ADDR_INET,		/* addr[0..3], port */
	SOCKSCOPE_ADDR_INET6,		/* addr[0..15], port */
};

/* Per-CPU counters in the `stats` map, index = enum value. */
enum sockscope_stat {
	SOCKSCOPE_STAT_RINGBUF_FULL = 0,	/* event lost: ring buffer full */
	SOCKSCOPE_STAT_ARGS_FULL, /* event lost: per-tid args map full */
	SOCKSCOPE_STAT_MAX,
};

struct sockscope_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
	__u64 cgroup_id;
	__u64 sock_ino;		/* inode of fd (socket, bind, close, ...) */
	__u64 sock_ino2; /* socketpair: 2nd; accept: listener; unix bind:
				 * inode of the socket file it made */
	__u64 peer_ino;		/* unix peer's inode when the kernel knows it */
	__s64 ret;		/* syscall return value; -errno on failure */
	__u32 kind;		/* enum sockscope_event_kind */
	__u32 tgid;		/* host pid */
	__u32 tid;		/* host thread id */
	__u32 nspid;		/* pid in the task's own pid namespace */
	__u32 ppid;		/* host pid of the real parent */
	__u32 uid;
	__u32 netns_ino;
	__u32 mntns_ino;
	__s32 fd;		/* the fd argument, or the new fd */
	__s32 fd2;		/* socketpair: 2nd fd; accept: listener fd */
	__u32 child_tgid;	/* fork: the new process */
	__s32 exit_code;	/* exit: wait status (code << 8 | signal) */
	__u16 family;		/* AF_* of the socket (or of the address) */
	__u16 sock_type;	/* SOCK_* without flags */
	__u16 addr_kind;	/* enum sockscope_addr_kind */
	__u16 port;		/* host byte order */
	__u32 flags;		/* shutdown: how; accept4/socket: flags; rename: flags */
	__u32 nfds;		/* SCM_RIGHTS fds in fds[] (capped) */
	__u32 path_len;		/* bytes used in path[] (abstract names hold NULs) */
	__u32 nfds_total;	/* SCM_RIGHTS fds in the message, before the cap */
	__u8 addr[16];		/* inet: network byte order */
	__s32 fds[SOCKSCOPE_MAX_SCM_FDS];
	__u64 fd_inos[SOCKSCOPE_MAX_SCM_FDS];	/* recvmsg: inode of each new fd */
	char comm[SOCKSCOPE_COMM_LEN];
	char path[SOCKSCOPE_PATH_LEN];	/* sun_path ('@' + name if abstract), unlink or
					 * rename source, exec file */
	char path2[SOCKSCOPE_PATH_LEN];	/* rename target */
};

#define SOCKSCOPE_EVENT_SIZE 472

/*
 * User stack of one syscall, a ring buffer record of its own (only with
 * cfg_stacks), emitted at sys_enter just before the event is started, so it
 * precedes its event in the ring buffer. It links to the event by
 * (tid, ts_ns): both are taken from the same fill_task() call.
 * `kind` sits at the same offset as sockscope_event.kind (48), so a reader
 * tells the two apart by that one field. Variable length: the header, then
 * copy_len bytes of user stack starting at user address copy_base.
 */
#define SOCKSCOPE_REC_STACK	0x5354	/* 'ST': never an event kind */
#define SOCKSCOPE_STACK_REGS	17	/* DWARF x86_64: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
#define SOCKSCOPE_STACK_FP_MAX	127	/* perf_event_max_stack default */
#define SOCKSCOPE_STACK_PAGE	4096
#define SOCKSCOPE_STACK_MAX	(64 * 1024)

enum sockscope_stack_flags {	/* an unreadable page is a bit of `holes`, not a flag */
	SOCKSCOPE_STACK_NO_REGS = 2,		/* bpf_task_pt_regs gave nothing */
	SOCKSCOPE_STACK_HELD = 4,		/* its process gets SIGSTOP (hold): answer with SIGCONT */
	SOCKSCOPE_STACK_TOP_KNOWN = 8,		/* stack_top is the end of sp's mapping (bpf_find_vma) */
};

struct sockscope_stack {
	__u64 ts_ns;		/* == the event's ts_ns */
	__u64 copy_base;	/* user address of data[0] (sp & ~4095) */
	__u32 copy_len;		/* bytes in data[] */
	__u32 fp_len;		/* frames in fp[] */
	__u32 flags;		/* enum sockscope_stack_flags */
	__u32 holes;		/* bit i: page i of data[] could not be read (not resident) */
	__u32 tgid;
	__u32 tid;
	__u64 stack_top;	/* end of the mapping holding sp (0: unknown) */
	__u32 kind;		/* SOCKSCOPE_REC_STACK, offset 48 as in sockscope_event */
	__u32 event_kind;	/* enum sockscope_event_kind of the linked event */
	__u64 regs[SOCKSCOPE_STACK_REGS];
	__u64 fp[SOCKSCOPE_STACK_FP_MAX];	/* bpf_get_stack(BPF_F_USER_STACK) */
	__u8 data[SOCKSCOPE_STACK_MAX];		/* only copy_len bytes are sent */
};

#define SOCKSCOPE_STACK_HDR_SIZE 1208	/* offsetof(struct sockscope_stack, data) */

#endif /* SOCKSCOPE_ABI_EVENTS_H */
