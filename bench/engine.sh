#!/usr/bin/env bash
# bench/engine.sh - the emulator's figures: bring-up and teardown of N hosts on
# Mininet's tree and linear topologies, pingall on 64 hosts, memory per host.
# Needs root. Each figure is the median of RUNS runs (default 3).
#
#   bench/engine.sh                 all sizes
#   SIZES="10 100" bench/engine.sh  only some
#   FOP4_BUILD=build/x bench/engine.sh   use another build tree
# Baselines (Mininet 2.3.0 on the same machine): ../shared/bench/engine/README.md
set -eu
cd "$(dirname "$0")/.."
B=${FOP4_BUILD:-build}
RUNS=${RUNS:-3}
SIZES=${SIZES:-"10 100 500 1000"}
[ "$(id -u)" -eq 0 ] || { echo "bench/engine.sh: needs root" >&2; exit 1; }
[ -f "$B/lib/libfop4.a" ] || make -s B="$B" "$B/lib/libfop4.a"
BIN=$(mktemp -d /tmp/fop4-bench.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc bench/engine_bench.c "$B/lib/libfop4.a" \
    -ljansson -lyaml -lmnl -lcurl -lpthread -lm -o "$BIN/engine_bench"
P=fop4b$$

# run TOPO [pingall]: RUNS runs, prints the median line (by bring-up time)
run() {
    local i
    for i in $(seq "$RUNS"); do
        "$BIN/engine_bench" "$1" ${2:-} "$P" || { echo "$1: failed" >&2; return 1; }
    done | sort -k4 -n | awk -v m=$(((RUNS + 1) / 2)) 'NR==m'
}

tree_of() { # hosts -> a tree spec with about that many hosts
    case $1 in
    10) echo tree,1,10 ;; 100) echo tree,2,10 ;; 500) echo tree,2,22 ;;
    1000) echo tree,3,10 ;; *) echo "tree,1,$1" ;;
    esac
}

echo "FOP4-C engine, $(nproc) cores, kernel $(uname -r), median of $RUNS runs"
echo "link emulation path: $(unshare -n tc qdisc add dev lo root netem delay 1ms 2>/dev/null && echo netem || echo relay)"
printf '%-12s %5s %5s %7s %7s %7s %7s %7s %s\n' topo hosts nodes up_s stop_s settld_s KiB/host ping_s lost/sent
for n in $SIZES; do
    run "$(tree_of "$n")"
done
for n in $SIZES; do
    run "linear,$n"
done
run tree,2,8 pingall
run tree,2,32
