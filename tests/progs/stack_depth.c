// SPDX-License-Identifier: GPL-2.0-only
// Test program for how stacks end (issue 13; tests/integration/stack_end_test.cpp).
// Built -O2 -fomit-frame-pointer: only CFI unwinds it.
//   stack_depth N               recurse N frames in main's thread, then socket()
//   stack_depth N thread        the same in a thread from pthread_create
//   stack_depth N via LIB       call socket() through LIB's stack_via() (dlopen)
//   stack_depth N via-deleted LIB   the same, LIB unlinked right after dlopen
//   add "linger" last: sleep 1 s before exiting
// Prints nothing; exits 0 when the socket was made.
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

volatile int sink;
static int (*via)(int (*)(void));

__attribute__((noinline)) static int make_sock(void) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sink = fd;  // no tail call: keep this frame
  return fd;
}

__attribute__((noinline)) static int recurse(int n) {
  volatile char pad[16];
  pad[0] = (char)n;
  int r = n <= 0 ? (via ? via(make_sock) : make_sock()) : recurse(n - 1);
  sink = r + pad[0];  // not a tail call
  return r;
}

static void* thread_main(void* arg) {
  sink = recurse(*(int*)arg);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int depth = atoi(argv[1]), threaded = 0, linger = strcmp(argv[argc - 1], "linger") == 0;
  if (argc > 2 && strcmp(argv[2], "thread") == 0) threaded = 1;
  if (argc > 3 && strncmp(argv[2], "via", 3) == 0) {
    void* h = dlopen(argv[3], RTLD_NOW);
    if (!h) return 3;
    if (strcmp(argv[2], "via-deleted") == 0) unlink(argv[3]);
    via = (int (*)(int (*)(void)))dlsym(h, "stack_via");
    if (!via) return 3;
  }
  int fd;
  if (threaded) {
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, &depth) != 0) return 4;
    pthread_join(t, NULL);
    fd = sink;
  } else {
    fd = recurse(depth);
  }
  if (linger) sleep(1);
  return fd >= 0 ? 0 : 1;
}
