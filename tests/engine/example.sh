#!/usr/bin/env bash
# examples/api/lab.c builds against libfop4.a with only <fop4/net.h> and runs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
[ -f "$FOP4_LIB" ] || { skip example "$FOP4_LIB not built"; exit 77; }
drv_build
gcc -std=c11 -Wall -Wextra -Werror -I"$FOP4_ROOT/include" "$FOP4_ROOT/examples/api/lab.c" \
    "$FOP4_LIB" -ljansson -lyaml -lmnl -lcurl -lpthread -lm -o "$FOP4_TMP/lab" &&
    pass "example builds" || { fail "example builds"; finish; }
if ls /run/netns 2>/dev/null | grep -q '^fop4lab-'; then
    skip "example runs" "another run of the example is active"
    finish
fi
on_exit "printf 'prefix fop4lab\nclean\n' | $DRV"
out=$(timeout 60 "$FOP4_TMP/lab" 2>&1)
echo "$out" | grep -q 'pingall: 2 pairs, 0 with loss' && echo "$out" | grep -q 'pingall: 6 pairs, 4 with loss' &&
    pass "example runs" || fail "example runs" "$(echo "$out" | tail -3)"
finish
