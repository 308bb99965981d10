#!/bin/sh
# load.sh: a region's desks at ten times a busy day on N questions (default
# 1,000,000), with tests/bench/load (load.c): ADVISORS desks (default 300),
# each its own connection holding a LISTEN, and one central-point advisor per
# 30 desks, for SECONDS (default 60).  Prints per operation the count and
# p50/p95/p99, the throughput, the server's memory per connection and its
# CPU.  The target: p95 at most 50 ms for every operation.
#
#   tests/bench/load.sh [N] [ADVISORS] [SECONDS]   run from the build directory, as root
#
# Environment as bench-lib.sh (BENCH_DIR reuses a kept cluster).  The
# cluster's max_connections is raised to ADVISORS + 50 for the run.
# Exit status: 0 when every p95 is within 50 ms, 1 when one is not, 2 when
# a command fails.
set -eu
n=${1:-1000000}
advisors=${2:-300}
seconds=${3:-60}
. "$(dirname "$0")/bench-lib.sh"
[ -x tests/bench/load ] || { echo "load.sh: build tests/bench/load first (make)" >&2; exit 2; }
bench_seed "$n"
need=$((advisors + advisors / 30 + 20))
if [ "$(bench_sql 'SHOW max_connections')" -lt "$need" ]; then
    bench_sql "ALTER SYSTEM SET max_connections = $need" >/dev/null
    "$top/scripts/pgcluster" stop "$bench_dir" >/dev/null
    "$top/scripts/pgcluster" start "$bench_dir" >/dev/null
fi
echo "database: $(bench_sql 'SELECT count(*) FROM loket.question') questions;" \
    "max_connections $(bench_sql 'SHOW max_connections')"
tests/bench/load "host=$sock dbname=loket_bench" "$advisors" "$seconds" | tee "$bench_dir/load.out"
awk '$1 ~ /^(list|search|add|suggest|give|open|refer|inbox|accept|complete)$/ && NF >= 5 && $5 > 50 {
         print "load.sh: " $1 " p95 " $5 " ms, over 50 ms"; bad = 1 }
     END { exit bad }' "$bench_dir/load.out"
