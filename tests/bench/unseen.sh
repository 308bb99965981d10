#!/bin/sh
# unseen.sh: the status bar's count of unseen referral news on N questions
# (default 1,000,000): referral_unseen_count(), run at start-up and on every
# notification, and referral_seen_and_count(question), run when a question
# is opened (from the inbox: the central point's news), as the advisor
# kvk_demo and the central point lwl_demo.  pgbench runs each ROUNDS times
# (default 200) on one connection; printed are the median and p95 in ms.
#
#   tests/bench/unseen.sh [N [ROUNDS]]     run from the build directory
#
# Target (issue 15): referral_unseen_count() <= 5 ms, and opening a question
# from the inbox <= 30 ms as a whole (tui_keys.sh), at 1,000,000 questions.
# BENCH_SOCK=DIR measures an already seeded loket_bench on that socket
# (a cluster kept with KEEP=1) instead of seeding a new one; BENCH_DIR=DIR
# (bench-lib.sh) a kept cluster by its directory.
set -eu
n=${1:-1000000}
rounds=${2:-200}
if [ -n "${BENCH_SOCK:-}" ]; then
    sock=$BENCH_SOCK
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    bench_dir=$(mktemp -d /tmp/loket-unseen.XXXXXX)
    trap 'rm -rf "$bench_dir"' EXIT INT TERM
else
    . "$(dirname "$0")/bench-lib.sh"
    bench_seed "$n"
fi
sql() { "$pgbin/psql" -X -qAt -h "$sock" -U postgres -d loket_bench -c "$1"; }
echo "database: $(sql 'SELECT count(*) FROM loket.question') questions," \
     "$(sql "SELECT count(*) FROM loket.referral WHERE status IN ('sent', 'accepted', 'in_progress')") open referrals," \
     "$(sql "SELECT count(*) FROM loket.referral WHERE updated_at > now() - interval '7 days'") changed in 7 days"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# the newest referral in the central point's inbox, and one of kvk_demo's
inbox=$(sql "SELECT question_id FROM loket.referral WHERE to_org = 'lwl' AND status = 'sent'
             ORDER BY created_at DESC LIMIT 1")
made=$(sql "SELECT question_id FROM loket.referral WHERE created_by = 'kvk_demo'
            ORDER BY updated_at DESC LIMIT 1")

# run NAME USER STATEMENT: median and p95 of ROUNDS runs, in ms.
run() {
    echo "$3" >"$bench_dir/script.sql"
    rm -f "$bench_dir"/pgbench_log.*
    (cd "$bench_dir" && "$pgbin/pgbench" -n -h "$sock" -U "$2" -t "$rounds" -l \
        -f script.sql loket_bench >/dev/null 2>&1)
    cut -d' ' -f3 "$bench_dir"/pgbench_log.* | sort -n | awk -v name="$1" -v who="$2" '
        { v[NR] = $1 / 1000 }
        END { printf "%-32s %-9s median %6.2f ms  p95 %6.2f ms\n", name, who,
                     v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.5)] }'
}
for who in kvk_demo lwl_demo; do
    run "referral_unseen_count()" "$who" "SELECT loket.referral_unseen_count();"
done
run "referral_seen_and_count(inbox)" lwl_demo "SELECT loket.referral_seen_and_count('$inbox');"
run "referral_seen_and_count(own)" kvk_demo "SELECT loket.referral_seen_and_count('$made');"
