#!/usr/bin/env bash
# tests/switch-core/lb.sh - FOP4's load balancers (load_balancer_RR and
# load_balancer_hash) on an in-process switch core (tests/switch-core/lb.c):
# flows to the virtual IP reach d2 or d3 with the destination rewritten, stick
# to their server, and are spread over both. No kernel objects.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/fop4/load_balancer_RR
LIB=$(cd "$FOP4_BIN/../lib" 2>/dev/null && pwd)
if [ -z "$LIB" ] || [ ! -f "$LIB/libswitch.a" ] || [ ! -f "$LIB/libcontrol.a" ]; then
    skip "load balancers" "libswitch.a/libcontrol.a not built next to $FOP4_BIN"
    finish
fi
SAN=
case $LIB in */san/lib) SAN="-fsanitize=address,undefined" ;; esac
if ! gcc -std=c11 -D_GNU_SOURCE -O1 -g $SAN -I"$FOP4_ROOT/src" \
    "$FOP4_ROOT/tests/switch-core/lb.c" "$LIB/libcontrol.a" "$LIB/libswitch.a" \
    "$LIB/liblib.a" -ljansson -lpthread -lm -o "$FOP4_TMP/lb" 2>"$FOP4_TMP/cc.log"; then
    fail "load balancer test builds" "$(head -5 "$FOP4_TMP/cc.log")"
    finish
fi
for kind in RR hash; do
    "$FOP4_TMP/lb" "$FOP4_SHARED/corpus" $kind
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "lb $kind" "exit status $rc (crash?)"
done
finish
