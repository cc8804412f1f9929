#!/usr/bin/env bash
# Start returns only when every link can carry traffic (carrier seen by the
# kernel's link watcher, bridge ports forwarding): a pingall with a 1 s
# timeout right after start loses nothing, 10 starts in a row.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
P=${TPFX}r
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
echo "pingall 1" >"$FOP4_TMP/pingall1.txt"
bad=0
for i in $(seq 10); do
    out=$(timeout 60 "$FOP4_BIN/fop4" run "$FOP4_ROOT/examples/demo.yml" --prefix "$P" \
        --batch "$FOP4_TMP/pingall1.txt" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || ! grep -q "^\*\*\* Results: 0% dropped (12/12 received)" <<<"$out"; then
        bad=$((bad + 1))
        echo "run $i: rc=$rc"
        echo "$out" | tail -8
    fi
done
[ $bad -eq 0 ] && pass "start + immediate pingall (1 s timeout): 10 of 10 runs lose nothing" ||
    fail "start + immediate pingall (1 s timeout)" "$bad of 10 runs lost probes"
finish
