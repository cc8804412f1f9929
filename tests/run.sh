#!/usr/bin/env bash
# tests/run.sh - the test runner behind `make check`.
#
# Runs, in order: unit tests (build/san/tests/unit/**/test_*), then every script
# tests/<suite>/*.sh, suites in alphabetical order. A test reports its cases as lines
# "PASS: name", "FAIL: name" or "SKIP: name (why)"; a test that prints none counts
# as one case by its exit status (0 pass, 77 skip, anything else fail). A test
# that exits non-zero without printing a FAIL line (a crash) adds one failure.
# Ends with "N skipped" and then the line "N passed, N failed" alone; exits 1 if
# anything failed.
#
#   tests/run.sh [PATTERN...]   only tests whose path contains one of PATTERN
#   FOP4_BUILD=build/x tests/run.sh   test the tree built with make B=build/x
#                                     (and make SAN=1 B=build/x)
#
# Environment given to tests: FOP4_ROOT (the checkout), FOP4_BIN (binaries to
# test: the sanitizer build for unit/p4/stf/cli tests, the normal build for e2e),
# FOP4_REL_BIN, FOP4_SAN_BIN, FOP4_SHARED (../shared, may be absent), FOP4_TMP
# (a private temporary directory, removed afterwards).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
export FOP4_ROOT=$ROOT
BUILD=${FOP4_BUILD:-build}; case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export FOP4_REL_BIN=$BUILD/bin
export FOP4_SAN_BIN=$BUILD/san/bin
[ -d "$FOP4_SAN_BIN" ] || FOP4_SAN_BIN=$FOP4_REL_BIN
export FOP4_SHARED=${FOP4_SHARED:-$(cd "$ROOT/.." && pwd)/shared}
TIMEOUT=${TEST_TIMEOUT:-900}
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"

passed=0 failed=0 skipped=0
failures=()

want() {
    [ $# -eq 0 ] && return 0
    local t=$1
    shift
    [ ${#PATTERNS[@]} -eq 0 ] && return 0
    for p in "${PATTERNS[@]}"; do
        case "$t" in *"$p"*) return 0 ;; esac
    done
    return 1
}
PATTERNS=("$@")

run_one() { # run_one NAME BIN_DIR CMD...
    local name=$1 bindir=$2
    shift 2
    want "$name" || return 0
    local log=$LOGDIR/$(echo "$name" | tr '/' '_').log
    local tmp
    tmp=$(mktemp -d /tmp/fop4-test.XXXXXX)
    local t0=$SECONDS
    FOP4_BIN=$bindir FOP4_TMP=$tmp timeout --kill-after=10 "$TIMEOUT" "$@" \
        </dev/null >"$log" 2>&1
    local rc=$?
    rm -rf "$tmp"
    local p f s
    p=$(grep -c '^PASS:' "$log")
    f=$(grep -c '^FAIL:' "$log")
    s=$(grep -c '^SKIP:' "$log")
    if [ $((p + f + s)) -eq 0 ]; then
        case $rc in
        0) p=1 ;;
        77) s=1 ;;
        *) f=1 ;;
        esac
    elif [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "FAIL: $name exited with status $rc" >>"$log"
    fi
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    printf '%-50s %4d passed %4d failed %4d skipped  %3ds\n' "$name" "$p" "$f" "$s" \
        $((SECONDS - t0))
    if [ "$f" -gt 0 ]; then
        failures+=("$name")
        [ $rc -eq 124 ] && echo "    (timed out after ${TIMEOUT}s)"
        grep -E '^FAIL:' "$log" | head -20 | sed 's/^/    /'
        echo "    --- last lines of $log:"
        tail -n 25 "$log" | sed 's/^/    | /'
    fi
}

# Unit tests: the sanitizer build when there is one.
unitdir=$BUILD/san/tests/unit
[ -d "$unitdir" ] || unitdir=$BUILD/tests/unit
if [ -d "$unitdir" ]; then
    while IFS= read -r t; do
        run_one "unit/${t#"$unitdir"/}" "$FOP4_SAN_BIN" "$t"
    done < <(find "$unitdir" -type f -name 'test_*' -perm -u+x | sort)
fi

# Script suites: every directory tests/<suite>/ but unit/. Suites that run real
# networks, containers or timing-sensitive traffic use the normal build; the rest
# run the sanitizer build.
REL_SUITES=" e2e engine docker bench "
for suite in $(cd tests && find . -mindepth 1 -maxdepth 1 -type d ! -name unit | sed 's|^\./||' | sort); do
    bindir=$FOP4_SAN_BIN
    case "$REL_SUITES" in *" $suite "*) bindir=$FOP4_REL_BIN ;; esac
    for t in tests/"$suite"/*.sh; do
        [ -f "$t" ] || continue
        run_one "$t" "$bindir" bash "$t"
    done
done

if [ ${#failures[@]} -gt 0 ]; then
    echo "failed: ${failures[*]} (logs in $LOGDIR)"
fi
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
