/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layer 5: one enter/exit pair per syscall. Every attach rung (syscall
 * tracepoints, raw_syscalls, ksyscall kprobes) calls these same functions with
 * the raw syscall arguments, so all rungs produce identical events.
 * An enter_X() returns 1 when it began an event of this very syscall (which
 * may then get a stack), 0 when it filtered the syscall out.
 */
#ifndef SOCKSCOPE_BPF_HANDLERS_H
#define SOCKSCOPE_BPF_HANDLERS_H

#include "emit.h"

/* socket(family, type, protocol) */
static __always_inline int enter_socket(long family, long type)
{
	struct pending *p = pending_begin(SOCKSCOPE_EV_SOCKET);

	if (!p)
		return 0;
	p->ev.family = family;
	p->ev.sock_type = type & SOCK_TYPE_MASK;
	p->ev.flags = type & ~SOCK_TYPE_MASK;	/* SOCK_CLOEXEC, SOCK_NONBLOCK */
	return 1;
}

static __always_inline int exit_socket(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_SOCKET);
	struct sock_facts s = {};

	if (!p)
		return 0;
	if (ret >= 0 && fd_socket(ret, &s)) {
		p->ev.fd = ret;
		p->ev.sock_ino = s.ino;
	}
	return pending_finish(p, ret);
}

/* socketpair(family, type, protocol, int sv[2]) */
static __always_inline int enter_socketpair(long family, long type, long usv)
{
	struct pending *p = pending_begin(SOCKSCOPE_EV_SOCKETPAIR);

	if (!p)
		return 0;
	p->ev.family = family;
	p->ev.sock_type = type & SOCK_TYPE_MASK;
	p->ev.flags = type & ~SOCK_TYPE_MASK;
	p->uptr = usv;
	return 1;
}

static __always_inline int exit_socketpair(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_SOCKETPAIR);
	int sv[2] = { -1, -1 };

	if (!p)
		return 0;
	if (ret == 0 && !bpf_probe_read_user(sv, sizeof(sv), (void *)p->uptr)) {
		p->ev.fd = sv[0];
		p->ev.fd2 = sv[1];
		p->ev.sock_ino = fd_socket_ino(sv[0]);
		p->ev.sock_ino2 = fd_socket_ino(sv[1]);
	}
	return pending_finish(p, ret);
}

/* bind(fd, addr, len) and connect(fd, addr, len): the address is read at
 * enter, while the caller's buffer is certainly valid. */
static __always_inline int enter_addr(__u32 kind, long fd, long uaddr, long len)
{
	struct pending *p = pending_begin(kind);

	if (!p)
		return 0;
	p->ev.fd = fd;
	read_sockaddr(&p->ev, (const void *)uaddr, len);
	return 1;
}

/* Exit of the syscalls that act on an existing socket fd. */
static __always_inline int exit_fd(__u32 kind, long ret)
{
	struct pending *p = pending_get(kind);

	if (!p)
		return 0;
	fill_sock(&p->ev, p->ev.fd);
	return pending_finish(p, ret);
}

/* bind(fd, addr, len) exit: a unix bind also notes its socket file's inode
 * in sock_ino2. */
static __always_inline int exit_bind(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_BIND);

	if (!p)
		return 0;
	if (fill_sock(&p->ev, p->ev.fd) && ret == 0 && p->ev.family == AF_UNIX)
		p->ev.sock_ino2 = unix_bound_path_ino(p->ev.fd);
	return pending_finish(p, ret);
}

/* listen(fd, backlog), shutdown(fd, how): @arg goes to flags. */
static __always_inline int enter_fd(__u32 kind, long fd, long arg)
{
	struct pending *p = pending_begin(kind);

	if (!p)
		return 0;
	p->ev.fd = fd;
	p->ev.flags = arg;
	return 1;
}

/* accept(fd, addr, lenp) and accept4(fd, addr, lenp, flags) */
static __always_inline int enter_accept(long fd, long flags)
{
	struct pending *p = pending_begin(SOCKSCOPE_EV_ACCEPT);

	if (!p)
		return 0;
	p->ev.fd2 = fd;
	p->ev.flags = flags;
	return 1;
}

static __always_inline int exit_accept(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_ACCEPT);
	struct sock_facts s = {};

	if (!p)
		return 0;
	if (fd_socket(p->ev.fd2, &s)) {
		p->ev.sock_ino2 = s.ino;
		p->ev.family = s.family;
		p->ev.sock_type = s.type;
	}
	if (ret >= 0 && fd_socket(ret, &s)) {
		p->ev.fd = ret;
		p->ev.sock_ino = s.ino;
		p->ev.peer_ino = s.peer_ino;
	}
	return pending_finish(p, ret);
}

