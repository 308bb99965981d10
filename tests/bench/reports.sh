#!/bin/sh
# reports.sh: how long a supervisor waits for the figures on a database of N
# questions (default 1,000,000).  Starts a private cluster in a temporary
# directory, migrates, seeds Twente and N synthetic questions, refreshes the
# summary tables once (the warm-up, timed), then measures as the login role
# supervisor_demo:
#
#   - each of the six reports, the whole `loket query -c '\report NAME'`
#     command (connect, session, query, output), and beside it the report's
#     SQL functions alone, timed by psql's \timing as the first statement of
#     a new session (as loket runs them) and in a warm session, where the
#     plans of the functions' statements are cached;   target < 500 ms each
#   - two typical filter queries with `loket query -c`; target < 100 ms each
#   - the query shell's start-up (start, read \q, leave) against
#     `psql -X -c 'select 1'`;                          target at most 1.5x psql
#
# A figure is the median of 5 runs after one warm-up run (start-up: of 20
# runs of each, taken in turn).  Times are wall clock from `date +%s%N`,
# whose own fork costs the same on both sides of a comparison.
#
#   tests/bench/reports.sh [N]         run from the build directory
#
# Environment: LOKET (the binary, default ./loket), KEEP=1 keeps the cluster.
# Exit status: 0 when every target is met, 1 when one is missed, 2 when a
# command fails.
set -eu

n=${1:-1000000}
case $n in '' | *[!0-9]*) echo "usage: $0 [N]" >&2; exit 1 ;; esac
. "$(dirname "$0")/bench-lib.sh"

sup="host=$sock user=supervisor_demo dbname=loket_bench"
admin_sql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d loket_bench "$@"; }

start=$(date +%s)
"$loket" -d "$admin" db seed --cases "$n" >/dev/null
echo "seeded $n questions in $(($(date +%s) - start)) s"
s=$(date +%s%N)
admin_sql -At -c 'SELECT loket.stat_refresh_all()' >/dev/null
echo "warm-up: SELECT loket.stat_refresh_all() took $((($(date +%s%N) - s) / 1000000)) ms"
# a settled database, as in daily use: statistics, visibility map, no
# checkpoint of the bulk load still being written
admin_sql -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
sleep 5
echo "database: $(admin_sql -At -c 'SELECT count(*) FROM loket.question') questions," \
    "$(admin_sql -At -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); psql: $pgbin/psql"

