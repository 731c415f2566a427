/* SPDX-License-Identifier: GPL-2.0-only */
/* Layer 2: from a descriptor of the current task to its socket. */
#ifndef SOCKSCOPE_BPF_READ_SOCK_H
#define SOCKSCOPE_BPF_READ_SOCK_H

#include "task.h"

struct sock_facts {
	__u64 ino;
	__u64 peer_ino;
	__u16 family;
	__u16 type;
};

/* current->files->fdt->fd[fd], or NULL. Called at syscall exit, when the fd
 * table reflects what the syscall did (a new fd is installed by then). */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= max)
		return NULL;
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	return f;
}

/* SOCK_INODE(): a struct socket is the first member of struct socket_alloc,
 * which embeds the sockfs inode right after it. */
static __always_inline __u64 socket_ino(struct socket *sock)
{
	struct socket_alloc *a = (struct socket_alloc *)sock;

	if (!sock)
		return 0;
	return BPF_CORE_READ(a, vfs_inode.i_ino);
}

/* The unix peer's socket inode. For a stream connect() the peer is the
 * server's embryo sock, which has no struct socket until accept() grafts it
 * (unix_stream_connect() -> unix_create1(net, NULL, ...)): 0 then. */
static __always_inline __u64 unix_peer_ino(struct sock *sk)
{
	struct unix_sock *u = (struct unix_sock *)sk;
	struct sock *peer = BPF_CORE_READ(u, peer);

	if (!peer)
		return 0;
	return socket_ino(BPF_CORE_READ(peer, sk_socket));
}

/* fd -> file -> socket -> inode/family/type; false if fd is not a socket. */
static __always_inline bool fd_socket(int fd, struct sock_facts *out)
{
	struct file *f = fd_file(fd);
	struct socket *sock;
	struct sock *sk;
	umode_t mode;

	if (!f)
		return false;
	mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return false;
	sock = BPF_CORE_READ(f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	out->ino = socket_ino(sock);
	out->type = BPF_CORE_READ(sock, type);
	out->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->peer_ino = out->family == AF_UNIX ? unix_peer_ino(sk) : 0;
	return true;
}

/* Remembers (tgid, fd) as a socket so that its close() is reported. */
static __always_inline void remember_fd(__u32 tgid, int fd, const struct sock_facts *s)
{
	struct sockscope_fd_key key = { .tgid = tgid, .fd = fd };
	struct sockscope_fd_info info = {
		.ino = s->ino, .family = s->family, .sock_type = s->type,
	};

	if (bpf_map_update_elem(&sock_fds, &key, &info, BPF_ANY))
		stat_inc(SOCKSCOPE_STAT_SOCKMAP_FULL);
}

#endif /* SOCKSCOPE_BPF_READ_SOCK_H */
