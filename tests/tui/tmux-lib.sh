# tmux-lib.sh: drive the real loket binary in a tmux pane at a fixed size and
# read the screen back.  Sourced by tests/tui/*.test.  Needs the test cluster
# of tests/pg-start.test and the environment set by `make check`.

command -v tmux >/dev/null 2>&1 || { echo "tmux is missing (apt-get install tmux)"; exit 77; }
: "${LOKET:?}" "${LOKET_TEST_PGDIR:?}" "${PG_BINDIR:?}"

tl_host=$(cat "$LOKET_TEST_PGDIR/host")
tl_tmp=$(mktemp -d "${TMPDIR:-/tmp}/loket-tui.XXXXXX")
tl_run=0
tl_sock="loket-tui-$$-$tl_run"
tl_db=
# The Dutch catalogue where loket can find it without being installed.
mkdir -p "$tl_tmp/locale/nl/LC_MESSAGES"
if [ -f "$LOKET_DATADIR/po/nl.gmo" ]; then
    cp "$LOKET_DATADIR/po/nl.gmo" "$tl_tmp/locale/nl/LC_MESSAGES/loket.mo"
else
    msgfmt -o "$tl_tmp/locale/nl/LC_MESSAGES/loket.mo" "$LOKET_DATADIR/po/nl.po"
fi
mkdir -p "$tl_tmp/state"
tl_tmux() { tmux -L "$tl_sock" -f /dev/null "$@"; }

tl_cleanup() {
    tl_tmux kill-server >/dev/null 2>&1 || true
    if [ -n "$tl_db" ]; then
        "$PG_BINDIR/psql" -X -q -h "$tl_host" -U postgres -d postgres \
            -c "DROP DATABASE IF EXISTS $tl_db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$tl_tmp"
}
trap tl_cleanup EXIT

# tl_createdb NAME: a fresh database from the migrated and seeded template.
tl_createdb() {
    tl_db="$1_$$"
    "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$tl_host" -U postgres -d postgres \
        -c "CREATE DATABASE $tl_db TEMPLATE loket_template" || exit 99
}

# tl_conninfo ROLE
tl_conninfo() { echo "host=$tl_host dbname=$tl_db user=$1"; }

# tl_lang: the locale loket runs under: TL_LANG, else the suite's LANG
# (scripts/test runs everything under C.UTF-8 and again under nl_NL.UTF-8).
# Messages stay English (TL_LANGUAGE); numbers and dates must not change.
# A locale that is not there would silently become C: fail instead.
tl_lang() { echo "${TL_LANG:-${LANG:-C.UTF-8}}"; }
tl_check_lang() {
    case "$(tl_lang)" in
    nl_NL*) locale -a 2>/dev/null | grep -qi '^nl_NL\.utf-\?8$' ||
            { echo "FAIL: the nl_NL.UTF-8 locale is missing: run scripts/ensure-packages"; exit 1; } ;;
    esac
}

# tl_start COLS ROWS ROLE: run loket as ROLE in a new pane, in English unless
# TL_LANGUAGE says otherwise (empty: loket's default, Dutch).  TL_ENV adds
# NAME='value' settings to its environment (EDITOR, LOKET_CONFIG, ...).  When loket ends,
# its exit status goes to $tl_tmp/exit and the terminal modes to $tl_tmp/stty.
# LOKET_TEST_SIZE=COLSxROWS (scripts/test sets 120x40 for its second pass)
# runs the tests written for 80x24 at that size instead; a test whose
# checks depend on the 80x24 layout says TL_FIXED_SIZE=1.
tl_size() {
    if [ "$1 $2" = "80 24" ] && [ -n "${LOKET_TEST_SIZE:-}" ] && [ -z "${TL_FIXED_SIZE:-}" ]; then
        echo "${LOKET_TEST_SIZE%x*} ${LOKET_TEST_SIZE#*x}"
    else
        echo "$1 $2"
    fi
}

tl_start() {
    tl_check_lang
    set -- $(tl_size "$1" "$2") "$3"
    rm -f "$tl_tmp/exit" "$tl_tmp/stty"
    # A fresh server each time: a server that is still shutting down would
    # make the next new-session fail.
    tl_tmux kill-server >/dev/null 2>&1 || true
    tl_run=$((tl_run + 1))
    tl_sock="loket-tui-$$-$tl_run"
    tl_tmux new-session -d -s t -x "$1" -y "$2" \
        "env TERM=${TL_TERM:-xterm-256color} LANG='$(tl_lang)' LC_ALL= LANGUAGE='${TL_LANGUAGE-en}' \
         LOKET_LOCALEDIR='$tl_tmp/locale' XDG_STATE_HOME='$tl_tmp/state' NO_COLOR=1 \
         ${TL_ENV-} '$LOKET' -d '$(tl_conninfo "$3")'; echo \$? >'$tl_tmp/exit.tmp'; \
         stty -a >'$tl_tmp/stty' 2>&1; mv '$tl_tmp/exit.tmp' '$tl_tmp/exit'; sleep 600"
}

