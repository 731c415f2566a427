/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Map keys and values shared by bpf/ and src/tracer/ (see abi/events.h for
 * the rules: plain C, fixed width, explicit padding).
 */
#ifndef SOCKSCOPE_ABI_CONFIG_H
#define SOCKSCOPE_ABI_CONFIG_H

#include "events.h"

/* Key of the `sock_fds` map: a descriptor known to be a socket. */
struct sockscope_fd_key {
	__u32 tgid;
	__s32 fd;
};

/* Value of the `sock_fds` map: what close() reports after the fd is gone. */
struct sockscope_fd_info {
	__u64 ino;
	__u16 family;
	__u16 sock_type;
	__u32 pad;
};

#endif /* SOCKSCOPE_ABI_CONFIG_H */
