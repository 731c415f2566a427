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
	struct pid *pid = t->group_leader->thread_pid;
	unsigned int level = pid->level;
	int nr = 0;

	/* A variable index into a BTF pointer is not a direct load: one
	 * helper read. */
	bpf_core_read(&nr, sizeof(nr), &pid->numbers[level & 31].nr);
	return nr;
}

/* Fills the process part of @e from the current task. The task pointer is a
 * BTF one (bpf_get_current_task_btf(), v5.11), so the field reads below are
 * direct loads that the verifier guards against faults (BPF_PROBE_MEM), not
 * a bpf_probe_read_kernel() call each: ten helper calls fewer per event
 * (bench/tracer_storm.sh). nsproxy is NULL once a task has passed
 * exit_task_namespaces(); a load through it then yields 0. */
static __always_inline void fill_task(struct sockscope_event *e)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid();
	struct nsproxy *ns = t->nsproxy;

	e->ts_ns = bpf_ktime_get_ns();
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->ppid = t->real_parent->tgid;
	e->nspid = task_nspid(t);
	if (ns) {
		e->netns_ino = ns->net_ns->ns.inum;
		e->mntns_ino = ns->mnt_ns->ns.inum;
	}
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
