#!/usr/bin/env bash
# jvm_in_netns.sh WORKDIR CLASSDIR      (run it under tests/lib/sssd_env.sh)
#
# Starts `java -cp CLASSDIR Hello` in a NEW network namespace (like a
# container), writes the JVM's host pid to WORKDIR/jvm.pid once it printed
# "ready", keeps it up until WORKDIR/stop exists (at most JVM_STOP_TIMEOUT s,
# default 120), then stops it and waits. Compile first:
#   javac -d CLASSDIR tests/lib/Hello.java
# Exit: 0 = JVM ran and stopped cleanly; 77 = prerequisite missing;
# 1 = failure (JVM died early, never got ready, or no stop file in time).
# JVM stdout/stderr: WORKDIR/jvm.out, WORKDIR/jvm.err.
set -euo pipefail

me=jvm_in_netns.sh
die()  { echo "$me: ERROR: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

[[ $# -eq 2 ]] || die "usage: $me WORKDIR CLASSDIR"
workdir=$1 classdir=$2
[[ ${SSSD_ENV_READY:-} == 1 ]] || die "not under sssd_env.sh; run: tests/lib/sssd_env.sh WORKDIR -- $me WORKDIR CLASSDIR"
command -v java >/dev/null || skip "java not found: apt-get install openjdk-17-jdk-headless"
[[ -f $classdir/Hello.class ]] || die "no $classdir/Hello.class; run: javac -d $classdir tests/lib/Hello.java"
unshare --net true 2>/dev/null || skip "cannot create a network namespace (unshare --net failed; no CAP_SYS_ADMIN?)"
mkdir -p "$workdir"
rm -f "$workdir/jvm.pid" "$workdir/stop" "$workdir/jvm.out" "$workdir/jvm.err"

alive() {  # running and not a zombie
    local s
    read -r s 2>/dev/null <"/proc/$1/stat" || return 1
    s=${s##*) }; [[ ${s%% *} != Z ]]
}

# Hello exits on EOF of stdin. Feed it from a FIFO that only we hold open for
# writing (fd 3, opened read-write so the open cannot block): closing fd 3
# stops the JVM, and so does our death.
fifo=$workdir/jvm.stdin
rm -f "$fifo"; mkfifo -m 0600 "$fifo"
exec 3<>"$fifo"
# unshare without --fork exec()s java after unshare(CLONE_NEWNET), so $! is
# the JVM itself (checked against the pid Hello prints below). 3>&-: the JVM
# must not hold a write end of its own stdin.
unshare --net -- java -cp "$classdir" Hello <"$fifo" >"$workdir/jvm.out" 2>"$workdir/jvm.err" 3>&- &
jvm=$!

stop_jvm() {
    exec 3>&- || true                                # EOF: Hello returns from main
    local end=$((SECONDS + 10))
    while alive "$jvm" && ((SECONDS < end)); do sleep 0.1; done
    if alive "$jvm"; then
        kill -TERM "$jvm" 2>/dev/null || true; sleep 2
        kill -KILL "$jvm" 2>/dev/null || true
        # a killed JVM leaves its perf-data file behind (a clean exit removes it)
        rm -f /tmp/hsperfdata_*/"$jvm"
    fi
    wait "$jvm" 2>/dev/null    # returns the JVM's exit status
}
trap 'stop_jvm || true; rm -f "$fifo"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

end=$((SECONDS + 30))
until grep -q '^ready ' "$workdir/jvm.out" 2>/dev/null; do
    alive "$jvm" || die "java exited before printing ready; see $workdir/jvm.err"
    ((SECONDS < end)) || die "java not ready after 30 s; see $workdir/jvm.err"
    sleep 0.1
done
rm -f "$fifo"   # the JVM has opened its stdin by now; the name is not needed
read -r _ printed <"$workdir/jvm.out"
[[ $printed == "$jvm" ]] || die "JVM says pid $printed but we started $jvm"
echo "$jvm" >"$workdir/jvm.pid.tmp" && mv "$workdir/jvm.pid.tmp" "$workdir/jvm.pid"

end=$((SECONDS + ${JVM_STOP_TIMEOUT:-120}))
until [[ -e $workdir/stop ]]; do
    alive "$jvm" || die "java exited before $workdir/stop appeared; see $workdir/jvm.err"
    ((SECONDS < end)) || die "$workdir/stop did not appear within ${JVM_STOP_TIMEOUT:-120} s; stopping the JVM"
    sleep 0.2
done
trap - EXIT
rc=0
stop_jvm || rc=$?
[[ $rc -eq 0 ]] || die "java exited with status $rc"
