#!/bin/sh
# all.sh: every speed figure of issue 15 on one database of N questions
# (default 1,000,000), seeded once: seed_cases.sh (the seed and its steps),
# reports.sh (reports, counts, the query shell's start-up), tui_keys.sh (the
# screen: start-up, paging, searching, the inbox), unseen.sh and
# list_page.sh, one after the other on the same kept cluster (BENCH_DIR, see
# bench-lib.sh).  Each prints the load average before and after; for
# figures worth writing down, run it on an otherwise idle machine.
#
#   tests/bench/all.sh [N]      run from the build directory
#
# Environment: LOKET, ROUNDS (reports.sh, tui_keys.sh), KEEP=1 keeps the
# cluster at the end.  Exit status: 1 when a script missed a target.
set -u
n=${1:-1000000}
case $n in '' | *[!0-9]*) echo "usage: $0 [N]" >&2; exit 1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dir=$(mktemp -d /tmp/loket-bench.XXXXXX)
"$top/scripts/pgcluster" start "$dir" >/dev/null || exit 2
finish() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "cluster kept in $dir (BENCH_DIR=$dir reuses it)"
    else
        "$top/scripts/pgcluster" destroy "$dir" >/dev/null 2>&1
        rm -rf "$dir"
    fi
}
trap finish EXIT
trap 'exit 1' INT TERM
export BENCH_DIR="$dir"
date
status=0
for script in seed_cases.sh reports.sh tui_keys.sh unseen.sh list_page.sh; do
    echo
    echo "######## $script"
    "$here/$script" "$n" || status=1
done
exit $status
