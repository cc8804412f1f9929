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
    n=$(ip netns list | grep -c "^$P-")
    if [ $ok -eq 1 ] && [ "$n" -eq 0 ] && grep -q "Stopping network" "$FOP4_TMP/out.$sig"; then
        pass "SIG$sig tears down"
    else
        fail "SIG$sig tears down" "exited=$ok namespaces=$n: $(cat "$FOP4_TMP/out.$sig")"
    fi
done
finish
