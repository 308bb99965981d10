# shellcheck shell=sh disable=SC2034,SC2154
# netlib.sh: shell functions to run the local test servers of tests/net/.
# POSIX sh; to be sourced, not run. POSIX sh cannot tell a sourced file
# where it lives, so set net_dir to the tests/net directory first:
#
#     net_dir=$srcdir/tests/net      # or wherever tests/net is
#     . "$net_dir/netlib.sh"
#     trap net_stop EXIT
#     net_certs "$tmp/certs"
#     net_start_catalogue "$tmp/state" "$tmp/certs"   # sets catalogue_port/_pid
#     net_start_smtp "$tmp/mail" "$tmp/certs" --refuse bad@example.org
#                                                     # sets smtp_port/_pid
#     ...
#     net_stop
#
# Functions (each returns non-zero with a message on stderr on failure):
#   net_certs DIR                  make-certs.sh DIR: ca.pem, ca.key,
#                                  server.pem, server.key, other-ca.pem
#   net_start_catalogue STATE_DIR CERT_DIR [extra args...]
#                                  start catalogue_server.py in the
#                                  background on 127.0.0.1; wait (up to 10 s)
#                                  for its port file STATE_DIR/catalogue.port;
#                                  set catalogue_port and catalogue_pid
#   net_start_smtp OUT_DIR CERT_DIR [extra args...]
#                                  the same for smtp_sink.py (port file
#                                  OUT_DIR/smtp.port); extra args go to the
#                                  sink (--refuse ADDR..., --user U
#                                  --password P); sets smtp_port and smtp_pid
#   net_stop                       stop every server started so far and wait
#                                  for them; safe to call twice (trap EXIT)
#
# Call the start functions directly, not in $(...) or a pipeline: they set
# variables and remember the pids in this shell. The servers inherit stderr
# (only errors go there); stdout goes to /dev/null. The Python interpreter is
# "python3" unless NET_PYTHON says otherwise.

net_pids=

net_certs() {
    sh "$net_dir/make-certs.sh" "$1"
}

# net__start NAME PORTFILE SCRIPT ARGS...: start a server, wait for its port
# file; sets net__port and net__pid.
net__start() {
    net__name=$1 net__portfile=$2 net__script=$3
    shift 3
    rm -f "$net__portfile"
    "${NET_PYTHON:-python3}" "$net_dir/$net__script" \
        --port-file "$net__portfile" "$@" >/dev/null &
    net__pid=$!
    net_pids="$net_pids $net__pid"
    net__tries=0
    while [ ! -s "$net__portfile" ]; do
        if ! kill -0 "$net__pid" 2>/dev/null; then
            echo "netlib: $net__name exited before it was listening" >&2
            return 1
        fi
        net__tries=$((net__tries + 1))
        if [ "$net__tries" -gt 100 ]; then
            echo "netlib: $net__name did not start within 10 s" >&2
            return 1
        fi
        sleep 0.1
    done
    net__port=$(cat "$net__portfile")
}

net_start_catalogue() {
    net__state=$1 net__certs=$2
    shift 2
    mkdir -p "$net__state" || return 1
    net__start catalogue_server "$net__state/catalogue.port" \
        catalogue_server.py --cert "$net__certs/server.pem" \
        --key "$net__certs/server.key" --state "$net__state" "$@" || return 1
    catalogue_port=$net__port
    catalogue_pid=$net__pid
}

net_start_smtp() {
    net__out=$1 net__certs=$2
    shift 2
    mkdir -p "$net__out" || return 1
    net__start smtp_sink "$net__out/smtp.port" \
        smtp_sink.py --cert "$net__certs/server.pem" \
        --key "$net__certs/server.key" --out "$net__out" "$@" || return 1
    smtp_port=$net__port
    smtp_pid=$net__pid
}

net_stop() {
    for net__p in $net_pids; do
        kill "$net__p" 2>/dev/null || :
    done
    for net__p in $net_pids; do
        wait "$net__p" 2>/dev/null || :
    done
    net_pids=
    return 0
}
