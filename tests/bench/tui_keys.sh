#!/bin/sh
# tui_keys.sh: from keystroke to screen in the real terminal interface, on a
# database of N questions (default 1,000,000): start-up against psql,
# opening the list, paging, opening a question, each keystroke of a
# knowledge search, the question search (/) for a common, a rare and a
# missing word as kvk_demo and as lwl_demo, and opening questions from the
# central point's inbox.  The database is seeded once (bench_seed in
# bench-lib.sh); BENCH_DIR=DIR measures a cluster kept by another script.
#
#   tests/bench/tui_keys.sh [N]     run from the build directory
#
# loket runs in tmux with LOKET_TRACE, which logs when each key is read, each
# statement sent, and when the frame the key caused was written to the
# terminal.  A step's time is key → frame as loket measures it, and its
# query count is the statements in between.  After each step the screen is
# checked for the expected text.  The round trip through tmux itself (send-
# keys, the pane, capture-pane) is printed once for comparison: it is the
# harness's cost, not loket's, and on a small virtual machine it is larger
# than the figures being measured.
#
# The search and the inbox are timed ROUNDS times (default 10) each, and
# their median and p95 printed: a search's time runs from Enter to the first
# frame after its last statement (so that it holds whether the statement is
# sent while the key waits or in the background), and it is checked against
# its own target, p95 <= 50 ms (issue 15).  Start-up is timed ROUNDS times
# from launching loket in tmux to its first frame (the first page on the
# screen), against `psql -X -c 'select 1'` (median ratio; target 1.5x).
# A step's time is from its key to the last frame it caused: a search as
# you type draws the letter, then the results.
#
# Target: under 50 ms for each step, and at most 5 queries for any step
# (one page: 1, or 2 at the end of the list where the last page is refilled;
# a question: 4, and 1 more to mark its referral news seen); opening a
# question from the inbox p95 <= 30 ms.
set -eu
n=${1:-1000000}
command -v tmux >/dev/null || { echo "tui_keys: tmux is missing" >&2; exit 2; }
rounds=${ROUNDS:-10}
. "$(dirname "$0")/bench-lib.sh"
bench_seed "$n"
rm -f "$bench_dir"/search.* "$bench_dir"/inbox.open "$bench_dir"/queries.* "$bench_dir"/start.*
total=$("$pgbin/psql" -X -qAt -h "$sock" -U postgres -d loket_bench -c 'SELECT count(*) FROM loket.question')
mine=$("$pgbin/psql" -X -qAt -h "$sock" -U postgres -d loket_bench \
    -c "SELECT count(*) FROM loket.question WHERE organisation = 'kvk'")
echo "database: $total questions, $mine of them kvk's (the demo advisor kvk_demo sees these)"
echo "load average before measuring: $(bench_load)"

sockname="loket-bench-$$"
trace="$bench_dir/trace"
t() { tmux -L "$sockname" -f /dev/null "$@"; }
screen() { t capture-pane -p -t b; }
lines() { wc -l <"$trace"; }
failed=0
max_queries=5
bench_cleanup_tmux() { t kill-server 2>/dev/null || true; bench_cleanup; }
trap bench_cleanup_tmux EXIT
ts() { date +%s.%N; }
trap 'exit 1' INT TERM

# wait_frame FROM: wait until the trace has a frame after line FROM and
# nothing new for 30 ms, then print "MS QUERIES SLOWEST" for the last frame
# (a search as you type draws the letter first, then the results: both
# frames are timed from the key, the results' is the step's time).
wait_frame() {
    i=0
    while :; do
        if tail -n +"$(($1 + 1))" "$trace" | grep -q ' frame '; then
            n1=$(lines)
            sleep 0.03
            [ "$(lines)" = "$n1" ] && break
        fi
        i=$((i + 1))
        [ $i -lt 2000 ] || { echo "tui_keys: no frame after line $1" >&2; exit 1; }
        sleep 0.01
    done
    tail -n +"$(($1 + 1))" "$trace" | awk '
        $2 == "sql" { q++; if ($3 > slow) slow = $3 }
        $2 == "frame" { f = $3 }
        END { printf "%.1f %d %.1f\n", f, q, slow }'
}

