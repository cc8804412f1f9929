#!/usr/bin/env bash
# After `kill -9` of fop4, `fop4 clean --prefix P` ends the fop4-switch
# processes the p4switch nodes started (pidfiles under /run/fop4/P/pids) and
# removes their namespaces and the run directory /run/fop4/P (logs too).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_bin fop4-p4c
P=${TPFX}c
d=$FOP4_TMP/clean
mkdir -p "$d"
cp "$FOP4_ROOT"/examples/p4/l2switch/* "$d/"
cat >"$d/two.yml" <<'YML'
nodes:
  h1: {kind: host, ip: 10.0.0.1/24}
  h2: {kind: host, ip: 10.0.0.2/24}
  s1: {kind: p4switch, p4: l2switch.p4, commands: s1-commands.txt}
  s2: {kind: p4switch, p4: l2switch.p4}
links:
  - [h1, s1]
  - [s1, s2]
  - [h2, s2]
YML
export FOP4_P4CACHE=$FOP4_TMP/cache
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
mkfifo "$d/in"
# the shell reads from the fifo, which stays open until we close it
"$FOP4_BIN/fop4" run "$d/two.yml" --prefix "$P" <"$d/in" >"$d/out.txt" 2>&1 &
fpid=$!
exec 7>"$d/in"
on_exit "kill -9 $fpid"
switch_pids() {
    local f
    for f in /run/fop4/$P/pids/*; do
        [ -f "$f" ] && grep -q fop4-switch "$f" 2>/dev/null && basename "$f"
    done
}
two_switches() { [ "$(switch_pids | wc -l)" -eq 2 ] && grep -q "Starting CLI" "$d/out.txt"; }
if wait_for 60 two_switches; then
    pass "two switch processes recorded"
else
    cat "$d/out.txt"; ls -l /run/fop4/$P/pids 2>&1
    fail "two switch processes recorded"
fi
pids=$(switch_pids)
kill -9 $fpid
wait $fpid 2>/dev/null
exec 7>&-
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
echo "switches alive after kill -9 of fop4: $alive"
out=$("$FOP4_BIN/fop4" clean --prefix "$P" -v 2>&1)
echo "$out"
gone() { for p in $pids; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
wait_for 5 gone && pass "fop4 clean ends the switches" || fail "fop4 clean ends the switches" "$pids"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "fop4 clean removes the namespaces" || fail "fop4 clean removes the namespaces" "$n left"
[ ! -e "/run/fop4/$P" ] && pass "fop4 clean removes /run/fop4/P (switch logs too)" ||
    fail "fop4 clean removes /run/fop4/P (switch logs too)" "$(ls -R /run/fop4/$P 2>&1)"
finish
