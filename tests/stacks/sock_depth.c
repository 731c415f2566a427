// SPDX-License-Identifier: GPL-2.0-only
// Test program for --stacks: makes one AF_UNIX socket three calls deep, then
// exits at once (or, with "linger", after 1 s; with "fork", a forked child
// that never execs makes it, and the parent waits for it; with "exec PATH",
// it makes a second one and then execs PATH in the same process). Built by the tests with
// plain `cc -O2 -g` (no frame pointers), so only DWARF unwinding finds
// make_sock, level2 and level1.
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int sink;

__attribute__((noinline)) int make_sock(void) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sink = fd;  // no tail call: keep this frame on the stack
  return fd;
}

__attribute__((noinline)) int level2(void) {
  int fd = make_sock();
  sink = fd + 1;
  return fd;
}

__attribute__((noinline)) int level1(void) {
  int fd = level2();
  sink = fd + 2;
  return fd;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "fork") == 0) {
    pid_t child = fork();
    if (child == 0) {
      level1();
      _exit(0);
    }
    return child > 0 && waitpid(child, NULL, 0) == child ? 0 : 1;
  }
  level1();
  if (argc > 2 && strcmp(argv[1], "exec") == 0) {
    char* args[] = {argv[2], NULL};
    level1();
    execv(argv[2], args);
    return 127;
  }
  if (argc > 1 && strcmp(argv[1], "linger") == 0) sleep(1);
  return 0;
}
