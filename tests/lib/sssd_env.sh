#!/usr/bin/env bash
# sssd_env.sh WORKDIR -- CMD [ARGS...]
#
# Runs a real sssd (files provider, nss responder only) in a private mount
# namespace whose /etc/nsswitch.conf says "passwd: sss files", then runs CMD in
# that namespace with SSSD_ENV_READY=1. Writes WORKDIR/sssd.pid (monitor) and
# WORKDIR/sssd_nss.pid (responder); both are host pids (only the mount
# namespace is new). Exit: CMD's status; 77 = prerequisite missing (skip);
# 1 = setup failed; 128+N if the script itself got signal N.
# Nothing is written outside WORKDIR: every path sssd writes is a tmpfs that
# exists only in the private namespace and vanishes with its last process.
# Env: SSSD_ENV_TIMEOUT (startup bound, s, default 20), SSSD_ENV_DEBUG (sssd -d).
# shellcheck disable=SC2317  # teardown & co. run from traps
set -euo pipefail

me=sssd_env.sh
die()  { echo "$me: ERROR: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

if [[ ${_SSSD_ENV_INNER:-} != 1 ]]; then
    # ---- outer half: check prerequisites, then re-exec inside a new mount ns.
    [[ $# -ge 3 && $2 == -- ]] || die "usage: $me WORKDIR -- CMD [ARGS...]"
    [[ $EUID -eq 0 ]] || skip "must run as root (mounts in a private namespace need CAP_SYS_ADMIN)"
    for c in unshare mount pgrep; do
        command -v "$c" >/dev/null || skip "$c not found: apt-get install util-linux mount procps"
    done
    [[ -x /usr/sbin/sssd && -x /usr/libexec/sssd/sssd_nss ]] ||
        skip "sssd is not installed: apt-get install sssd-common sssd-proxy libnss-sss"
    compgen -G '/usr/lib/*/sssd/libsss_files.so' >/dev/null ||
        skip "sssd files provider missing: apt-get install sssd-common"
    compgen -G '/lib/*/libnss_sss.so.2' >/dev/null || compgen -G '/usr/lib/*/libnss_sss.so.2' >/dev/null ||
        skip "libnss_sss missing: apt-get install libnss-sss"
    # The tmpfs mounts need existing mount points; sssd-common ships them.
    for d in /var/lib/sss /var/log/sssd /etc/sssd; do
        [[ -d $d ]] || skip "$d missing (broken sssd install?): apt-get install --reinstall sssd-common"
    done
    unshare --mount --propagation private true 2>/dev/null ||
        skip "cannot create a mount namespace (unshare --mount failed; no CAP_SYS_ADMIN in this container?)"
    workdir=$(realpath -m -- "$1")
    case $workdir/ in /run/* | /var/run/* | /var/lib/sss/* | /var/log/sssd/* | /etc/sssd/*)
        die "WORKDIR $workdir is under a path this script hides with a tmpfs; use e.g. /tmp/x" ;;
    esac
    mkdir -p "$workdir" || die "cannot create WORKDIR $workdir"
    rm -f "$workdir/sssd.pid" "$workdir/sssd_nss.pid"   # never let callers see stale pids
    shift 2
    # exec: the pid the caller got from `&` becomes the inner script, so a
    # SIGTERM to it reaches the traps below. --propagation private: none of our
    # mounts propagate back to the host.
    _SSSD_ENV_INNER=1 exec unshare --mount --propagation private -- \
        "$BASH" "${BASH_SOURCE[0]}" "$workdir" -- "$@"
fi

# ---- inner half: we are alone in a private mount namespace.
unset _SSSD_ENV_INNER
workdir=$1; shift 2
state=$workdir/sssd-env         # generated config + sssd log
mkdir -p "$state"
mnt() { mount -n "$@" || die "mount $* failed"; }  # -n: libmount would otherwise create /run/mount/utab on the HOST

sssd_pid='' cmd_pid='' torn_down=''
alive() {  # running and not a zombie (kill -0 succeeds on zombies)
    local s
    read -r s 2>/dev/null <"/proc/$1/stat" || return 1
    s=${s##*) }; [[ ${s%% *} != Z ]]
}
wait_gone() {  # wait_gone SECONDS PID...: true once all are gone
    local end=$((SECONDS + $1)) p; shift
    for p; do while alive "$p"; do ((SECONDS < end)) || return 1; sleep 0.1; done; done
}
ns_pids() {  # every other process in this mount namespace: only we and our descendants can be here
    local d
    for d in /proc/[0-9]*; do
        [[ ${d#/proc/} != "$$" && ${d#/proc/} != "$BASHPID" && $d/ns/mnt -ef /proc/self/ns/mnt ]] &&
            alive "${d#/proc/}" && echo "${d#/proc/}"
    done
    return 0
}
teardown() {
    [[ -z $torn_down ]] || return 0
    torn_down=1
    if [[ -n $cmd_pid ]] && alive "$cmd_pid"; then
        kill -TERM "$cmd_pid" 2>/dev/null || true
        wait_gone 15 "$cmd_pid" || kill -KILL "$cmd_pid" 2>/dev/null || true
    fi
    if [[ -n $sssd_pid ]] && alive "$sssd_pid"; then
        # The monitor's SIGTERM handler (monitor_quit) terminates sssd_nss and
        # sssd_be and waits for them; see "Child [nss] exited gracefully" in the log.
        kill -TERM "$sssd_pid" 2>/dev/null || true
        wait_gone 10 "$sssd_pid" || echo "$me: sssd ignored SIGTERM for 10 s, killing it" >&2
    fi
    local left _
    for _ in 1 2 3 4 5; do   # SIGKILL stragglers (children reparented to init, CMD's leftovers)
        left=$(ns_pids)
        [[ -n $left ]] || break
        # shellcheck disable=SC2086  # $left is a list of pids
        { kill -KILL $left 2>/dev/null; wait_gone 5 $left; } || true
    done
    [[ -z $left ]] || echo "$me: WARNING: could not kill: $left" >&2
    wait 2>/dev/null || true     # reap our own children
}
trap 'teardown' EXIT
trap 'teardown; exit 143' TERM
trap 'teardown; exit 130' INT
trap 'teardown; exit 129' HUP

# /var/lib/sss: sssd creates none of these dirs itself. Without db/ confdb
# setup fails (EIO); without pipes/private/ the monitor aborts binding its
# sbus socket; pipes/ holds the nss socket; mc/ the (disabled) mmap cache.
# The rest only mirrors Debian's sssd-common layout and modes.
mnt -t tmpfs -o mode=0755 sssd-env-lib /var/lib/sss
install -d -m 0700 /var/lib/sss/db /var/lib/sss/secrets /var/lib/sss/keytabs
install -d -m 0755 /var/lib/sss/pipes /var/lib/sss/pubconf /var/lib/sss/pubconf/krb5.include.d /var/lib/sss/gpo_cache
install -d -m 0750 /var/lib/sss/pipes/private
install -d -m 0751 /var/lib/sss/deskprofile
install -d -m 0775 /var/lib/sss/mc
# The monitor chowns /var/log/sssd/*.log at start; helpers may log there.
mnt -t tmpfs -o mode=0750 sssd-env-log /var/log/sssd
# sssd always reads /etc/sssd/conf.d/*.conf snippets (fixed path, even with
# -c); hide the host's so they cannot change our domain.
mnt -t tmpfs -o mode=0711 sssd-env-etc /etc/sssd
install -d -m 0711 /etc/sssd/conf.d

# /run: sssd writes /run/sssd.pid (compiled-in, O_CREAT|O_EXCL) and refuses to
# start if it names a live sssd. Give /run a private tmpfs, then bind the
# host's top-level entries back (bind mounts keep host sockets such as
# /run/dbus connectable; an overlayfs would not), except sssd.pid and nscd:
# glibc asks nscd before any NSS module, which would bypass sss entirely.
hostrun=$state/host-run
mkdir -p "$hostrun"
mnt --rbind /run "$hostrun"
mnt -t tmpfs -o mode=0755 sssd-env-run /run
shopt -s nullglob dotglob
for e in "$hostrun"/*; do
    n=/run/${e##*/}
    case ${e##*/} in sssd.pid | nscd) continue ;; esac
    if [[ -L $e ]]; then cp -P "$e" "$n"
    elif [[ -d $e ]]; then mkdir "$n" && mnt --rbind "$e" "$n"
    else : >"$n" && mnt --bind "$e" "$n"
    fi
done
shopt -u nullglob dotglob
umount -n -l "$hostrun" || die "umount $hostrun failed"

# sssd.conf must be root-owned 0600 or sssd refuses it.
#  - id_provider = files: sssd 2.8's files provider mirrors /etc/passwd; it
#    needs no network and no proxy_child.
#  - memcache_timeout = 0: otherwise libnss_sss answers hits from the mmap
#    cache in /var/lib/sss/mc without ever connecting to the pipe.
#  - client_idle_timeout: sssd_nss drops clients idle for 60 s by default; a
#    long test would then see the JVM's socket lose its peer.
(umask 077; cat >"$state/sssd.conf") <<'EOF'
[sssd]
services = nss
domains = test

[nss]
memcache_timeout = 0
client_idle_timeout = 86400

[domain/test]
id_provider = files
EOF
# sss first, so getpwuid_r() asks sssd over the pipe before reading /etc/passwd;
# the host's other databases are kept as they are.
{
    echo "passwd: sss files"
    echo "group: sss files"
    grep -Ev '^[[:space:]]*(passwd|group)[[:space:]]*:' /etc/nsswitch.conf || true
} >"$state/nsswitch.conf"
mnt --bind "$state/nsswitch.conf" /etc/nsswitch.conf

# -i: stay in the foreground (no daemonizing), so $! is the monitor itself.
sssd -i -c "$state/sssd.conf" --logger=stderr -d "${SSSD_ENV_DEBUG:-0x0070}" >"$state/sssd.log" 2>&1 &
sssd_pid=$!
end=$((SECONDS + ${SSSD_ENV_TIMEOUT:-20}))
nss_pid=
until [[ -S /var/lib/sss/pipes/nss ]] && nss_pid=$(pgrep -P "$sssd_pid" -x sssd_nss); do
    alive "$sssd_pid" || die "sssd exited during startup; see $state/sssd.log"
    ((SECONDS < end)) || die "sssd not ready after ${SSSD_ENV_TIMEOUT:-20} s (no /var/lib/sss/pipes/nss or sssd_nss); see $state/sssd.log, raise SSSD_ENV_TIMEOUT or SSSD_ENV_DEBUG=0x3ff0"
    sleep 0.1
done
echo "$sssd_pid" >"$workdir/sssd.pid.tmp" && mv "$workdir/sssd.pid.tmp" "$workdir/sssd.pid"
echo "$nss_pid" >"$workdir/sssd_nss.pid.tmp" && mv "$workdir/sssd_nss.pid.tmp" "$workdir/sssd_nss.pid"

# Background + wait, so that a signal to this script runs its trap at once.
# Bash makes background jobs ignore SIGINT; restore it for CMD.
(trap - INT QUIT; SSSD_ENV_READY=1 exec "$@") &
cmd_pid=$!
rc=0
wait "$cmd_pid" || rc=$?
exit "$rc"
