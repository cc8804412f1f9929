# Checks the test runner's own counting with a fake suite.
. "$(dirname "$0")/../lib.sh"
d=$FOP4_TMP/fake
mkdir -p "$d/tests/x" "$d/tests/unit"
cp "$FOP4_ROOT/tests/run.sh" "$d/tests/"
printf 'echo PASS: a\necho PASS: b\necho "SKIP: c (why)"\n' >"$d/tests/x/ok.sh"
printf 'echo PASS: a\nexit 3\n' >"$d/tests/x/crash.sh"
printf 'exit 77\n' >"$d/tests/x/skipme.sh"
out=$(FOP4_BUILD=$FOP4_TMP/none bash "$d/tests/run.sh" 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -n 2 | tr '\n' '|')
[ "$last" = "2 skipped|3 passed, 1 failed|" ] && pass "runner counts cases" || fail "runner counts cases" "got '$last'"
# the contract: the last line is exactly "N passed, N failed"
printf '%s\n' "$out" | tail -n 1 | grep -qx '[0-9]* passed, [0-9]* failed' &&
    pass "last line is 'N passed, N failed' alone" || fail "last line format"
[ $rc -ne 0 ] && pass "runner exits non-zero on failure" || fail "runner exits non-zero on failure"
finish
