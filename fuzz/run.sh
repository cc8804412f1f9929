#!/usr/bin/env bash
# fuzz/run.sh - behind `make fuzz` (docs/fuzzing.md): builds every module the
# targets need with clang and -fsanitize=fuzzer-no-link,address,undefined into
# $B/fuzz, links each fuzz/fuzz_<target>.c with libFuzzer, and runs each for
# FUZZ_SECONDS (default 60), one fuzzer at a time. Seeds come from
# fuzz/corpus/<target>/ (read only); new interesting inputs go to
# $B/fuzz/work/<target>/, crashes, hangs and leaks to $B/fuzz/crashes/<target>/.
# fuzz/<target>.dict, when present, gives libFuzzer the language's words.
#
#   fuzz/run.sh [TARGET...]          default: every target of fuzz/targets
#   FUZZ_SECONDS=600 fuzz/run.sh p4  ten minutes on the compiler
#   FUZZ_ARGS="-max_len=512" ...     extra libFuzzer flags
set -u
cd "$(dirname "$0")/.." || exit 1
B=${B:-build}
SECONDS_EACH=${FUZZ_SECONDS:-60}
O=$B/fuzz
case $O in /*) ;; *) O=$PWD/$O ;; esac # absolute: harnesses may change directory
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
LDLIBS=$(make -s --no-print-directory print-ldlibs)
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "fuzz: $CLANG not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(grep -v '^#' fuzz/targets | awk 'NF {print $1}')
fi
mods_of() { awk -v t="$1" '$1 == t {for (i = 2; i <= NF; i++) print $i}' fuzz/targets; }

# The module libraries, instrumented for coverage (the Makefile's own rules).
libs=()
for t in "${targets[@]}"; do
    [ -f "fuzz/fuzz_$t.c" ] || { echo "fuzz: unknown target '$t' (see fuzz/targets)" >&2; exit 1; }
    for m in $(mods_of "$t"); do libs+=("$O/lib/lib$m.a"); done
done
mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)
echo "== building the modules with $CLANG into $O"
make -s --no-print-directory CC="$CLANG" O="$O" CI= \
    OPT="-O1 -g -fno-omit-frame-pointer -Wno-unknown-warning-option $SAN" \
    -j2 "${libs[@]}" || exit 1

mkdir -p "$O/bin"
export FOP4_ROOT=$PWD
status=0
summary=()
for t in "${targets[@]}"; do
    bin=$O/bin/fuzz_$t
    tlibs=()
    for m in $(mods_of "$t"); do tlibs+=("$O/lib/lib$m.a"); done
    # shellcheck disable=SC2086
    $CLANG -std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -Iinclude -Isrc -Ifuzz -o "$bin" "fuzz/fuzz_$t.c" fuzz/fuzz_util.c \
        "${tlibs[@]}" $LDLIBS || exit 1
    mkdir -p "$O/work/$t" "$O/crashes/$t"
    before=$(find "$O/crashes/$t" -type f ! -name 'slow-unit-*' 2>/dev/null | wc -l)
    dict=()
    [ -f "fuzz/$t.dict" ] && dict=(-dict="$PWD/fuzz/$t.dict")
    echo "== fuzz $t for ${SECONDS_EACH}s"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$O/crashes/$t/" "${dict[@]}" \
        ${FUZZ_ARGS:-} "$O/work/$t" "$PWD/fuzz/corpus/$t" 2>&1 | tee "$O/$t.log" |
        grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units|stat::peak_rss_mb|artifact_prefix|Test unit written)'
    rc=${PIPESTATUS[0]}
    # Runs: the final stats, or in -fork mode the last "#N:" line.
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$O/$t.log" | awk '{print $2}' | tail -1)
    [ -n "$runs" ] || runs=$(grep -o '^#[0-9]*' "$O/$t.log" | tail -1 | tr -d '#')
    new=$(($(find "$O/crashes/$t" -type f ! -name 'slow-unit-*' | wc -l) - before))
    if [ "$rc" -eq 0 ] && [ "$new" -eq 0 ]; then
        summary+=("$t: ok (${runs:-?} runs)")
    else
        status=1
        summary+=("$t: FOUND A PROBLEM (exit $rc, $new new input(s) in $O/crashes/$t/, ${runs:-?} runs)")
    fi
done
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $status
