#!/usr/bin/env bash
# tests/switch-core/semantics.sh - simple_switch behaviours checked with STF
# tests on small programs (data/<name>.p4, compiled by fop4-p4c into
# data/<name>.json, and data/<name>.stf):
#   setvalid  egress's packet_length counts the bytes of headers made
#             valid / invalid in ingress (BMv2's add_header/remove_header)
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
D=$FOP4_ROOT/tests/switch-core/data
for name in setvalid; do
    out=$("$FOP4_BIN/fop4-stf" "$D/$name.json" "$D/$name.stf" 2>&1)
    if [ $? -eq 0 ]; then pass "semantics: $name"; else fail "semantics: $name" "$out"; fi
done
finish
