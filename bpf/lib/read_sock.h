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

/* file -> socket -> inode/family/type; false if @f is not a socket. */
static __always_inline bool file_socket(struct file *f, struct sock_facts *out)
{
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

/* fd -> file -> socket; false if fd is not a socket. */
static __always_inline bool fd_socket(int fd, struct sock_facts *out)
{
	return file_socket(fd_file(fd), out);
}

/* Only the socket inode behind fd (0: not a socket), in half the reads of
 * fd_socket(): for socketpair(), whose fds are each other's peers and whose
 * family and type are the syscall's arguments. */
static __always_inline __u64 fd_socket_ino(int fd)
{
	struct file *f = fd_file(fd);
	umode_t mode;

	if (!f)
		return 0;
	mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return 0;
	return socket_ino(BPF_CORE_READ(f, private_data));
}

/* The inode of the socket file a unix bind() made: unix_sk(sk)->path, set by
 * unix_bind_bsd() (net/unix/af_unix.c); NULL for an abstract or autobound
 * name, which read as 0. Taken in the bind's own exit, so that `watch` knows
 * what a path names even when it is unlinked before user space could stat it.
 * @fd must be a unix socket. */
static __always_inline __u64 unix_bound_path_ino(int fd)
{
	struct file *f = fd_file(fd);
	struct socket *sock;
	struct unix_sock *u;

	if (!f)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	u = (struct unix_sock *)BPF_CORE_READ(sock, sk);
	return BPF_CORE_READ(u, path.dentry, d_inode, i_ino);
}

/* struct file before v6.13 ("fs: port files to file_ref") counted its
 * references in f_count; since then in f_ref, a file_ref_t. */
struct file___pre_file_ref {
	atomic_long_t f_count;
} __attribute__((preserve_access_index));

/* True when @f has no reference but the caller's fd: closing that fd then
 * releases the file, and with it the socket. Other fds (dup, fork) and
 * SCM_RIGHTS messages in flight hold references of their own; so does
 * another thread of a process with a shared fd table that is inside a
 * syscall on it (fdget() takes one then). */
static __always_inline bool file_last_ref(struct file *f)
{
	if (bpf_core_field_exists(f->f_ref))
		/* file_ref_t stores count - 1: FILE_REF_ONEREF is 0
		 * (include/linux/file_ref.h). */
		return BPF_CORE_READ(f, f_ref.refcnt.counter) == 0;
	return BPF_CORE_READ((struct file___pre_file_ref *)f, f_count.counter) == 1;
}

#endif /* SOCKSCOPE_BPF_READ_SOCK_H */
