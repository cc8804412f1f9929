#!/bin/bash
# BMv2's own runtime-CLI regression tests replayed against fop4-switch +
# fop4-switch-cli: each testdata/<t>.in is fed to the CLI on stdin; the output
# is cut at the prompts ("RuntimeCmd: ") as BMv2's run_one_test.py does and
# compared with testdata/<t>.out ("????" lines stand for the prompts).
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/targets/simple_switch/tests/CLI_tests/testdata
need_bin fop4-switch
need_bin fop4-switch-cli
D=$FOP4_SHARED/corpus/bmv2/targets/simple_switch/tests/CLI_tests/testdata

free_port() { # a port the kernel says is free now
    python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

# segments FILE SEP: prints the text between successive SEPs, one segment per
# record, NUL-separated (the last segment, after the final SEP, is dropped).
segments() {
    python3 - "$1" "$2" <<'PY'
import sys
text = open(sys.argv[1], errors="replace").read()
sep = sys.argv[2]
start = text.find(sep)
parts = text[start:].split(sep)[1:-1] if start >= 0 else []
sys.stdout.write("\0".join(parts))
PY
}

run_case() { # run_case NAME JSON
    local name=$1 json=$2 out=$D/$1.out
    # a git symlink stored as text names the real expected output
    if [ "$(wc -l <"$out")" -eq 0 ] && [ -f "$D/$(cat "$out")" ]; then out=$D/$(cat "$out"); fi
    local port
    port=$(free_port)
    "$FOP4_BIN/fop4-switch" --thrift-port "$port" "$json" >"$FOP4_TMP/$name.switch.log" 2>&1 &
    local pid=$!
    on_exit "kill $pid"
    if ! wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"; then
        if ! kill -0 $pid 2>/dev/null && grep -q "$(basename "$json"):" "$FOP4_TMP/$name.switch.log"; then
            # the switch core refuses this program: the CLI cannot be tested on it
            skip "cli $name" "the switch cannot load $(basename "$json"): $(tail -1 "$FOP4_TMP/$name.switch.log")"
            return
        fi
        fail "cli $name" "switch did not open port $port: $(tail -3 "$FOP4_TMP/$name.switch.log")"
        kill $pid 2>/dev/null
        return
    fi
    timeout 30 "$FOP4_BIN/fop4-switch-cli" --thrift-port "$port" <"$D/$name.in" >"$FOP4_TMP/$name.got" 2>"$FOP4_TMP/$name.err"
    local rc=$?
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    local src=$rc
    if [ $rc -ne 0 ]; then
        fail "cli $name" "fop4-switch-cli exited with $rc"
        return
    fi
    segments "$FOP4_TMP/$name.got" "RuntimeCmd: " >"$FOP4_TMP/$name.g"
    segments "$out" $'????\n' >"$FOP4_TMP/$name.e"
    if cmp -s "$FOP4_TMP/$name.g" "$FOP4_TMP/$name.e"; then
        pass "cli $name"
    else
        fail "cli $name" "output differs from BMv2's"
        diff <(tr '\0' '\n' <"$FOP4_TMP/$name.e" | sed 's/^/  /') \
             <(tr '\0' '\n' <"$FOP4_TMP/$name.g" | sed 's/^/  /') | head -30
    fi
    : $src
}

run_case table_dump_old "$D/ecmp.json"
run_case table_dump "$D/ecmp.json"
run_case table_dump_extra "$D/table_dump_extra.json"
run_case indirect_res "$D/indirect_res.json"
# BMv2 runs mc_dump on ecmp.json; the program plays no part in it
run_case mc_dump "$D/table_dump_extra.json"
finish
