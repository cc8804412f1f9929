#!/usr/bin/env bash
# fop4's command line: --help, --version, usage errors, and an invalid
# topology given to `fop4 run` (status 2, every error, nothing created).
. "$(dirname "$0")/../lib.sh"
need_bin fop4
F=$FOP4_BIN/fop4
expect() { # expect NAME STATUS PATTERN CMD...
    local name=$1 st=$2 pat=$3
    shift 3
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc -eq "$st" ] && grep -qF -- "$pat" <<<"$out"; then
        pass "$name"
    else
        fail "$name" "status $rc (want $st), output: $out"
    fi
}
expect "--help" 0 "fop4 run FILE" "$F" --help
expect "--version" 0 "fop4 0." "$F" --version
expect "no arguments" 2 "usage: fop4" "$F"
expect "unknown command" 2 "unknown command 'rnu'" "$F" rnu
expect "run without a file" 2 "run needs a topology file or --topo" "$F" run
expect "bad --test" 2 "unknown --test 'pingsome'" "$F" run x.yml --test pingsome
expect "bad --prefix" 2 "bad --prefix 'A/B'" "$F" run x.yml --prefix A/B
if [ "$(id -u)" -eq 0 ]; then
    expect "bad --topo" 2 "bad topology 'tre,2'" "$F" run --topo tre,2
    expect "--switch p4switch needs a program" 2 "--switch p4switch goes with --topo and --p4 or --json" \
        "$F" run --topo single,2 --switch p4switch
fi
expect "missing file" 2 "nope.yml: error: cannot read" "$F" run nope.yml
expect "check several files" 2 "unknown_kind.yml:4:14: error:" \
    "$F" check "$FOP4_ROOT/examples/demo.yml" "$FOP4_ROOT/tests/topo/bad/unknown_kind.yml"
if [ "$(id -u)" -eq 0 ]; then
    expect "doctor" 0 "netns" "$F" doctor
else
    skip "doctor" "needs root"
fi
printf 'nodes:\n  net: {kind: host}\n' >"$FOP4_TMP/warn.yml"
expect "a node named like a command: warning" 0 "warn.yml:2:3: warning: node 'net' has the name of a shell command" \
    "$F" check "$FOP4_TMP/warn.yml"
P=${TPFX}u
bad=$FOP4_TMP/bad.yml
printf 'nodes:\n  h1: {kind: host}\n  h2: {kind: host}\n  s1: {kind: bridge}\nlinks:\n  - [h1, s1]\n  - [h2, s2]\n  - [h3, s1]\n' >"$bad"
before=$(ip netns list 2>/dev/null | grep -c "^$P-")
expect "run refuses an invalid file (all errors)" 2 "bad.yml:8:6: error: unknown node 'h3' in link" \
    "$F" run "$bad" --prefix "$P" --test pingall
expect "run refuses an invalid file (first error)" 2 "bad.yml:7:10: error: unknown node 's2' in link; did you mean 's1'?" \
    "$F" run "$bad" --prefix "$P" --test pingall
after=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$before" -eq 0 ] && [ "$after" -eq 0 ] && pass "invalid file: nothing created" ||
    fail "invalid file: nothing created" "namespaces: $after"
# The tutorials' topology.json: switches with no program are refused clearly.
ex=$FOP4_SHARED/corpus/tutorials/exercises/basic
if [ -d "$ex" ]; then
    out=$(cd "$ex" && "$F" run pod-topo/topology.json --prefix "$P" --test none 2>&1)
    rc=$?
    if [ $rc -eq 2 ] && grep -q "switch 's1' has no P4 program.*--p4" <<<"$out"; then
        pass "tutorials topology.json without a program"
    else
        fail "tutorials topology.json without a program" "rc=$rc: $out"
    fi
else
    skip "tutorials topology.json without a program" "corpus absent"
fi
finish
