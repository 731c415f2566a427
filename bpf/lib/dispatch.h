/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layer 6: syscall number -> handler. The per-syscall entry points call these
 * with a constant @nr, so clang folds the switch away; raw_syscalls calls them
 * with the runtime number and gets the whole table.
 */
#ifndef SOCKSCOPE_BPF_DISPATCH_H
#define SOCKSCOPE_BPF_DISPATCH_H

#include "handlers.h"

#define AT_FDCWD	-100

static __always_inline int sys_enter(long nr, long a0, long a1, long a2,
				     long a3, long a4)
{
	switch (nr) {
	case NR_socket:
		return enter_socket(a0, a1);
	case NR_socketpair:
		return enter_socketpair(a0, a1, a3);
	case NR_bind:
		return enter_addr(SOCKSCOPE_EV_BIND, a0, a1, a2);
	case NR_connect:
		return enter_addr(SOCKSCOPE_EV_CONNECT, a0, a1, a2);
	case NR_listen:
		return enter_fd(SOCKSCOPE_EV_LISTEN, a0, a1);
	case NR_shutdown:
		return enter_fd(SOCKSCOPE_EV_SHUTDOWN, a0, a1);
	case NR_accept:
		return enter_accept(a0, 0);
	case NR_accept4:
		return enter_accept(a0, a3);
	case NR_close:
		return enter_close(a0);
	case NR_sendmsg:
		return enter_sendmsg(a0, a1);
	case NR_recvmsg:
		return enter_recvmsg(a0, a1);
	case NR_unlink:
		return enter_path(SOCKSCOPE_EV_UNLINK, AT_FDCWD, a0, 0, 0);
	case NR_unlinkat:
		return enter_path(SOCKSCOPE_EV_UNLINK, a0, a1, 0, a2);
	case NR_rename:
		return enter_path(SOCKSCOPE_EV_RENAME, AT_FDCWD, a0, a1, 0);
	case NR_renameat:
		return enter_path(SOCKSCOPE_EV_RENAME, a0, a1, a3, 0);
	case NR_renameat2:
		return enter_path(SOCKSCOPE_EV_RENAME, a0, a1, a3, a4);
	case NR_execve:
		return enter_path(SOCKSCOPE_EV_EXEC, AT_FDCWD, a0, 0, 0);
	case NR_execveat:
		return enter_path(SOCKSCOPE_EV_EXEC, a0, a1, 0, a4);
	}
	return 0;
}

static __always_inline int sys_exit(long nr, long ret)
{
	switch (nr) {
	case NR_socket:
		return exit_socket(ret);
	case NR_socketpair:
		return exit_socketpair(ret);
	case NR_bind:
		return exit_bind(ret);
	case NR_connect:
		return exit_fd(SOCKSCOPE_EV_CONNECT, ret);
	case NR_listen:
		return exit_fd(SOCKSCOPE_EV_LISTEN, ret);
	case NR_shutdown:
		return exit_fd(SOCKSCOPE_EV_SHUTDOWN, ret);
	case NR_accept:
	case NR_accept4:
		return exit_accept(ret);
	case NR_close:
		return exit_close(ret);
	case NR_sendmsg:
		return exit_sendmsg(ret);
	case NR_recvmsg:
		return exit_recvmsg(ret);
	case NR_unlink:
	case NR_unlinkat:
		return exit_path(SOCKSCOPE_EV_UNLINK, ret);
	case NR_rename:
	case NR_renameat:
	case NR_renameat2:
		return exit_path(SOCKSCOPE_EV_RENAME, ret);
	case NR_execve:
	case NR_execveat:
		return exit_path(SOCKSCOPE_EV_EXEC, ret);
	}
	return 0;
}

#endif /* SOCKSCOPE_BPF_DISPATCH_H */
