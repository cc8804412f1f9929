#!/usr/bin/env bash
# Good topology files parse: examples/*.yml, tests/topo/good/*, and the p4lang
# tutorials' topology.json files (from the shared corpus, run from the
# exercise directory as their Makefile does, and from elsewhere).
. "$(dirname "$0")/../lib.sh"
need_bin fop4
for f in "$FOP4_ROOT"/examples/*.yml "$FOP4_ROOT"/tests/topo/good/*.yml "$FOP4_ROOT"/tests/topo/good/*.json; do
    [ -f "$f" ] || continue
    name=good/${f#"$FOP4_ROOT"/}
    if out=$(cd "$(dirname "$f")" && "$FOP4_BIN/fop4" check "$f" 2>&1); then
        pass "$name"
    else
        fail "$name" "$out"
    fi
done
ex=$FOP4_SHARED/corpus/tutorials/exercises
if [ -d "$ex" ]; then
    n=0
    while IFS= read -r f; do
        d=$(dirname "$f")
        case $d in *-topo) d=$(dirname "$d") ;; esac
        rel=${f#"$d"/}
        name=tutorials/${f#"$ex"/}
        if ! out=$(cd "$d" && "$FOP4_BIN/fop4" check "$rel" 2>&1); then
            fail "$name" "$out"
        elif ! out=$(cd / && "$FOP4_BIN/fop4" check "$f" 2>&1); then
            fail "$name (from /)" "$out"
        else
            pass "$name"
        fi
        n=$((n + 1))
    done < <(find "$ex" -name topology.json | sort)
    [ $n -gt 0 ] || fail "tutorials" "no topology.json found in $ex"
else
    skip "tutorials" "$ex absent"
fi
# `fop4 check` on a missing file: a clear error, status 2.
out=$("$FOP4_BIN/fop4" check /nonexistent/lab.yml 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q '/nonexistent/lab.yml: error: cannot read' <<<"$out"; then
    pass "missing file"
else
    fail "missing file" "rc=$rc: $out"
fi
finish