# wait_result FROM: wait until the trace after line FROM has a statement and
# a frame after the last statement (and no new statement for 30 ms), then
# print the ms from the first key after FROM to that frame.
wait_result() {
    i=0
    while :; do
        res=$(tail -n +"$(($1 + 1))" "$trace" | awk '
            $2 == "key" && !k { k = $1 }
            $2 == "sql" { s = $1; f = 0 }
            $2 == "frame" && s && !f { f = $1 }
            END { if (k && s && f) printf "%.1f\n", (f - k) * 1000 }')
        if [ -n "$res" ]; then
            n1=$(lines)
            sleep 0.03
            [ "$(lines)" = "$n1" ] && { echo "$res"; return; }
        fi
        i=$((i + 1))
        [ $i -lt 1000 ] || { echo "tui_keys: no result after line $1" >&2; screen >&2; exit 1; }
        sleep 0.01
    done
}

# stat_line NAME FILE TARGET: median and p95 of the ms in FILE.
stat_line() {
    sort -n "$2" | awk -v name="$1" -v target="$3" '{ a[NR] = $1 }
        END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              p = a[int(NR * 0.95 + 0.5) < 1 ? 1 : int(NR * 0.95 + 0.5)]
              printf "%-40s median %6.1f ms  p95 %6.1f ms  (%d runs)  %s\n", name, m, p, NR,
                     p <= target ? "ok" : "OVER " target " ms"
              exit p <= target ? 0 : 1 }' || failed=1
}

# search WHO WORD...: ROUNDS times each word: / WORD Enter, timed.
search() {
    who=$1
    shift
    r=0
    while [ $r -lt "$rounds" ]; do
        for word in "$@"; do
            t send-keys -t b / 
            t send-keys -t b -l "$word"
            sleep 0.05
            from=$(lines)
            t send-keys -t b Enter
            wait_result "$from" >>"$bench_dir/search.$who.$word"
            case $word in
            fietsenmaker) screen | grep -qF "No question matches" ||
                { echo "tui_keys: /$word found something" >&2; screen >&2; exit 1; } ;;
            *) screen | grep -qF "No question matches" &&
                { echo "tui_keys: /$word found nothing" >&2; screen >&2; exit 1; } ;;
            esac
        done
        r=$((r + 1))
    done
    for word in "$@"; do
        stat_line "search /$word as $who" "$bench_dir/search.$who.$word" 50
    done
}

# step NAME TEXT KEY: send KEY, time it, then check TEXT is on the screen.
step() {
    name=$1 text=$2 key=$3
    from=$(lines)
    t send-keys -t b "$key"
    set -- $(wait_frame "$from")
    i=0
    while ! screen | grep -qF -- "$text"; do
        i=$((i + 1))
        [ $i -lt 200 ] || { echo "tui_keys: '$text' not on the screen after $name" >&2; screen >&2; exit 1; }
        sleep 0.01
    done
    verdict=ok
    if awk -v ms="$1" 'BEGIN { exit !(ms >= 50) }'; then verdict="OVER 50 ms"; failed=1; fi
    printf '%-36s %7s ms  %2d queries (slowest %5s ms)  %s\n' "$name" "$1" "$2" "$3" "$verdict"
    kind=$(echo "$name" | sed "s/ ([0-9]*)\$//; s/ '.'\$//" | tr ' ' _)
    echo "$2" >>"$bench_dir/queries.$kind"
}

