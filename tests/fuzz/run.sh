#!/bin/sh
# run.sh: fuzz a parser with libFuzzer (clang's -fsanitize=fuzzer, with
# AddressSanitizer and UndefinedBehaviorSanitizer): the forms parser (form,
# the default), the supervisors' query language (query), or the sanitiser and
# the form field that shows text (sanitize).
#
#   tests/fuzz/run.sh [SECONDS] [form|query|sanitize]   default 600 form; from the build directory
#
# The seed corpus tests/fuzz/corpus/TARGET is read, never written: new inputs
# go to a temporary directory, crashes to ./fuzz-TARGET-crash-*.  Needs clang
# (apt-get install clang) and a configured build directory for config.h.
set -eu
seconds=${1:-600}
target=${2:-form}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(pwd)
[ -f "$build/config.h" ] || { echo "run.sh: run from a configured build directory" >&2; exit 2; }
command -v clang >/dev/null || { echo "run.sh: clang is missing (apt-get install clang)" >&2; exit 2; }
work=$(mktemp -d /tmp/loket-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
case $target in
form) sources="$top/src/form/parse.c $top/src/form/check.c $top/src/util/validate.c" ;;
query) sources="$top/src/query/lang.c $top/src/util/strbuf.c $top/src/util/sanitize.c" ;;
sanitize) sources="$top/src/util/sanitize.c $top/src/util/textedit.c $top/src/util/number.c $top/src/util/width.c $top/src/util/strbuf.c" ;;
*) echo "run.sh: the target is form, query or sanitize" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$build" -I"$top/src" \
    "$here/fuzz_$target.c" $sources "$top/src/util/utf8.c" "$top/src/util/xalloc.c" \
    -o "$work/fuzz_$target"
mkdir "$work/corpus"
echo "fuzzing the $target parser for $seconds s"
"$work/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$build/fuzz-$target-crash-" -print_final_stats=1 \
    "$work/corpus" "$top/tests/fuzz/corpus/$target"
