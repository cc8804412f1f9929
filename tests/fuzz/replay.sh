#!/usr/bin/env bash
# tests/fuzz/replay.sh - the CI part of fuzzing (docs/fuzzing.md): no
# time-boxed fuzzing, only replay. Builds every harness of fuzz/targets with
# gcc, the sanitizers (as `make SAN=1`) and fuzz/replay_main.c instead of
# libFuzzer, links it with the sanitizer build's module libraries, and runs it
# on every file of fuzz/corpus/<target>/ (seeds and minimised reproducers of
# crashes found earlier). PASS per target when no input crashes, hangs or
# trips a sanitizer; SKIP when the target needs the shared corpus and it is
# absent. fuzz/pending/ (crashes not fixed yet) is not replayed.
#
#   FUZZ_TARGETS="p4 cli" tests/fuzz/replay.sh   only these targets
. "$(dirname "$0")/../lib.sh"

ROOT=$FOP4_ROOT
# The module libraries of the sanitizer build of the tree under test
# (FOP4_BUILD/san/lib, as tests/run.sh sets FOP4_SAN_BIN/FOP4_REL_BIN).
abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
SANLIB=
for d in "$(abs "${FOP4_SAN_BIN:-/nonexistent/bin}")" \
    "$(abs "${FOP4_REL_BIN:-$FOP4_BIN}")/../san/bin" "$ROOT/build/san/bin"; do
    case $d in */san/bin) ;; *) continue ;; esac
    if [ -f "${d%/bin}/lib/liblib.a" ]; then
        SANLIB=${d%/bin}/lib
        break
    fi
done
if [ -z "$SANLIB" ]; then
    skip "fuzz replay" "no sanitizer build (run make SAN=1 first)"
    exit 0
fi
echo "module libraries: $SANLIB"
CC=${CC:-gcc}
CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined
        -fno-omit-frame-pointer -fno-sanitize-recover=undefined
        -I$ROOT/include -I$ROOT/src -I$ROOT/fuzz -Wall -Wextra -Werror
        -Wno-unused-parameter"
LDLIBS=$(make -s --no-print-directory -C "$ROOT" print-ldlibs)
export FOP4_ROOT FOP4_SHARED
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

while read -r target mods; do
    case $target in '' | '#'*) continue ;; esac
    if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $target "* ]]; then
        continue
    fi
    libs=
    for m in $mods; do libs="$libs $SANLIB/lib$m.a"; done
    bin=$FOP4_TMP/replay_$target
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS -o "$bin" "$ROOT/fuzz/fuzz_$target.c" \
        "$ROOT/fuzz/fuzz_util.c" "$ROOT/fuzz/replay_main.c" $libs $LDLIBS \
        -fsanitize=address,undefined 2>"$bin.log"; then
        cat "$bin.log"
        fail "fuzz replay $target" "does not build"
        continue
    fi
    dir=$ROOT/fuzz/corpus/$target
    if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir")" ]; then
        fail "fuzz replay $target" "no inputs in fuzz/corpus/$target"
        continue
    fi
    n=$(find "$dir" -type f | wc -l)
    # Run from the checkout: harnesses find p4include there.
    (cd "$ROOT" && timeout --kill-after=5 300 "$bin" "$dir") \
        >"$bin.out" 2>&1
    rc=$?
    case $rc in
    0) pass "fuzz replay $target ($n inputs)" ;;
    77) skip "fuzz replay $target" "$(grep 'skipped:' "$bin.out" | head -1)" ;;
    *)
        tail -40 "$bin.out"
        last=$(grep '^replay: /' "$bin.out" | tail -1)
        fail "fuzz replay $target" "exit $rc; ${last#replay: }"
        ;;
    esac
done <"$ROOT/fuzz/targets"
finish
