/* SPDX-License-Identifier: GPL-2.0-only */
/* Layer 4: the per-thread pending event and its way to the ring buffer. */
#ifndef SOCKSCOPE_BPF_EMIT_H
#define SOCKSCOPE_BPF_EMIT_H

#include "read_user.h"

/* This task's pending entry; created on first use with @flags =
 * BPF_LOCAL_STORAGE_GET_F_CREATE. */
static __always_inline struct pending *pending_of_current(__u64 flags)
{
	return bpf_task_storage_get(&pending, bpf_get_current_task_btf(), NULL, flags);
}

/* Starts an event at sys_enter, or returns NULL when the task is filtered
 * out (then sys_exit finds no event of its kind). The entry is task storage,
 * not stack: the event is larger than the 512-byte BPF stack. */
static __always_inline struct pending *pending_begin(__u32 kind)
{
	__u32 zero = 0;
	struct pending *p, *z;

	if (!task_wanted())
		return NULL;
	z = bpf_map_lookup_elem(&zero_pending, &zero);
	p = pending_of_current(BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p || !z) {
		stat_inc(SOCKSCOPE_STAT_ARGS_FULL);	/* out of memory */
		return NULL;
	}
	/* One helper call, not an inlined memset: 61 stores in each of the
	 * ~20 inlined copies of this function cost the verifier time. The
	 * task cache after the event is kept. */
	bpf_probe_read_kernel(p, offsetof(struct pending, cache), z);
	p->ev.kind = kind;
	p->ev.fd = -1;
	p->ev.fd2 = -1;
	fill_task_cached(&p->ev, &p->cache);
	return p;
}

/* The event this thread started at sys_enter, if it is of @kind. */
static __always_inline struct pending *pending_get(__u32 kind)
{
	struct pending *p = pending_of_current(0);

	return p && p->ev.kind == kind ? p : NULL;
}

/* Forgets this thread's event: kind 0 matches no pending_get(). */
static __always_inline void pending_drop(void)
{
	struct pending *p = pending_of_current(0);

	if (p)
		p->ev.kind = 0;
}

static __always_inline bool prefix_matches(const struct sockscope_event *e)
{
	for (int i = 0; i < SOCKSCOPE_PREFIX_LEN; i++) {
		if (i >= cfg_path_prefix_len)
			break;
		if (e->path[i] != cfg_path_prefix[i])
			return false;
	}
	return true;
}

/* Event filters (task filters ran at sys_enter). Process events and events
 * without the filtered field pass, so that a report keeps its context. */
static __always_inline bool event_wanted(const struct sockscope_event *e)
{
	if (cfg_family && e->family && e->family != cfg_family)
		return false;
	if (cfg_fd >= 0 && e->fd >= 0 && e->fd != cfg_fd)
		return false;
	if (cfg_path_prefix_len && e->path[0] &&
	    e->kind != SOCKSCOPE_EV_EXEC && !prefix_matches(e))
		return false;
	return true;
}

/* 1 + the consumer position at the last forced wakeup (0: none yet). */
__u64 woken_at_cons = 0;

/* Wakes the reader only when cfg_wakeup_bytes are queued; otherwise the
 * reader's poll timeout picks events up (no wakeup per event). Once woken,
 * the reader drains all that is queued, so no second wakeup is forced until
 * it has moved on: forcing one per record while it lags raised an irq_work
 * (a self-IPI) per record, on the traced task's time. Racy across CPUs on
 * purpose: the worst case is one extra wakeup. */
static __always_inline __u64 wakeup_flags(void)
{
	__u64 queued = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 cons;

	if (queued < cfg_wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	cons = bpf_ringbuf_query(&events, BPF_RB_CONS_POS) + 1;
	if (cons == woken_at_cons)
		return BPF_RB_NO_WAKEUP;
	woken_at_cons = cons;
	return BPF_RB_FORCE_WAKEUP;
}

static __always_inline void emit(struct sockscope_event *e)
{
	if (!event_wanted(e))
		return;
	if (bpf_ringbuf_output(&events, e, sizeof(*e), wakeup_flags()))
		stat_inc(SOCKSCOPE_STAT_RINGBUF_FULL);
}

/* Emits the pending event with the syscall's return value and forgets it. */
static __always_inline int pending_finish(struct pending *p, long ret)
{
	p->ev.ret = ret;
	emit(&p->ev);
	pending_drop();
	return 0;
}

/* Fills the socket fields of @e from fd, as it is at sys_exit. */
static __always_inline bool fill_sock(struct sockscope_event *e, int fd)
{
	struct sock_facts s = {};

	if (!fd_socket(fd, &s))
		return false;
	e->sock_ino = s.ino;
	e->peer_ino = s.peer_ino;
	e->family = s.family;
	e->sock_type = s.type;
	return true;
}

#endif /* SOCKSCOPE_BPF_EMIT_H */
