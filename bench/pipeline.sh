#!/usr/bin/env bash
# bench/pipeline.sh - packets per second of the switch core alone (no I/O) on
# BMv2's simple_router.json with stress_test_commands.txt's entries (see
# bench/pipeline.c; target, issue 3: >= 5 Mpps per core), and on IPv6 routing
# with 128-bit fields (bench/pipeline_v6.c); then instructions per packet of
# both under callgrind.
#
#   bench/pipeline.sh [SECONDS]       FOP4_BUILD=build/x to use another tree
set -eu
cd "$(dirname "$0")/.."
B=${FOP4_BUILD:-build}
SHARED=${FOP4_SHARED:-$(cd .. && pwd)/shared}
JSON=$SHARED/corpus/bmv2/mininet/simple_router.json
[ -f "$JSON" ] || { echo "bench/pipeline.sh: $JSON not found (skipped)"; exit 0; }
make -s B="$B" "$B/lib/libswitch.a" "$B/lib/liblib.a"
BIN=$(mktemp -d /tmp/fop4-bench.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc bench/pipeline.c "$B/lib/libswitch.a" \
    "$B/lib/liblib.a" -ljansson -lpthread -lm -o "$BIN/pipeline"
gcc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc bench/pipeline_v6.c "$B/lib/libswitch.a" \
    "$B/lib/liblib.a" -ljansson -lpthread -lm -o "$BIN/pipeline_v6"
V6=tests/switch-core/data/v6.json
echo "FOP4-C switch core, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
"$BIN/pipeline" "$JSON" "${1:-2}"
"$BIN/pipeline_v6" "$V6" "${1:-2}"
# Instructions per packet, from callgrind (deterministic, unlike times on a
# shared machine): the difference between 1100 and 100 batches of 32 frames.
if command -v valgrind >/dev/null; then
    ir() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/pipeline" \
            "$JSON" 0 0 "$1" 2>&1 | sed -n 's/.*Collected : //p'
    }
    a=$(ir 100) b=$(ir 1100)
    if [ -n "$a" ] && [ -n "$b" ]; then
        echo "pipeline simple_router: $(((b - a) / 32000)) instructions per packet (callgrind)"
    fi
    ir6() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/pipeline_v6" \
            "$V6" 0 "$1" 2>&1 | sed -n 's/.*Collected : //p'
    }
    a=$(ir6 100) b=$(ir6 1100)
    if [ -n "$a" ] && [ -n "$b" ]; then
        echo "pipeline IPv6 routing: $(((b - a) / 32000)) instructions per packet (callgrind)"
    fi
fi
