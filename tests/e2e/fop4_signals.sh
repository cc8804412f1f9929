#!/usr/bin/env bash
# SIGTERM or SIGINT to a running `fop4 run` (in its shell, or in a batch) tears
# the network down: the process exits and no namespace of its prefix remains.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
P=${TPFX}s
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
for sig in TERM INT; do
    fifo=$FOP4_TMP/in.$sig
    mkfifo "$fifo"
    # The shell reads from a FIFO that stays open: it waits at its prompt.
    "$FOP4_BIN/fop4" run "$FOP4_ROOT/examples/demo.yml" --prefix "$P" \
        <"$fifo" >"$FOP4_TMP/out.$sig" 2>&1 &
    pid=$!
    exec 9>"$fifo"
    on_exit "kill -9 $pid"
    if ! wait_for 30 grep -q "Starting CLI" "$FOP4_TMP/out.$sig"; then
        fail "SIG$sig" "did not start: $(cat "$FOP4_TMP/out.$sig")"
        exec 9>&-
        continue
    fi
    kill -s "$sig" "$pid"
    [ "$sig" = INT ] && echo exit >&9 # SIGINT at the prompt does not leave
    ok=0
    for _ in $(seq 200); do
        kill -0 "$pid" 2>/dev/null || { ok=1; break; }
        sleep 0.1
    done
    exec 9>&-
    n=$(ip netns list 2>/dev/null | grep -c "^$P-")
    if [ $ok -eq 1 ] && [ "$n" -eq 0 ] && grep -q "Stopping network" "$FOP4_TMP/out.$sig"; then
        pass "SIG$sig tears down"
    else
        fail "SIG$sig tears down" "exited=$ok namespaces=$n: $(cat "$FOP4_TMP/out.$sig")"
    fi
done
# kill -9 leaves everything behind; `fop4 clean --prefix` removes it and
# nothing else.
fifo=$FOP4_TMP/in.kill
mkfifo "$fifo"
"$FOP4_BIN/fop4" run "$FOP4_ROOT/examples/demo.yml" --prefix "$P" \
    <"$fifo" >"$FOP4_TMP/out.kill" 2>&1 &
pid=$!
exec 9>"$fifo"
if wait_for 30 grep -q "Starting CLI" "$FOP4_TMP/out.kill"; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    exec 9>&-
    before=$(ip netns list 2>/dev/null | grep -c "^$P-")
    out=$("$FOP4_BIN/fop4" clean --prefix "$P" 2>&1)
    after=$(ip netns list 2>/dev/null | grep -c "^$P-")
    if [ "$before" -gt 0 ] && [ "$after" -eq 0 ] && grep -q "Cleanup complete" <<<"$out"; then
        pass "fop4 clean after kill -9 ($before namespaces removed)"
    else
        fail "fop4 clean after kill -9" "before=$before after=$after: $out"
    fi
else
    exec 9>&-
    fail "fop4 clean after kill -9" "did not start: $(cat "$FOP4_TMP/out.kill")"
fi
finish
