#!/usr/bin/env bash
# The shell on a terminal (through script(1)'s pty): Tab completes commands and
# node names, Ctrl-C at the prompt drops the line and the shell goes on, Ctrl-C
# stops a running node command only, history is saved to ~/.fop4_history.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
command -v script >/dev/null || { skip "$(basename "$0")" "script(1) absent"; exit 77; }
P=${TPFX}i
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
out=$FOP4_TMP/out
export HOME=$FOP4_TMP
fifo=$FOP4_TMP/in
mkfifo "$fifo"
script -qfc "'$FOP4_BIN/fop4' run '$FOP4_ROOT/examples/demo.yml' --prefix $P" /dev/null \
    <"$fifo" >"$out" 2>&1 &
pid=$!
on_exit "kill -9 $pid"
exec 9>"$fifo"
prompts() { grep -o 'fop4> ' "$out" | wc -l; }
# say TEXT: types TEXT, then waits (bounded) until the shell prompts again.
say() {
    local n
    n=$(prompts)
    printf "$1" >&9
    wait_for 30 bash -c "[ \$(grep -o 'fop4> ' '$out' | wc -l) -gt $n ]"
}
if wait_for 60 grep -q "Starting CLI" "$out" && wait_for 10 grep -q "fop4> " "$out"; then
    say 'nod\t\n'                  # -> nodes
    say 'h1 ping -c1 -W2 h\t2\n'    # node names complete too
    say 'pingal\x03'                # Ctrl-C drops the line
    printf 'h1 ping h2\n' >&9       # runs until Ctrl-C
    wait_for 30 grep -q "icmp_seq=2" "$out"
    say '\x03'
    say 'intfs\n'
    printf 'exit\n' >&9
fi
exec 9>&-
wait_for 60 bash -c "! kill -0 $pid 2>/dev/null"
text=$(tr -d '\r' <"$out")
has() { grep -qF -- "$1" <<<"$text"; }
has "h1 h2 h3 h4 s1 s2" && pass "Tab completes a command" || fail "Tab completes a command" "$text"
has "1 received" && pass "Tab completes a node name" || fail "Tab completes a node name" "$text"
has "Interrupt" && has "h1: h1-eth0" && pass "Ctrl-C at the prompt and in a command; the shell goes on" ||
    fail "Ctrl-C at the prompt and in a command; the shell goes on" "$text"
has "*** Done" && pass "exit stops the network" || fail "exit stops the network" "$text"
grep -q "^intfs" "$HOME/.fop4_history" 2>/dev/null && pass "history saved" ||
    fail "history saved" "$(cat "$HOME/.fop4_history" 2>&1)"
finish