# The default windows of \report (src/model/report.c): 13 weeks up to today,
# and 12 months with `by month`.  The SQL-alone timings use the same days.
set -- $(admin_sql -At -F ' ' -c "SELECT date_trunc('week', current_date)::date - 84, current_date,
                                         (date_trunc('month', current_date) - interval '11 months')::date")
since=$1 until=$2 msince=$3
day13=$(date -d '91 days ago' +%F)
echo "report window: $since to $until (by month: $msince to $until); filter queries since:$day13"

failed=0

# usec CMD...: run CMD, its output thrown away, and print its wall-clock time
# in microseconds; stop the benchmark when it fails.
usec() {
    s=$(date +%s%N)
    "$@" >/dev/null 2>"$bench_dir/err" || {
        echo "reports: failed: $*" >&2
        cat "$bench_dir/err" >&2
        exit 2
    }
    e=$(date +%s%N)
    echo $(((e - s) / 1000))
}

# median: of the numbers on standard input, in microseconds, printed in ms.
median() {
    sort -n | awk '{ a[NR] = $1 }
        END { if (NR == 0) { print "reports: no timings" > "/dev/stderr"; exit 1 }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%.1f\n", m / 1000 }'
}

# median5 CMD...: one warm-up run, then the median of 5 runs, in ms.
median5() {
    usec "$@" >/dev/null
    : >"$bench_dir/runs"
    for i in 1 2 3 4 5; do usec "$@" >>"$bench_dir/runs"; done
    median <"$bench_dir/runs"
}

# sql_session SQL TIMES: psql's \timing of SQL run TIMES times in one session
# as supervisor_demo, one line per run, in microseconds.  Statements joined
# with \; are sent and timed as one.
sql_session() {
    { printf '%s\n' '\timing on' '\o /dev/null'
      i=0; while [ $i -lt "$2" ]; do printf '%s\n' "$1"; i=$((i + 1)); done; } |
        "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U supervisor_demo -d loket_bench \
            >"$bench_dir/timing" 2>"$bench_dir/err" || {
        echo "reports: psql failed on: $1" >&2
        cat "$bench_dir/err" >&2
        exit 2
    }
    sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$bench_dir/timing" | awk '{ print $1 * 1000 }'
}

# sql_new SQL: the median of 5 (after one warm-up) of SQL's time as the first
# statement of a new session, as loket runs it: each new session plans the
# statements inside the functions again.
sql_new() {
    sql_session "$1" 1 >/dev/null
    : >"$bench_dir/runs"
    for i in 1 2 3 4 5; do sql_session "$1" 1 >>"$bench_dir/runs"; done
    median <"$bench_dir/runs"
}

# sql_warm SQL: the same, 6 times in one session (the first not counted),
# with the plans of the functions' statements cached.
sql_warm() {
    sql_session "$1" 6 >"$bench_dir/runs"
    tail -n +2 "$bench_dir/runs" | median
}

# verdict MS TARGET: PASS when MS < TARGET, else MISS (and remember it).
# Not in $(...): the verdict is left in $v, the miss in $failed.
verdict() {
    if awk -v ms="$1" -v t="$2" 'BEGIN { exit !(ms < t) }'; then
        v=PASS
    else
        v=MISS
        failed=1
    fi
}

loket_q() { "$loket" -d "$sup" query -c "$1"; }

# ask WHAT ARGS: log a report's question as loket does before it counts
# (sql/026: the report functions answer only a logged question); ARGS are
# SQL values for jsonb_build_array.
ask() {
    "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U supervisor_demo -d loket_bench \
        -c "SELECT loket.supervisor_ask('$1', jsonb_build_array($2))" >/dev/null
}

# report WHAT SQL: time `\report WHAT` and its SQL alone; one table line.
report() {
    whole=$(median5 loket_q "\\report $1")
    new=$(sql_new "$2")
    warm=$(sql_warm "$2")
    verdict "$whole" 500
    printf '%-34s %9s ms %9s ms %9s ms   < 500 ms   %s\n' "\\report $1" "$whole" "$new" "$warm" "$v"
}

echo
echo "== reports, as supervisor_demo (median of 5): the whole loket command, and its SQL alone"
printf '%s\n' "   by psql's \\timing, in a new session each time and in a warm one"
printf '%-34s %12s %12s %12s   %-9s\n' "command" "loket" "SQL, new" "SQL, warm" "target"
w="'$since', '$until'"
ask volume "'topic', 'week', '$since'::date, '$until'::date"
ask volume "'muni', 'month', '$msince'::date, '$until'::date"
for r in funnel pickup consistency signals knowledge; do ask $r "'$since'::date, '$until'::date"; done
report volume "SELECT * FROM loket.report_volume('topic', 'week', $w);"
report "volume by muni by month" "SELECT * FROM loket.report_volume('muni', 'month', '$msince', '$until');"
report funnel "SELECT * FROM loket.report_funnel($w) \\; SELECT * FROM loket.report_outcomes($w);"
report pickup "SELECT * FROM loket.report_pickup($w);"
report consistency "SELECT * FROM loket.report_consistency($w);"
report signals "SELECT * FROM loket.report_signals($w) \\; SELECT * FROM loket.report_signal_examples($w, 10);"
report knowledge "SELECT * FROM loket.report_knowledge($w);"

echo
echo "== filter queries, as supervisor_demo (median of 5 of the whole loket command)"
for q in "topic:financiering since:$day13 count by org" \
    "org:kvk,cnv group:werkende since:$day13 count by week"; do
    ms=$(median5 loket_q "$q")
    verdict "$ms" 100
    printf '%-60s %9s ms   < 100 ms   %s\n' "$q" "$ms" "$v"
done

echo
printf '%s\n' "== start-up: the query shell started and left with \\q, against psql -c 'select 1' (20 runs each)"
loket_quit() { printf '\\q\n' | "$loket" -d "$sup" query; }
psql_one() { "$pgbin/psql" -X -h "$sock" -U supervisor_demo -d loket_bench -c 'select 1'; }
usec loket_quit >/dev/null
usec psql_one >/dev/null
: >"$bench_dir/start.loket"
: >"$bench_dir/start.psql"
i=0
while [ $i -lt 20 ]; do
    usec loket_quit >>"$bench_dir/start.loket"
    usec psql_one >>"$bench_dir/start.psql"
    i=$((i + 1))
done
lq=$(median <"$bench_dir/start.loket")
pq=$(median <"$bench_dir/start.psql")
ratio=$(awk -v l="$lq" -v p="$pq" 'BEGIN { printf "%.2f", l / p }')
v=PASS
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }' || { v=MISS; failed=1; }
printf '%-44s %9s ms\n' "loket query, then \\q" "$lq"
printf '%-44s %9s ms\n' "psql -X -c 'select 1'" "$pq"
printf '%-44s %9s x    <= 1.5 x    %s\n' "ratio loket / psql" "$ratio" "$v"

echo
if [ $failed = 0 ]; then
    echo "all targets met"
else
    echo "reports: a target was missed (MISS above)"
fi
exit $failed