# tl_start_also NAME COLS ROWS ROLE: a second loket, as ROLE, in session NAME
# of the same tmux server (for tests with two people at once).
tl_start_also() {
    tl_check_lang
    set -- "$1" $(tl_size "$2" "$3") "$4"
    tl_tmux new-session -d -s "$1" -x "$2" -y "$3" \
        "env TERM=${TL_TERM:-xterm-256color} LANG='$(tl_lang)' LC_ALL= LANGUAGE='${TL_LANGUAGE-en}' \
         LOKET_LOCALEDIR='$tl_tmp/locale' XDG_STATE_HOME='$tl_tmp/state-$1' NO_COLOR=1 \
         LOKET_TRACE='${TL_TRACE_DIR:+$TL_TRACE_DIR/$1.trace}' \
         '$LOKET' -d '$(tl_conninfo "$4")'; sleep 600"
}

# tl_wait_in NAME TEXT [MILLISECONDS]: wait until TEXT is on session NAME's
# screen, at most MILLISECONDS (default 10000) after now.
tl_wait_in() {
    end=$(( $(date +%s%N) / 1000000 + ${3:-10000} ))
    while :; do
        tl_tmux capture-pane -p -t "$1:" | grep -qF -- "$2" && return 0
        [ $(( $(date +%s%N) / 1000000 )) -lt "$end" ] || break
        sleep 0.05
    done
    echo "FAIL: '$2' did not appear on $1 within ${3:-10000} ms"
    echo "---- $1:"
    tl_tmux capture-pane -p -t "$1:"
    exit 1
}

# Targets are written "NAME:" (a session).  A bare name is also tried as a
# window name or prefix in the current session: "-t b" once sent keys meant
# for session b to a window called "bash".
tl_screen() { tl_tmux capture-pane -p -t t:; }
tl_keys() { tl_tmux send-keys -t t: "$@"; }
tl_resize() { tl_tmux resize-window -t t: -x "$1" -y "$2"; }

tl_fail() {
    echo "FAIL: $*"
    echo "---- screen:"
    tl_screen
    echo "----"
    exit 1
}

# tl_wait TEXT [SECONDS]: wait until TEXT is on the screen.
tl_wait() {
    n=$(( ${2:-10} * 10 ))
    while [ "$n" -gt 0 ]; do
        tl_screen | grep -qF -- "$1" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    tl_fail "'$1' did not appear"
}

# tl_wait_gone TEXT [SECONDS]: wait until TEXT has left the screen.
tl_wait_gone() {
    n=$(( ${2:-10} * 10 ))
    while [ "$n" -gt 0 ]; do
        tl_screen | grep -qF -- "$1" || return 0
        sleep 0.1
        n=$((n - 1))
    done
    tl_fail "'$1' did not go away"
}

tl_absent() { tl_screen | grep -qF -- "$1" && tl_fail "'$1' must not be on the screen"; return 0; }

# tl_exit_status [SECONDS]: wait for loket to end and print its exit status.
tl_exit_status() {
    n=$(( ${1:-10} * 10 ))
    while [ ! -f "$tl_tmp/exit" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
    [ -f "$tl_tmp/exit" ] || tl_fail "loket did not exit"
    cat "$tl_tmp/exit"
}

# tl_pid: the pid of the loket process in the pane.
tl_pid() {
    shell=$(tl_tmux list-panes -t t: -F '#{pane_pid}')
    pgrep -P "$shell" -x loket || pgrep -P "$shell" | head -n 1
}

# tl_sql SQL: one value from the test database, as the superuser.
tl_sql() {
    "$PG_BINDIR/psql" -X -At -h "$tl_host" -U postgres -d "$tl_db" -c "$1"
}

# tl_shown N ROWS: what a supervisor sees for the N rows that the query ROWS
# selects (with a record_key column), worked out here from their record keys
# as reports.md ("Small counts", sql/026) describes it: N plus the noise of
# the sum of the keys, or <5; 0 for none.  "not N rows" when ROWS are not N.
tl_shown() {
    [ "$(tl_sql "SELECT count(*) FROM ($2) r")" = "$1" ] || { echo "not $1 rows: $2"; return; }
    tl_ck=$(( $(tl_sql "SELECT coalesce(sum(record_key), 0) FROM ($2) r") % 2147483648 ))
    set -- "$1" -2 -1 -1 0 0 0 0 1 1 2
    tl_n=$1
    shift $(( tl_ck * 10 / 2147483648 + 1 ))
    if [ "$tl_n" -eq 0 ]; then echo 0
    elif [ "$tl_n" -lt 5 ] || [ $((tl_n + $1)) -lt 5 ]; then echo "<5"
    else echo $((tl_n + $1)); fi
}
