// SPDX-License-Identifier: GPL-2.0-only
// A module between the caller and socket() for tests/progs/stack_depth.c. Built
// twice: libstack_via.so (with unwind tables) and libstack_nocfi.so (without
// them, nor crt objects: an empty .eh_frame), which no CFI unwinder gets through.
volatile int stack_via_sink;

__attribute__((noinline)) int stack_via(int (*fn)(void)) {
  volatile char buf[64];
  buf[0] = 1;
#ifdef STACK_VIA_CLOBBER_RBP
  // rbp holds no frame pointer here (as in any -fomit-frame-pointer code
  // that uses it as a register), so rbp-chasing cannot stand in for CFI.
  __asm__ volatile("xor %%ebp, %%ebp" ::: "rbp");
#endif
  int r = fn();
  stack_via_sink = r + buf[0];  // not a tail call
  return r;
}
