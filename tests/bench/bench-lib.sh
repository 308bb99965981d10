# bench-lib.sh: a private cluster with a migrated and seeded database for the
# benchmark scripts.  Sourced; sets $loket, $pgbin, $sock and $admin.
# Environment: LOKET (default ./loket), KEEP=1 keeps the cluster afterwards.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
loket=${LOKET:-./loket}
[ -x "$loket" ] || { echo "$(basename "$0"): run from the build directory after make" >&2; exit 2; }
export LOKET_DATADIR="${LOKET_DATADIR:-$top}"
bench_dir=$(mktemp -d /tmp/loket-bench.XXXXXX)
bench_cleanup() {
    [ "${KEEP:-0}" = 1 ] && { echo "cluster kept in $bench_dir"; return; }
    "$top/scripts/pgcluster" destroy "$bench_dir" >/dev/null 2>&1
    rm -rf "$bench_dir"
}
trap bench_cleanup EXIT INT TERM
sock=$("$top/scripts/pgcluster" start "$bench_dir")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
"$pgbin/psql" -X -q -h "$sock" -U postgres -d postgres -c 'CREATE DATABASE loket_bench'
admin="host=$sock user=postgres dbname=loket_bench"
"$loket" -d "$admin" db migrate >/dev/null 2>&1
"$loket" -d "$admin" db seed >/dev/null 2>&1