# The harness's own round trip: a key echoed by cat, seen through capture-pane.
t new-session -d -s cat -x 80 -y 24 cat
sleep 0.2
start=$(date +%s%N)
t send-keys -t cat x
while ! t capture-pane -p -t cat | grep -qF x; do :; done
harness=$((($(date +%s%N) - start) / 1000000))
one_capture=$(date +%s%N)
t capture-pane -p -t cat >/dev/null
one_capture=$((($(date +%s%N) - one_capture) / 1000000))
echo "harness: tmux echo round trip $harness ms, one capture-pane $one_capture ms (not counted)"
echo

# Start-up against psql, ROUNDS times each in turn, both launched the same
# way (a tmux session running a shell command): loket until its first frame
# (the first page of the list on the screen; from its trace: the news count
# of the status bar follows it), psql -X -c 'select 1' until it has exited
# (the shell then writes the time).
: >"$bench_dir/start.loket"
: >"$bench_dir/start.psql"
r=0
while [ $r -lt "$rounds" ]; do
    : >"$trace"
    s0=$(ts)
    t new-session -d -s b -x 120 -y 40 \
        "env TERM=xterm-256color LANG=C.UTF-8 LANGUAGE=en LOKET_TRACE='$trace' \
         XDG_STATE_HOME='$bench_dir/state' '$loket' -d 'host=$sock dbname=loket_bench user=kvk_demo'; sleep 600"
    i=0
    until screen | grep -qF "connected" && grep -q ' frame ' "$trace"; do
        i=$((i + 1)); [ $i -lt 1000 ] || { echo "tui_keys: loket did not start" >&2; exit 1; }
        sleep 0.01
    done
    sleep 0.2
    awk -v s0="$s0" '$2 == "frame" { printf "%.1f\n", ($1 - s0) * 1000; exit }' "$trace" \
        >>"$bench_dir/start.loket"
    t kill-session -t b
    rm -f "$bench_dir/psql.end"
    s0=$(ts)
    t new-session -d -s p -x 120 -y 40 \
        "'$pgbin/psql' -X -h '$sock' -U kvk_demo -d loket_bench -c 'select 1' >/dev/null; \
         date +%s.%N >'$bench_dir/psql.end'; sleep 600"
    until [ -s "$bench_dir/psql.end" ]; do sleep 0.01; done
    awk -v s0="$s0" '{ printf "%.1f\n", ($1 - s0) * 1000 }' "$bench_dir/psql.end" >>"$bench_dir/start.psql"
    t kill-session -t p
    r=$((r + 1))
