#!/bin/sh
# run.sh: fuzz the forms parser with libFuzzer (clang's -fsanitize=fuzzer,
# with AddressSanitizer and UndefinedBehaviorSanitizer).
#
#   tests/fuzz/run.sh [SECONDS]        default 600; run from the build directory
#
# The seed corpus tests/fuzz/corpus/form is read, never written: new inputs
# go to a temporary directory, crashes to ./fuzz-form-crash-*.  Needs clang
# (apt-get install clang) and a configured build directory for config.h.
set -eu
seconds=${1:-600}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(pwd)
[ -f "$build/config.h" ] || { echo "run.sh: run from a configured build directory" >&2; exit 2; }
command -v clang >/dev/null || { echo "run.sh: clang is missing (apt-get install clang)" >&2; exit 2; }
work=$(mktemp -d /tmp/loket-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$build" -I"$top/src" \
    "$here/fuzz_form.c" "$top/src/form/parse.c" "$top/src/form/check.c" \
    "$top/src/util/utf8.c" "$top/src/util/validate.c" "$top/src/util/xalloc.c" \
    -o "$work/fuzz_form"
mkdir "$work/corpus"
echo "fuzzing the form parser for $seconds s"
"$work/fuzz_form" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$build/fuzz-form-crash-" -print_final_stats=1 \
    "$work/corpus" "$top/tests/fuzz/corpus/form"
