#!/usr/bin/env bash
# tests/switch-core/ageing.sh - table entry ageing in fop4-switch: an entry
# given a timeout with table_set_timeout that sees no hit is reported in the
# switch's log ("Ageing entry H in table 'T'"), as BMv2's ageing monitor does
# (its sweep runs every second); an entry without a timeout is not; a table
# without support_timeout refuses timeouts. (tests/unit/switch/test_ageing.c
# covers hits restarting the timer and the notification hook.)
. "$(dirname "$0")/../lib.sh"
need_bin fop4-switch
need_bin fop4-switch-cli
J=$FOP4_ROOT/tests/switch-core/data/ageing.json
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
"$FOP4_BIN/fop4-switch" --thrift-port "$PORT" --log-file "$FOP4_TMP/sw" --log-flush -L info "$J" \
    >"$FOP4_TMP/out" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
    { fail "ageing: switch starts" "$(tail -3 "$FOP4_TMP/out")"; finish; }
run() { printf '%s\n' "$@" | "$FOP4_BIN/fop4-switch-cli" --thrift-port "$PORT" 2>&1; }
out=$(run "table_add t fwd 0x0a000001 => 1" "table_add t fwd 2 => 2" "table_set_timeout t 0 300" \
    "table_add u fwd 3 => 3" "table_set_timeout u 0 300")
grep -q "Setting a 300 ms timeout for entry 0" <<<"$out" && pass "ageing: timeout set" ||
    fail "ageing: timeout set" "$out"
grep -q "does not support" <<<"$out" && pass "ageing: a table without support_timeout refuses" ||
    fail "ageing: support_timeout" "$out"
if wait_for 5 grep -q "Ageing entry 0 in table 't'" "$FOP4_TMP/sw.txt"; then
    pass "ageing: the idle entry is reported in the log"
else
    fail "ageing: idle entry reported" "$(tail -5 "$FOP4_TMP/sw.txt")"
fi
if grep -q "Ageing entry 1 " "$FOP4_TMP/sw.txt"; then
    fail "ageing: entry without timeout" "$(grep Ageing "$FOP4_TMP/sw.txt")"
else
    pass "ageing: an entry without a timeout is not reported"
fi
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 143 ] && pass "ageing: the switch exits cleanly with its sweep thread" ||
    fail "ageing: switch exit" "status $rc"
finish
