#!/bin/sh
# reports.sh: how long a supervisor, an advisor and the central point wait
# for figures on a database of N questions (default 1,000,000).  Seeds a
# private cluster once (bench_seed in bench-lib.sh; BENCH_DIR reuses a kept
# one), refreshes the summary tables once (the warm-up, timed), then
# measures whole processes, wall clock, median and p95 of ROUNDS runs
# (default 20) after one warm-up run:
#
#   - each report, the whole `loket query -c '\report NAME'` command as
#     supervisor_demo (connect, session, log the question, count, output),
#     and beside it psql doing the same (a new process that logs the
#     question and calls the report's functions): the ratio loket / psql;
#     and the functions alone in a warm psql session;  target < 100 ms
#   - the query language's counts with `loket query -c`, with and without
#     since:, as supervisor_demo, kvk_demo and lwl_demo (counts over all
#     time are answered from the summaries, sql/030, status and two
#     dimensions sql/031; text words from question_fts), and an advisor's
#     list of rows with a text word (query_rows, sql/031);  target < 100 ms
#   - the query shell's start-up (start, read \q, leave) against
#     `psql -X -c 'select 1'`;                          target at most 1.5x psql
#
# A verdict is on the p95.  Times are wall clock from `date +%s%N`, whose
# own fork costs the same on both sides of a comparison.  The load average
# is printed before and after: on a busy machine the figures are not the
# product's.
#
#   tests/bench/reports.sh [N]         run from the build directory
#
# Environment: LOKET (the binary, default ./loket), KEEP=1 keeps the cluster,
# BENCH_DIR=DIR measures a kept one, ROUNDS.
# Exit status: 0 when every target is met, 1 when one is missed, 2 when a
# command fails.
set -eu

n=${1:-1000000}
case $n in '' | *[!0-9]*) echo "usage: $0 [N]" >&2; exit 1 ;; esac
. "$(dirname "$0")/bench-lib.sh"

sup="host=$sock user=supervisor_demo dbname=loket_bench"
rounds=${ROUNDS:-20}
admin_sql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d loket_bench "$@"; }

bench_seed "$n"
s=$(date +%s%N)
admin_sql -At -c 'SELECT loket.stat_refresh_all()' >/dev/null
echo "warm-up: SELECT loket.stat_refresh_all() took $((($(date +%s%N) - s) / 1000000)) ms"
echo "database: $(admin_sql -At -c 'SELECT count(*) FROM loket.question') questions," \
    "$(admin_sql -At -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
echo "load average before measuring: $(bench_load)"

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

# med_p95: "MEDIAN P95" in ms of the microseconds on standard input (the
# p95 of 20 runs is the 19th).
med_p95() {
    sort -n | awk '{ a[NR] = $1 }
        END { if (NR == 0) { print "reports: no timings" > "/dev/stderr"; exit 1 }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              i = int(NR * 0.95 + 0.5); if (i < 1) i = 1
              printf "%.1f %.1f\n", m / 1000, a[i] / 1000 }'
}

# runs CMD...: one warm-up run, then "MEDIAN P95" of ROUNDS runs, in ms.
runs() {
    usec "$@" >/dev/null
    : >"$bench_dir/runs"
    i=0
    while [ $i -lt "$rounds" ]; do usec "$@" >>"$bench_dir/runs"; i=$((i + 1)); done
    med_p95 <"$bench_dir/runs"
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

# ask WHAT ARGS: the SQL that logs a report's question as loket does before
# it counts (sql/026: the report functions answer only a logged question);
# ARGS are SQL values for jsonb_build_array.
ask_sql() { echo "SELECT loket.supervisor_ask('$1', jsonb_build_array($2))"; }
ask() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U supervisor_demo -d loket_bench \
            -c "$(ask_sql "$1" "$2")" >/dev/null; }

# report WHAT ASK SQL: time `\report WHAT`, psql logging ASK and running SQL
# as a new process, and SQL in a warm session; one table line.
report() {
    set -- "$1" "$2" "$3" $(runs loket_q "\\report $1")
    l_med=$4 l_p95=$5
    psql_report() {
        "$pgbin/psql" -X -q -o /dev/null -v ON_ERROR_STOP=1 -h "$sock" -U supervisor_demo \
            -d loket_bench -c "$1" -c "$2"
    }
    # (psql's \; joins statements in a script; in -c they are joined anyway)
    set -- "$1" "$2" "$3" $(runs psql_report "$2" "$(printf '%s\n' "$3" | sed 's/ \\;/;/g')")
    p_med=$4 p_p95=$5
    warm=$(sql_warm "$3")
    verdict "$l_p95" 100
    printf '%-26s %6s %6s   %6s %6s   %5s x   %6s ms   %s\n' "\\report $1" "$l_med" "$l_p95" \
        "$p_med" "$p_p95" "$(awk -v l="$l_med" -v p="$p_med" 'BEGIN { printf "%.2f", l / p }')" \
        "$warm" "$v"
}

echo
echo "== reports, as supervisor_demo: median and p95 of $rounds runs, in ms"
printf '%-26s %13s   %13s   %7s   %9s   %s\n' "" "loket" "psql" "loket/" "SQL warm" "p95 <"
printf '%-26s %6s %6s   %6s %6s   %7s   %9s   %s\n' "command" "median" "p95" "median" "p95" \
    "psql" "median" "100 ms"
w="'$since', '$until'"
a="'$since'::date, '$until'::date"
ask volume "'topic', 'week', $a"
ask volume "'muni', 'month', '$msince'::date, '$until'::date"
for r in funnel pickup consistency signals knowledge; do ask $r "$a"; done
report volume "$(ask_sql volume "'topic', 'week', $a")" \
    "SELECT * FROM loket.report_volume('topic', 'week', $w);"
