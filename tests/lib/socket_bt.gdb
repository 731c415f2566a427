# gdb -batch -x tests/lib/socket_bt.gdb --args PROGRAM...: a `bt` of the live
# thread at every socket(AF_UNIX, SOCK_STREAM[|flags]) call, each after a line
# "== bt" (glibc may try nscd's socket before libnss_sss makes its own).
# past-main: the main thread's bt goes on to _start. The JVM's SIGSEGVs are
# its own safepoint polls and implicit null checks: passed, not stopped at.
handle SIGSEGV nostop noprint pass
set breakpoint pending on
set backtrace past-main on
break socket if $rdi == 1 && ($rsi & 0xf) == 1
commands 1
silent
echo == bt\n
bt
continue
end
run
