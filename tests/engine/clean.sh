#!/usr/bin/env bash
# net_clean (fop4 clean) after kill -9 of the process running a network, at
# several moments; it removes all of ours and nothing of anybody else's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
drv_build
P=$TPFX
Q=${TPFX}q # a bystander prefix: must survive
on_exit "printf 'prefix $P\nclean\n' | $DRV; printf 'prefix $Q\nclean\n' | $DRV"
on_exit "[ -n \"\${BYPID:-}\" ] && kill \$BYPID"

# A bystander network that must survive the clean of P.
mkfifo "$FOP4_TMP/by"
"$DRV" <"$FOP4_TMP/by" >"$FOP4_TMP/by.out" &
BYPID=$!
exec 7>"$FOP4_TMP/by"
printf 'prefix %s\ntopo single,2\nstart\n' "$Q" >&7
wait_for 20 grep -c '^ok' "$FOP4_TMP/by.out"

# kill -9 while running (with a relayed link), then after a partial start
for when in running starting; do
    if [ $when = running ]; then
        script=$(printf 'prefix %s\ntopo tree,2,3\nlink h1 h2 delay=5\nstart\nexec h1 sleep 7$$ >/dev/null 2>&1 &\nhold\n' "$P")
    else
        script=$(printf 'prefix %s\ntopo tree,3,4\nstart\n' "$P")
    fi
    echo "$script" | "$DRV" >"$FOP4_TMP/out" 2>&1 &
    pid=$!
    if [ $when = running ]; then
        wait_for 30 grep -q holding "$FOP4_TMP/out"
    else
        wait_for 30 sh -c "ls /run/netns | grep -q '^$P-h1'"
    fi
    kill -9 $pid
    wait $pid 2>/dev/null
    n=$(leftovers "$P" | wc -l)
    [ "$n" -gt 0 ] && pass "kill -9 $when leaves $n objects" || fail "kill -9 $when left nothing to clean?"
    out=$(printf 'prefix %s\nclean\n' "$P" | "$DRV")
    [ -z "$(leftovers "$P")" ] && pass "clean after kill -9 $when: $(echo "$out" | tail -1)" ||
        fail "clean after kill -9 $when" "$(leftovers "$P" | head -3)"
    pgrep -f "sleep 7$$" >/dev/null && fail "process left behind" || pass "no process left ($when)"
done
# the bystander still runs and works
echo "pingall" >&7
wait_for 20 grep -q '^ok pairs=2 lossy=0' "$FOP4_TMP/by.out" && pass "bystander network untouched" ||
    fail "bystander network untouched" "$(tail -2 "$FOP4_TMP/by.out")"
echo quit >&7
exec 7>&-
wait $BYPID
BYPID=
[ -z "$(leftovers "$Q")" ] && pass "bystander stops cleanly" || fail "bystander stops cleanly"
finish