done
stat_line "start-up: loket to its first page" "$bench_dir/start.loket" 100000
stat_line "start-up: psql -X -c 'select 1' (in tmux)" "$bench_dir/start.psql" 100000
lm=$(sort -n "$bench_dir/start.loket" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
pm=$(sort -n "$bench_dir/start.psql" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
ratio=$(awk -v l="$lm" -v p="$pm" 'BEGIN { printf "%.2f", l / p }')
v=ok
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }' || { v="OVER 1.5x"; failed=1; }
echo "start-up ratio loket / psql (medians): $ratio x  (target <= 1.5 x)  $v"
echo

: >"$trace"
start=$(date +%s%N)
t new-session -d -s b -x 120 -y 40 \
    "env TERM=xterm-256color LANG=C.UTF-8 LANGUAGE=en LOKET_TRACE='$trace' \
     XDG_STATE_HOME='$bench_dir/state' '$loket' -d 'host=$sock dbname=loket_bench user=kvk_demo'; sleep 600"
i=0
until grep -q ' frame \| sql ' "$trace" 2>/dev/null && screen | grep -qF "connected"; do
    i=$((i + 1)); [ $i -lt 1000 ] || { echo "tui_keys: loket did not start" >&2; screen >&2; exit 1; }
    sleep 0.01
done
printf '%-36s %7s ms  %2d queries  (connection, session, listen, first page, news count; wall clock incl. tmux)\n' \
    "start and show the list" $((($(date +%s%N) - start) / 1000000)) "$(grep -c ' sql ' "$trace")"

first=$(screen | head -n 1 | awk '{ print $NF }')
for i in 1 2 3 4 5 6 7 8 9 10; do
    step "page down ($i)" "" NPage
done
for i in 1 2 3; do
    step "page up ($i)" "" PPage
done
step "G (oldest page)" "" G
step "g (newest page)" "$first" g
step "j (next row)" "" j
step "open a question (Enter)" "History" Enter
step "back to the list (q)" "Registered" q
echo
search kvk_demo opleiding glasblazen fietsenmaker
t send-keys -t b / Enter
sleep 0.5
echo
step "open the knowledge base (K)" "found" K
prefix=""
for c in f i n a n c i e r i n g; do
    prefix="$prefix$c"
    step "search keystroke '$c'" "Search: $prefix" "$c"
done
for i in 1 2 3 4; do
    prefix=${prefix%?}
    step "search backspace ($i)" "Search: $prefix" BSpace
done
step "open a knowledge item (Enter)" "Review by" Enter
t send-keys -t b q Escape q
sleep 0.5
t kill-session -t b 2>/dev/null || true

# The central point: lwl_demo starts in its inbox of referrals.
echo
echo "central point (lwl_demo), its inbox:"
t new-session -d -s b -x 120 -y 40 \
    "env TERM=xterm-256color LANG=C.UTF-8 LANGUAGE=en LOKET_TRACE='$trace' \
     XDG_STATE_HOME='$bench_dir/state' '$loket' -d 'host=$sock dbname=loket_bench user=lwl_demo'; sleep 600"
i=0
until screen | grep -qF "1 New"; do
    i=$((i + 1)); [ $i -lt 1000 ] || { echo "tui_keys: the inbox did not open" >&2; screen >&2; exit 1; }
    sleep 0.01
done
step "inbox tab 2 (mine)" "2 Mine" 2
step "inbox tab 3 (in progress)" "3 In progress" 3
step "inbox tab 4 (overdue)" "4 Overdue" 4
step "inbox tab 5 (returned)" "5 Returned" 5
step "inbox tab 1 (new)" "1 New" 1
step "inbox tab 3 again" "3 In progress" 3
for i in 1 2 3; do
    step "inbox page down ($i)" "" NPage
done
step "inbox j (next referral)" "" j
step "open a question from the inbox" "History" Enter
step "back to the inbox (q)" "Deadline" q
echo
r=0
while [ $r -lt "$rounds" ]; do
    t send-keys -t b j
    sleep 0.1
    from=$(lines)
    t send-keys -t b Enter
    wait_result "$from" >>"$bench_dir/inbox.open"
    i=0
    until screen | grep -qF History; do
        i=$((i + 1)); [ $i -lt 300 ] || { echo "tui_keys: no question from the inbox" >&2; exit 1; }
        sleep 0.01
    done
    t send-keys -t b q
    until screen | grep -qF Deadline; do sleep 0.01; done
    r=$((r + 1))
done
stat_line "open a question from the inbox" "$bench_dir/inbox.open" 30
t send-keys -t b Escape
sleep 0.5
search lwl_demo opleiding glasblazen fietsenmaker
t send-keys -t b q q
echo
echo "queries per kind of step (the bound is $max_queries, whatever the number of questions):"
for f in "$bench_dir"/queries.*; do
    kind=$(basename "$f" | cut -d. -f2- | tr _ ' ')
    most=$(sort -n "$f" | tail -n 1)
    printf '  %-32s %s   (seen: %s)\n' "$kind" "$most" "$(sort -nu "$f" | tr '\n' ' ')"
    [ "$most" -le "$max_queries" ] || { echo "tui_keys: $kind sent $most queries" >&2; failed=1; }
done
[ $failed = 0 ] && echo "all steps under 50 ms, none with more than $max_queries queries"
exit $failed
