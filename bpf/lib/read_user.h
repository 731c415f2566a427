/* SPDX-License-Identifier: GPL-2.0-only */
/* Layer 3: syscall arguments that live in user memory, read at sys_enter
 * (sockaddrs, paths) or at sys_exit (what recvmsg() wrote). */
#ifndef SOCKSCOPE_BPF_READ_USER_H
#define SOCKSCOPE_BPF_READ_USER_H

#include "read_sock.h"

#define SUN_PATH_MAX	108
#define MAX_CMSGS	3	/* e.g. SCM_CREDENTIALS before SCM_RIGHTS */

/* sockaddr_un: a filesystem path, '@' + an abstract name (which may hold
 * NULs: path_len says how long it is), or unnamed when only sun_family is
 * given (autobind, unix(7)). */
static __always_inline void read_sun(struct sockscope_event *e, const char *sun_path, int n)
{
	char first = 0;

	if (n <= 0) {
		e->addr_kind = SOCKSCOPE_ADDR_UNIX_UNNAMED;
		return;
	}
	if (n > SUN_PATH_MAX)
		n = SUN_PATH_MAX;
	bpf_probe_read_user(&first, 1, sun_path);
	if (first) {
		e->addr_kind = SOCKSCOPE_ADDR_UNIX_PATH;
		/* sun_path need not be NUL-terminated: read at most n bytes. */
		bpf_probe_read_user_str(e->path, bounded(n + 1, 0x7f), sun_path);
		e->path_len = n;
		return;
	}
	e->addr_kind = SOCKSCOPE_ADDR_UNIX_ABSTRACT;
	e->path[0] = '@';
	n -= 1;
	/* The mask only proves the bound to the verifier; n <= 107 already. */
	if (n > 0 && n < SUN_PATH_MAX)
		bpf_probe_read_user(&e->path[1], bounded(n, 0x7f), sun_path + 1);
	e->path_len = n + 1;
}

/* Copies a sockaddr given to bind()/connect() into @e. */
static __always_inline void read_sockaddr(struct sockscope_event *e, const void *uaddr, long len)
{
	struct sockaddr_in6 sin6 = {};
	struct sockaddr_in sin = {};
	__u16 family = 0;

	if (!uaddr || len < (long)sizeof(family))
		return;
	bpf_probe_read_user(&family, sizeof(family), uaddr);
	e->family = family;
	if (family == AF_UNIX) {
		read_sun(e, (const char *)uaddr + sizeof(family), len - sizeof(family));
	} else if (family == AF_INET && len >= (long)sizeof(sin)) {
		bpf_probe_read_user(&sin, sizeof(sin), uaddr);
		e->addr_kind = SOCKSCOPE_ADDR_INET;
		e->port = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(e->addr, &sin.sin_addr, 4);
	} else if (family == AF_INET6 && len >= (long)sizeof(sin6)) {
		bpf_probe_read_user(&sin6, sizeof(sin6), uaddr);
		e->addr_kind = SOCKSCOPE_ADDR_INET6;
		e->port = bpf_ntohs(sin6.sin6_port);
		__builtin_memcpy(e->addr, &sin6.sin6_addr, 16);
	}
}

/* Finds SCM_RIGHTS among the first MAX_CMSGS control messages of a user
 * msghdr and copies up to SOCKSCOPE_MAX_SCM_FDS fd numbers. For recvmsg()
 * this runs at exit: the kernel has then written the cmsgs and set
 * msg_controllen to the bytes used (put_cmsg()/scm_detach_fds()). */
static __always_inline bool read_scm_rights(struct sockscope_event *e, const void *umsg)
{
	struct user_msghdr m = {};
	struct cmsghdr c = {};
	__u64 off = 0;

	if (!umsg || bpf_probe_read_user(&m, sizeof(m), umsg))
		return false;
	for (int i = 0; i < MAX_CMSGS; i++) {
		if (!m.msg_control || off + sizeof(c) > m.msg_controllen)
			return false;
		if (bpf_probe_read_user(&c, sizeof(c), (char *)m.msg_control + off))
			return false;
		if (c.cmsg_len < sizeof(c))
			return false;
		if (c.cmsg_level == SOL_SOCKET && c.cmsg_type == SCM_RIGHTS)
			break;
		off += (c.cmsg_len + 7) & ~7ULL;	/* CMSG_ALIGN */
		if (i == MAX_CMSGS - 1)
			return false;
	}
	__u32 n = (c.cmsg_len - sizeof(c)) / sizeof(int);

	e->nfds_total = n;
	if (n > SOCKSCOPE_MAX_SCM_FDS)
		n = SOCKSCOPE_MAX_SCM_FDS;
	if (n == 0)
		return false;
	bpf_probe_read_user(e->fds, bounded(n * sizeof(int), 0x3f),
			    (char *)m.msg_control + off + sizeof(c));
	e->nfds = n;
	return true;
}

/* Whether a user msghdr has room for at least one passed fd: only then can a
 * recvmsg() receive SCM_RIGHTS, so only then is it worth a pending entry. */
static __always_inline bool msg_can_carry_fds(const void *umsg)
{
	struct user_msghdr m = {};

	if (!umsg || bpf_probe_read_user(&m, sizeof(m), umsg))
		return false;
	return m.msg_control && m.msg_controllen >= sizeof(struct cmsghdr) + sizeof(int);
}

#endif /* SOCKSCOPE_BPF_READ_USER_H */
