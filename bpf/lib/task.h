/* SPDX-License-Identifier: GPL-2.0-only */
/* Layer 1: who is running (process identity, namespaces) and task filters. */
#ifndef SOCKSCOPE_BPF_TASK_H
#define SOCKSCOPE_BPF_TASK_H

#include "common.h"

/* The pid of @t's thread group leader as seen in its own pid namespace.
 * task_struct::thread_pid exists since v4.19 (E. Biederman's pid rework;
 * before it pids[PIDTYPE_PID].pid, which would need a CO-RE flavor);
 * pid->numbers[pid->level] is the innermost namespace's number, which is what
 * task_tgid_vnr() returns inside that namespace. */
static __always_inline __u32 task_nspid(struct task_struct *t)
{
	struct task_struct *leader = BPF_CORE_READ(t, group_leader);
	struct pid *pid = BPF_CORE_READ(leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	int nr = 0;

	bpf_core_read(&nr, sizeof(nr), &pid->numbers[level & 31].nr);
	return nr;
}

/* The part of the process identity that BPF helpers give directly. */
static __always_inline void fill_task_ids(struct sockscope_event *e)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->ts_ns = bpf_ktime_get_ns();
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* Fills the process part of @e from the current task, through @c: a
 * thread's syscall events cost 2 kernel reads instead of 12 when nothing
 * changed since its last one. The namespaces are re-read only when
 * task->nsproxy was replaced (setns, unshare, exit; an nsproxy is copied on
 * change, never edited), the ppid only on reparenting, the nspid once per
 * thread. nsproxy is NULL once a task has passed exit_task_namespaces();
 * BPF_CORE_READ then yields 0. Helper reads on purpose: direct loads through
 * bpf_get_current_task_btf() saved ~300 ns per socketpair+2 close, but made
 * the verifier 10x slower (all programs: 145 ms instead of 12 ms on 6.18),
 * i.e. start-up 3x slower. */
static __always_inline void fill_task_cached(struct sockscope_event *e, struct task_cache *c)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct nsproxy *ns = BPF_CORE_READ(t, nsproxy);
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);

	fill_task_ids(e);
	if ((__u64)ns != c->nsproxy || !ns) {
		c->netns_ino = BPF_CORE_READ(ns, net_ns, ns.inum);
		c->mntns_ino = BPF_CORE_READ(ns, mnt_ns, ns.inum);
		c->nsproxy = (__u64)ns;
	}
	if ((__u64)parent != c->parent) {
		c->ppid = BPF_CORE_READ(parent, tgid);
		c->parent = (__u64)parent;
	}
	if (!c->nspid)
		c->nspid = task_nspid(t);
	e->netns_ino = c->netns_ino;
	e->mntns_ino = c->mntns_ino;
	e->ppid = c->ppid;
	e->nspid = c->nspid;
}

/* The same for an event with no cache entry (process events): all read. */
static __always_inline void fill_task(struct sockscope_event *e)
{
	struct task_cache c = {};

	fill_task_cached(e, &c);
}

static __always_inline bool comm_wanted(void)
{
	char comm[SOCKSCOPE_COMM_LEN];

	if (!cfg_comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < SOCKSCOPE_COMM_LEN; i++) {
		if (comm[i] != cfg_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* The in-kernel process filters: self, pid tree, cgroup, comm. */
static __always_inline bool task_wanted(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid == cfg_self_tgid)
		return false;
	if (cfg_filter_pids && !bpf_map_lookup_elem(&traced_tgids, &tgid))
		return false;
	if (cfg_cgroup_id && bpf_get_current_cgroup_id() != cfg_cgroup_id)
		return false;
	return comm_wanted();
}

#endif /* SOCKSCOPE_BPF_TASK_H */
