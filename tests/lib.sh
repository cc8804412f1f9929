# tests/lib.sh - sourced by shell tests. Reporting, skipping, cleanup.
#
#   . "$(dirname "$0")/../lib.sh"
#   need_root; need_shared corpus/stf
#   pass "name"; fail "name" "why"; skip "name" "why"
#   on_exit "ip netns del fop4t-x"   # run at exit, last registered first
#   finish                           # exit status from the counts
#
# Names of everything a test creates start with $TPFX (fop4t<pid>), so parallel
# runs and `fop4 clean` never touch each other's objects.
set -u
FOP4_ROOT=${FOP4_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
FOP4_BIN=${FOP4_BIN:-$FOP4_ROOT/build/bin}
FOP4_SHARED=${FOP4_SHARED:-$(cd "$FOP4_ROOT/.." && pwd)/shared}
FOP4_TMP=${FOP4_TMP:-$(mktemp -d /tmp/fop4-test.XXXXXX)}
TPFX=fop4t$$
T_FAILED=0
T_CLEANUP=()

pass() { echo "PASS: $1"; }
fail() {
    echo "FAIL: $1${2:+ ($2)}"
    T_FAILED=$((T_FAILED + 1))
}
skip() { echo "SKIP: $1${2:+ ($2)}"; }
# check NAME CMD...: runs CMD, pass if it succeeds.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

on_exit() { T_CLEANUP=("$1" "${T_CLEANUP[@]}"); }
t_cleanup() {
    local c
    for c in "${T_CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1; done
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

# Skip the whole test (exit 77) unless running as root.
need_root() {
    [ "$(id -u)" -eq 0 ] || { skip "$(basename "$0")" "needs root"; exit 77; }
}
# Skip the whole test unless ../shared/PATH exists.
need_shared() {
    [ -e "$FOP4_SHARED/$1" ] || {
        skip "$(basename "$0")" "$FOP4_SHARED/$1 absent"
        exit 77
    }
}
# Skip unless the binary build/bin/NAME exists (a part not built yet).
need_bin() {
    [ -x "$FOP4_BIN/$1" ] || { skip "$(basename "$0")" "$1 not built"; exit 77; }
}
# Waits up to $1 seconds for CMD to succeed.
wait_for() {
    local t=$1
    shift
    local end=$((SECONDS + t))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.1
    done
}
finish() { [ "$T_FAILED" -eq 0 ]; exit $?; }
