# SPDX-License-Identifier: GPL-2.0-only
# Shared by the scripts that compare a sockscope stack with perf's and gdb's
# (source it). Frame names are compared without arguments, clones and glibc's
# alias prefixes: perf and gdb print __GI_socket / __getpwuid_r where
# sockscope prints __socket / getpwuid_r, and sockscope keeps
# "PerfMemory::initialize() [clone .part.0]". __libc_start_main_impl is the
# code behind the exported __libc_start_main. Unnamed frames ("??" in gdb,
# "[unknown]" in perf) become "?".

# norm_frame_names: one name per line on stdin, the compared form on stdout.
norm_frame_names() {
  sed -E 's/ \[clone [^]]*\]//g; s/\(.*\)$//; s/^__GI_//; s/^_+//; s/^\?\?$/?/; s/^\[unknown\]$/?/; s/^libc_start_main_impl$/libc_start_main/'
}

# gdb_bt_names FILE PATTERN: of the output of tests/lib/socket_bt.gdb in
# FILE, the first bt whose text matches PATTERN (awk), one compared name per
# frame. gdb prints "#0  __GI_socket () at ..." / "#4  0x... in f (a=1) from L".
gdb_bt_names() {
  awk -v w="$2" 'BEGIN { RS = "== bt\n" } NR > 1 && $0 ~ w { print; exit }' "$1" | { grep -E '^#[0-9]+ ' || true; } |
    sed -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?//; s/ \(.*//; s/ from .*//' | norm_frame_names
}