/* close(fd): every fd that is a socket, however it was made (socket,
 * accept, dup*, fcntl(F_DUPFD), SCM_RIGHTS, inherited at fork), read from the
 * fd table at enter, since after a successful close the fd names nothing.
 * flags = SOCKSCOPE_CLOSE_LAST when this fd held the last reference. */
static __always_inline int enter_close(long fd)
{
	struct sock_facts s = {};
	struct pending *p;
	struct file *f;

	if (!task_wanted())
		return 0;	/* before the fd table walk: filtered tasks pay little */
	f = fd_file(fd);
	if (!file_socket(f, &s))
		return 0;
	p = pending_begin(SOCKSCOPE_EV_CLOSE);
	if (!p)
		return 0;
	p->ev.fd = fd;
	p->ev.sock_ino = s.ino;
	p->ev.peer_ino = s.peer_ino;
	p->ev.family = s.family;
	p->ev.sock_type = s.type;
	p->ev.flags = file_last_ref(f) ? SOCKSCOPE_CLOSE_LAST : 0;
	return 1;
}

static __always_inline int exit_close(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_CLOSE);

	if (!p)
		return 0;
	return pending_finish(p, ret);
}

/* sendmsg(fd, msg, flags): only messages that carry SCM_RIGHTS. */
static __always_inline int enter_sendmsg(long fd, long umsg)
{
	struct pending *p;

	if (!msg_can_carry_fds((const void *)umsg))
		return 0;
	p = pending_begin(SOCKSCOPE_EV_SENDMSG);
	if (!p)
		return 0;
	p->ev.fd = fd;
	if (!read_scm_rights(&p->ev, (const void *)umsg)) {
		pending_drop();
		return 0;
	}
	return 1;
}

/* The socket inode behind each passed fd. At sendmsg exit the sender still
 * holds them; at recvmsg exit they are newly installed. */
static __always_inline void scm_fd_inodes(struct sockscope_event *e)
{
	struct sock_facts s;

	for (int i = 0; i < SOCKSCOPE_MAX_SCM_FDS; i++) {
		if (i >= e->nfds)
			break;
		__builtin_memset(&s, 0, sizeof(s));
		if (!fd_socket(e->fds[i], &s))
			continue;
		e->fd_inos[i] = s.ino;
	}
}

static __always_inline int exit_sendmsg(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_SENDMSG);

	if (!p)
		return 0;
	fill_sock(&p->ev, p->ev.fd);
	scm_fd_inodes(&p->ev);
	return pending_finish(p, ret);
}

/* recvmsg(fd, msg, flags): the fds are known only at exit. */
static __always_inline int enter_recvmsg(long fd, long umsg)
{
	struct pending *p;

	if (!msg_can_carry_fds((const void *)umsg))
		return 0;
	p = pending_begin(SOCKSCOPE_EV_RECVMSG);
	if (!p)
		return 0;
	p->ev.fd = fd;
	p->uptr = umsg;
	return 1;
}

static __always_inline int exit_recvmsg(long ret)
{
	struct pending *p = pending_get(SOCKSCOPE_EV_RECVMSG);

	if (!p)
		return 0;
	if (ret < 0 || !read_scm_rights(&p->ev, (const void *)p->uptr)) {
		pending_drop();
		return 0;
	}
	fill_sock(&p->ev, p->ev.fd);
	scm_fd_inodes(&p->ev);
	return pending_finish(p, ret);
}

/* unlink(path), unlinkat(dfd, path, flags), rename*(...), execve*(...):
 * paths are reported as given; relative ones are relative to dfd or cwd. */
static __always_inline int enter_path(__u32 kind, long dfd, long upath,
				      long upath2, long flags)
{
	struct pending *p = pending_begin(kind);

	if (!p)
		return 0;
	p->ev.fd2 = dfd;
	p->ev.flags = flags;
	bpf_probe_read_user_str(p->ev.path, sizeof(p->ev.path), (const void *)upath);
	if (upath2)
		bpf_probe_read_user_str(p->ev.path2, sizeof(p->ev.path2), (const void *)upath2);
	return 1;
}

static __always_inline int exit_path(__u32 kind, long ret)
{
	struct pending *p = pending_get(kind);

	if (!p)
		return 0;
	/* A successful exec has replaced comm (begin_new_exec()). */
	if (kind == SOCKSCOPE_EV_EXEC)
		bpf_get_current_comm(p->ev.comm, sizeof(p->ev.comm));
	return pending_finish(p, ret);
}

#endif /* SOCKSCOPE_BPF_HANDLERS_H */
