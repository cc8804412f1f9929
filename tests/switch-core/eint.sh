#!/usr/bin/env bash
# tests/switch-core/eint.sh - FOP4's eINT programs on four switch cores in one
# process (tests/switch-core/eint_chain.c): h1's UDP reaches h2 with the INT
# headers removed, and the sink s4 sends a telemetry report to h3. No kernel
# objects; needs the corpus and the built libraries.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/fop4/eINT
LIB=$(cd "$FOP4_BIN/../lib" 2>/dev/null && pwd)
if [ -z "$LIB" ] || [ ! -f "$LIB/libswitch.a" ] || [ ! -f "$LIB/libcontrol.a" ]; then
    skip "eint chain" "libswitch.a/libcontrol.a not built next to $FOP4_BIN"
    finish
fi
SAN=
case $LIB in */san/lib) SAN="-fsanitize=address,undefined" ;; esac
if ! gcc -std=c11 -D_GNU_SOURCE -O1 -g $SAN -I"$FOP4_ROOT/src" \
    "$FOP4_ROOT/tests/switch-core/eint_chain.c" "$LIB/libcontrol.a" \
    "$LIB/libswitch.a" "$LIB/liblib.a" -ljansson -lpthread -lm \
    -o "$FOP4_TMP/eint_chain" 2>"$FOP4_TMP/cc.log"; then
    fail "eint chain builds" "$(head -5 "$FOP4_TMP/cc.log")"
    finish
fi
"$FOP4_TMP/eint_chain" "$FOP4_SHARED/corpus"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "eint chain" "exit status $rc (crash?)"
finish
