#!/bin/sh
# seed_cases.sh: how fast `loket db seed --cases N` loads synthetic questions.
# Starts a private cluster in a temporary directory (or, with PGHOST set,
# uses that server and a throw-away database in it), migrates and seeds the
# reference data, times the load of N questions (default 1,000,000; target:
# under 3 minutes on a 2-core machine) and prints the rate and what was made.
# With the private cluster it also prints the time of each step (bench_seed
# in bench-lib.sh: the statements of a batch summed over all batches, from
# the LOG lines seed_cases writes, and the summaries afterwards).
#
#   tests/bench/seed_cases.sh [N]      run from the build directory
#
# Environment: LOKET (the binary, default ./loket); KEEP=1 keeps the private
# cluster, BENCH_DIR reuses one (see bench-lib.sh); PGHOST (and PGPORT, PGUSER, ...) for an existing server, where the
# user must be able to create databases and roles.
set -eu

n=${1:-1000000}
case $n in '' | *[!0-9]*) echo "usage: $0 [N]" >&2; exit 1 ;; esac

if [ -n "${PGHOST:-}" ]; then
    loket=${LOKET:-./loket}
    [ -x "$loket" ] || { echo "$(basename "$0"): run from the build directory after make" >&2; exit 2; }
    top=$(cd "$(dirname "$0")/../.." && pwd)
    export LOKET_DATADIR="${LOKET_DATADIR:-$top}"
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    db=loket_seed_bench_$$
    psql_db() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -d "$1"; }
    echo "CREATE DATABASE $db" | psql_db postgres
    trap 'echo "DROP DATABASE IF EXISTS $db" | psql_db postgres' EXIT INT TERM
    admin="dbname=$db"
    "$loket" -d "$admin" db migrate >/dev/null 2>&1
    "$loket" -d "$admin" db seed >/dev/null 2>&1
else
    . "$(dirname "$0")/bench-lib.sh"
    db=loket_bench
    psql_db() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d "$1"; }
    bench_seed "$n"
fi

if [ -n "${PGHOST:-}" ]; then
    echo "seeding $n questions ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    start=$(date +%s.%N)
    "$loket" -d "$admin" db seed --cases "$n" >/dev/null
    end=$(date +%s.%N)
    awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
        t = e - s
        printf "seeded %d questions in %.1f s (%.0f questions/s); target for 1,000,000: < 180 s\n", n, t, n / t
    }'
fi
psql_db "$db" <<'SQL'
SELECT 'question' AS "table", count(*) AS rows FROM loket.question
UNION ALL SELECT 'info_given', count(*) FROM loket.info_given
UNION ALL SELECT 'referral', count(*) FROM loket.referral
UNION ALL SELECT 'client', count(*) FROM loket.client
UNION ALL SELECT 'signal', count(*) FROM loket.signal
UNION ALL SELECT 'question_event', count(*) FROM loket.question_event;
SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size;
SQL