report "volume by muni by month" "$(ask_sql volume "'muni', 'month', '$msince'::date, '$until'::date")" \
    "SELECT * FROM loket.report_volume('muni', 'month', '$msince', '$until');"
report funnel "$(ask_sql funnel "$a")" \
    "SELECT * FROM loket.report_funnel($w) \\; SELECT * FROM loket.report_outcomes($w);"
report pickup "$(ask_sql pickup "$a")" "SELECT * FROM loket.report_pickup($w);"
report consistency "$(ask_sql consistency "$a")" "SELECT * FROM loket.report_consistency($w);"
report signals "$(ask_sql signals "$a")" \
    "SELECT * FROM loket.report_signals($w) \\; SELECT * FROM loket.report_signal_examples($w, 10);"
report knowledge "$(ask_sql knowledge "$a")" "SELECT * FROM loket.report_knowledge($w);"

# count ROLE QUERY: one table line for `loket query -c QUERY` as ROLE.
count() {
    q_as() { "$loket" -d "host=$sock user=$1 dbname=loket_bench" query -c "$2"; }
    set -- "$1" "$2" $(runs q_as "$1" "$2")
    verdict "$4" 100
    printf '%-16s %-52s %7s %7s   %s\n' "$1" "$2" "$3" "$4" "$v"
}

echo
echo "== the query language's counts, the whole loket command: median and p95 of $rounds runs, in ms"
printf '%-16s %-52s %7s %7s   %s\n' "as" "query (a list of rows without count)" "median" "p95" \
    "p95 < 100 ms"
for q in "topic:financiering since:$day13 count by org" \
    "org:kvk,cnv group:werkende since:$day13 count by week" \
    "topic:financiering count by org" "count by org" "group:werkende count by month" \
    "count by muni" "topic:evc,taal count by org,topic by month" \
    "org:kvk,cnv group:werkende count by week" "status:open count by topic" \
    '"glasblazen" count' '"fietsenmaker" count' '"kinderopvang" count by org' '"opleiding" count'; do
    count supervisor_demo "$q"
done
for who in kvk_demo lwl_demo; do
    for q in "topic:financiering since:$day13 count by org" "topic:financiering count by org" \
        "count by month" "group:werkende count by month" "status:open count by topic" \
        "channel:balie count by status" \
        '"glasblazen" count' '"fietsenmaker" count' '"kinderopvang" count by org' \
        '"opleiding" count' '"glasblazen"' '"fietsenmaker"' '"opleiding"' \
        'topic:evc "opleiding"'; do
        count "$who" "$q"
    done
done

echo
printf '%s\n' "== the first figures after a change: kvk_demo registers a question (today's summaries go stale), then each counts; $rounds runs, whole command, p95 < 100 ms (sql/034: the changed day's questions are counted beside the summaries, nobody waits for a refresh)"
kvk="host=$sock user=kvk_demo dbname=loket_bench"
change() { "$loket" -d "$kvk" case add --group werkende --topic evc --channel balie --text "Wijziging voor de meting" >/dev/null; }
q_as() { "$loket" -d "host=$sock user=$1 dbname=loket_bench" query -c "$2"; }
after() {
    : >"$bench_dir/after"
    i=0
    while [ $i -lt "$rounds" ]; do
        change
        usec q_as "$1" "$2" >>"$bench_dir/after"
        i=$((i + 1))
    done
    set -- "$1" "$2" $(med_p95 <"$bench_dir/after")
    verdict "$4" 100
    printf '%-16s %-40s median %6s ms   p95 %6s ms   %s\n' "$1" "$2" "$3" "$4" "$v"
}
after supervisor_demo "topic:financiering count by org"
after supervisor_demo '\report funnel'
after supervisor_demo '\report volume by org by month'
after kvk_demo "status:open count by topic"
after lwl_demo "group:werkende count by channel"
s=$(date +%s%N)
admin_sql -At -c 'SELECT loket.stat_refresh_all()' >/dev/null
echo "then loket db refresh (as a timer runs it) took $((($(date +%s%N) - s) / 1000000)) ms"

echo
printf '%s\n' "== start-up: the query shell started and left with \\q, against psql -c 'select 1' ($rounds runs each, in turn)"
loket_quit() { printf '\\q\n' | "$loket" -d "$sup" query; }
psql_one() { "$pgbin/psql" -X -h "$sock" -U supervisor_demo -d loket_bench -c 'select 1'; }
usec loket_quit >/dev/null
usec psql_one >/dev/null
: >"$bench_dir/start.loket"
: >"$bench_dir/start.psql"
i=0
while [ $i -lt "$rounds" ]; do
    usec loket_quit >>"$bench_dir/start.loket"
    usec psql_one >>"$bench_dir/start.psql"
    i=$((i + 1))
done
set -- $(med_p95 <"$bench_dir/start.loket") $(med_p95 <"$bench_dir/start.psql")
ratio=$(awk -v l="$1" -v p="$3" 'BEGIN { printf "%.2f", l / p }')
v=PASS
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }' || { v=MISS; failed=1; }
printf '%-44s median %6s ms   p95 %6s ms\n' "loket query, then \\q" "$1" "$2"
printf '%-44s median %6s ms   p95 %6s ms\n' "psql -X -c 'select 1'" "$3" "$4"
printf '%-44s %6s x (medians)   <= 1.5 x    %s\n' "ratio loket / psql" "$ratio" "$v"

echo
if [ $failed = 0 ]; then
    echo "all targets met"
else
    echo "reports: a target was missed (MISS above)"
fi
exit $failed
