# tests/engine/lib_engine.sh - sourced by the engine's tests after tests/lib.sh:
# builds the API driver (drv.c) against the tree's libfop4.a and runs it.
#
#   drv_build                 compiles $FOP4_TMP/drv (skips the test if it cannot)
#   drv_run <<EOF ... EOF     runs a script of driver commands, prints answers
#   drv_clean PREFIX          net_clean(PREFIX), then checks nothing is left
need_root
FOP4_LIB=${FOP4_LIB:-$(dirname "$FOP4_BIN")/lib/libfop4.a}
DRV=$FOP4_TMP/drv

drv_build() {
    [ -f "$FOP4_LIB" ] || { skip "$(basename "$0")" "$FOP4_LIB not built"; exit 77; }
    gcc -std=c11 -D_GNU_SOURCE -O2 -I"$FOP4_ROOT/include" -I"$FOP4_ROOT/src" \
        "$FOP4_ROOT/tests/engine/drv.c" "$FOP4_LIB" \
        -ljansson -lyaml -lmnl -lcurl -lpthread -lm -o "$DRV" ||
        { fail "build drv"; exit 1; }
}

drv_run() { timeout 120 "$DRV"; }

# leftovers PREFIX: prints what of PREFIX is still in the kernel/filesystem
leftovers() {
    ls /run/netns 2>/dev/null | grep "^$1-" || true
    [ -e "/run/fop4/$1" ] && echo "/run/fop4/$1"
    true
}

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
