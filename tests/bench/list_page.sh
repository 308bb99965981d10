#!/bin/sh
# list_page.sh: how fast the case list pages on a big database.  Starts a
# private cluster in a temporary directory, migrates, seeds Twente and N
# synthetic questions (default 1,000,000), then times keyset pages of 60 rows
# (a large screen plus margin) as an advisor and the central point, walking
# from both ends; then pages of the list searched (/) for a common, a rare
# and a missing word, a word in about 1 of 60 questions and a phrase of
# common words (sql/028).  The rare word is written into 24 questions
# (bench_seed in bench-lib.sh, which seeds once; BENCH_DIR reuses a cluster).
#
#   tests/bench/list_page.sh [N]       run from the build directory
#
# Environment: LOKET (the binary, default ./loket), BENCH_LIST (default
# ./tests/bench/bench_list), KEEP=1 keeps the cluster for inspection,
# SEARCH_PAGES (default 100) timed search pages per word and role.
# Target: the first page and every following page in well under 50 ms;
# a search page p95 <= 50 ms.
set -eu

n=${1:-1000000}
bench=${BENCH_LIST:-./tests/bench/bench_list}
[ -x "$bench" ] || { echo "list_page: run from the build directory after make" >&2; exit 2; }
. "$(dirname "$0")/bench-lib.sh"
bench_seed "$n"
"$pgbin/psql" -X -At -h "$sock" -U postgres -d loket_bench -c \
    "SELECT 'questions per organisation: ' || string_agg(organisation || ' ' || n, ', ' ORDER BY n DESC)
       FROM (SELECT organisation, count(*) n FROM loket.question GROUP BY 1) s"

# (supervisors read no questions since sql/026: they see counts, tests/bench/reports.sh)
for role in kvk_demo lwl_demo; do
    echo "== $role"
    "$bench" "host=$sock user=$role dbname=loket_bench" 300 60
done
for role in kvk_demo lwl_demo; do
    echo "== $role, searching"
    "$bench" "host=$sock user=$role dbname=loket_bench" "${SEARCH_PAGES:-100}" 60 \
        opleiding glasblazen fietsenmaker kinderopvang '"werk naar werk"'
done
