# bench-lib.sh: a private cluster with a migrated and seeded database for the
# benchmark scripts.  Sourced; sets $loket, $pgbin, $sock, $admin and
# $bench_dir, and prints the machine and its load average (again at exit).
#
# Environment: LOKET (default ./loket); KEEP=1 keeps the cluster afterwards
# (its directory is printed); BENCH_DIR=DIR uses a cluster kept so (it is
# started when it is not running, and kept again), so that several scripts
# measure one seeded database: bench_seed then seeds only when it holds
# fewer questions than asked for.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
loket=${LOKET:-./loket}
[ -x "$loket" ] || { echo "$(basename "$0"): run from the build directory after make" >&2; exit 2; }
export LOKET_DATADIR="${LOKET_DATADIR:-$top}"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

bench_load() { cut -d' ' -f1-3 /proc/loadavg; }
bench_machine() {
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
        "$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM;" \
        "$("$pgbin/postgres" --version)"
}
bench_cleanup() {
    echo "load average at the end: $(bench_load)"
    if [ -n "${BENCH_DIR:-}" ] || [ "${KEEP:-0}" = 1 ]; then
        echo "cluster kept in $bench_dir (BENCH_DIR=$bench_dir reuses it)"
        return
    fi
    "$top/scripts/pgcluster" destroy "$bench_dir" >/dev/null 2>&1
    rm -rf "$bench_dir"
}

bench_machine
echo "load average at the start: $(bench_load)"
if [ -n "${BENCH_DIR:-}" ]; then
    bench_dir=$BENCH_DIR
    [ -d "$bench_dir/data" ] || { echo "$(basename "$0"): $bench_dir holds no kept cluster" >&2; exit 2; }
else
    bench_dir=$(mktemp -d /tmp/loket-bench.XXXXXX)
fi
trap bench_cleanup EXIT
trap 'exit 1' INT TERM
sock=$("$top/scripts/pgcluster" start "$bench_dir")
admin="host=$sock user=postgres dbname=loket_bench"
if ! "$pgbin/psql" -X -qAt -h "$sock" -U postgres -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = 'loket_bench'" | grep -q 1; then
    "$pgbin/psql" -X -q -h "$sock" -U postgres -d postgres -c 'CREATE DATABASE loket_bench'
    "$loket" -d "$admin" db migrate >/dev/null 2>&1
    "$loket" -d "$admin" db seed >/dev/null 2>&1
fi

bench_sql() { "$pgbin/psql" -X -qAt -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d loket_bench -c "$1"; }

# bench_seed N: N synthetic questions, unless the database has that many
# already (BENCH_DIR); then the rare word of the search benchmarks in 24 of
# them (whatever N), and a settled database as in daily use (statistics, visibility map,
# no checkpoint of the bulk load still being written).  Prints how long the
# seed took, in total and per step: loading the batches, each statement of
# a batch summed over all batches (both connections: their sum is about
# twice the wall clock), and the supervisors' summaries afterwards.
bench_seed() {
    have=$(bench_sql 'SELECT count(*) FROM loket.question')
    if [ "$have" -ge "$1" ]; then
        echo "database: $have questions already (seeded before)"
        return
    fi
    log_from=$(wc -l <"$bench_dir/server.log")
    echo "$(date +%s.%N) start" >"$bench_dir/seed.out"
    { "$loket" -d "$admin" db seed --cases "$1" 2>&1 >/dev/null; echo "status $?"; } |
        while IFS= read -r line; do echo "$(date +%s.%N) $line"; done >>"$bench_dir/seed.out"
    grep -q ' status 0$' "$bench_dir/seed.out" || { cat "$bench_dir/seed.out" >&2; exit 2; }
    awk -v n="$1" '
        NR == 1 { t0 = $1 }
        $2 == "generated" { g1 = $1 }
        { end = $1 }
        END { printf "seeded %d questions in %.1f s: reference data and batches %.1f s," \
                     " the summaries (stat_refresh_all) %.1f s\n", n, end - t0, g1 - t0, end - g1 }' \
        "$bench_dir/seed.out"
    tail -n +"$((log_from + 1))" "$bench_dir/server.log" |
        sed -n 's/.*LOG:  seed_cases \([a-z_]*\) \([0-9.]*\)$/\1 \2/p' |
        awk '{ s[$1] += $2; if (!($1 in o)) o[$1] = ++k; all += $2 }
             END { printf "  per step, summed over the batches of both connections:\n"
                   for (x in o) order[o[x]] = x
                   for (i = 1; i <= k; i++)
                       printf "    %-16s %7.1f s  %4.1f%%\n", order[i], s[order[i]] / 1000,
                              100 * s[order[i]] / all }'
    # (two in every N / 12: 24 of 1,000,000, as list_page.sh has always had)
    bench_sql "UPDATE loket.question SET text = text || ' Wil glasblazen leren.'
                WHERE number % $(($1 / 12 > 2 ? $1 / 12 : 2)) IN (0, 1)
                  AND text NOT LIKE '%glasblazen%'" >/dev/null
    "$pgbin/psql" -X -q -h "$sock" -U postgres -d loket_bench -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
    sleep 5
}
