#!/usr/bin/env bash
# tests/switch-core/programs.sh - real programs on in-process switch cores,
# with their command files applied through the runtime CLI (cli_exec); no
# kernel objects:
#   router.c  BMv2's simple_router.json + stress_test_commands.txt
#   lb.c      FOP4's load_balancer_RR and load_balancer_hash
#   eint_chain.c  FOP4's eINT on four chained switches (report to h3)
# Each C program prints PASS:/FAIL: lines. Needs the corpus and the built
# libraries next to $FOP4_BIN (the sanitizer tree when there is one).
. "$(dirname "$0")/../lib.sh"
need_shared corpus/fop4
LIB=$(cd "$FOP4_BIN/../lib" 2>/dev/null && pwd)
if [ -z "$LIB" ] || [ ! -f "$LIB/libswitch.a" ] || [ ! -f "$LIB/libcontrol.a" ]; then
    skip "switch-core programs" "libswitch.a/libcontrol.a not built next to $FOP4_BIN"
    finish
fi
SAN=
case $LIB in */san/lib) SAN="-fsanitize=address,undefined" ;; esac
C=$FOP4_SHARED/corpus
LDLIBS=$(make -s --no-print-directory -C "$FOP4_ROOT" print-ldlibs)
run() { # run NAME ARGS...
    local name=$1
    shift
    if ! gcc -std=c11 -D_GNU_SOURCE -O1 -g $SAN -I"$FOP4_ROOT/include" -I"$FOP4_ROOT/src" \
        "$FOP4_ROOT/tests/switch-core/$name.c" "$LIB/libcontrol.a" \
        "$LIB/libswitch.a" "$LIB/liblib.a" $LDLIBS \
        -o "$FOP4_TMP/$name" 2>"$FOP4_TMP/$name.cc"; then
        fail "$name builds" "$(head -5 "$FOP4_TMP/$name.cc")"
        return
    fi
    "$FOP4_TMP/$name" "$@"
    local rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "$name $*" "exit status $rc (crash?)"
}
run router "$C"
run lb "$C" RR
run lb "$C" hash
run eint_chain "$C"
finish
