#!/usr/bin/env bash
# Every tests/topo/bad/*.yml|json is refused by `fop4 check` with exit status 2
# and the error its first line (or FILE.expect, for JSON) announces
# ("# expect: LINE:COL: message"), with
# the file's path and the source line with a caret; nothing is created.
. "$(dirname "$0")/../lib.sh"
need_bin fop4
dir=$FOP4_ROOT/tests/topo/bad
for f in "$dir"/*.yml "$dir"/*.json; do
    [ -f "$f" ] || continue
    name=bad/$(basename "$f")
    if [ -f "$f.expect" ]; then # JSON has no comments: the expectation aside
        want=$(sed -n '1s/^ *expect: *//p' "$f.expect")
    else
        want=$(sed -n '1s/^[#\/]* *expect: *//p' "$f")
    fi
    pos=${want%%: *}
    msg=${want#*: }
    out=$(cd "$dir" && "$FOP4_BIN/fop4" check "$(basename "$f")" 2>&1)
    rc=$?
    if [ $rc -ne 2 ]; then
        fail "$name" "exit status $rc, expected 2; output: $out"
    elif ! grep -qF -- "$(basename "$f"):$pos: error: $msg" <<<"$out"; then
        fail "$name" "expected '$(basename "$f"):$pos: error: $msg' in: $out"
    elif ! grep -q '^ *\^$' <<<"$out" && [ "${pos#*:}" != 0 ]; then
        fail "$name" "no caret line in: $out"
    elif grep -qi 'sanitizer\|runtime error' <<<"$out"; then
        fail "$name" "sanitizer report: $out"
    else
        pass "$name"
    fi
done
finish
