#!/bin/sh
# seed_cases.sh: how fast `loket db seed --cases N` loads synthetic questions.
# Starts a private cluster in a temporary directory, migrates and seeds the
# reference data, times the load of N questions (default 1,000,000; target:
# under 3 minutes on a 2-core machine) and prints the rate and what was made.
#
#   tests/bench/seed_cases.sh [N]      run from the build directory
#
# Environment: LOKET (the binary, default ./loket); KEEP=1 keeps the cluster.
set -eu

n=${1:-1000000}
. "$(dirname "$0")/bench-lib.sh"
start=$(date +%s.%N)
"$loket" -d "$admin" db seed --cases "$n" >/dev/null
end=$(date +%s.%N)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
    t = e - s
    printf "seeded %d questions in %.1f s (%.0f questions/s); target for 1,000,000: < 180 s\n", n, t, n / t
}'
"$pgbin/psql" -X -q -h "$sock" -U postgres -d loket_bench <<'SQL'
SELECT 'question' AS "table", count(*) AS rows FROM loket.question
UNION ALL SELECT 'info_given', count(*) FROM loket.info_given
UNION ALL SELECT 'referral', count(*) FROM loket.referral
UNION ALL SELECT 'client', count(*) FROM loket.client
UNION ALL SELECT 'signal', count(*) FROM loket.signal
UNION ALL SELECT 'question_event', count(*) FROM loket.question_event;
SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size;
SQL
