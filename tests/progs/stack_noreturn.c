// SPDX-License-Identifier: GPL-2.0-only
// A socket made under a call that is its caller's last instruction: the
// callee never returns, so the compiler puts no `ret` after the call and the
// return address is the first byte past `caller` (padding, or the next
// function). A symbolizer must look up return address - 1 to name `caller`
// (tests/integration/stack_end_test.cpp).
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((noinline, noreturn)) void make_socket_and_exit(void) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);

  _exit(fd >= 0 ? 0 : 1);
}

__attribute__((noinline)) void caller(void) { make_socket_and_exit(); }

__attribute__((noinline)) void next_function(void) { puts("never called"); }

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 5) next_function();
  caller();
}
