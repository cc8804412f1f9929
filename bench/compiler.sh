#!/usr/bin/env bash
# bench/compiler.sh - compile time of fop4-p4c (preprocessor included, JSON and
# P4Info written) per program: each tutorials solution (mean of N runs) and
# the whole corpus (stf/ + compile/, one run each). Target: <= 20 ms per
# tutorials program (p4c-bm2-ss needs 0.6-1.2 s each on this machine).
#   bench/compiler.sh [N]      FOP4_BIN=dir selects the binaries (build/bin)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${FOP4_BIN:-$ROOT/build/bin}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
P4C=$BIN/fop4-p4c
C=${FOP4_SHARED:-$(cd "$ROOT/.." && pwd)/shared}/corpus
N=${1:-20}
[ -x "$P4C" ] || { echo "bench/compiler.sh: $P4C not built (make)"; exit 1; }
[ -d "$C" ] || { echo "bench/compiler.sh: corpus $C absent, skipped"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ms() { # ms START_NS END_NS COUNT -> milliseconds per run, 2 decimals
    awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }'
}

echo "fop4-p4c compile time (cpp + parse + check + BMv2 JSON + P4Info), mean of $N runs"
echo "(wall = elapsed, cpu = user+sys of fop4-p4c and its cpp: the honest figure"
echo " when other jobs share the machine; load now: $(cut -d' ' -f1 /proc/loadavg))"
printf '%-28s %10s %10s\n' program wall-ms cpu-ms
sum=0 cnt=0 worst=0 csum=0
TIMEFORMAT='%3U %3S'
for p in "$C"/tutorials/exercises/*/solution/*.p4; do
    d=$(dirname "$p") b=$(basename "$p")
    (cd "$d" && "$P4C" -o "$T/o.json" --p4runtime-files "$T/o.txtpb" "$b") \
        >/dev/null 2>&1 || { printf '%-28s %10s\n' "$b" "fails"; continue; }
    t0=$(date +%s%N)
    { time (cd "$d" && for _ in $(seq "$N"); do
        "$P4C" -o "$T/o.json" --p4runtime-files "$T/o.txtpb" "$b" >/dev/null 2>&1
    done); } 2>"$T/cpu"
    t1=$(date +%s%N)
    m=$(ms "$t0" "$t1" "$N")
    cpu=$(awk -v n="$N" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$T/cpu")
    printf '%-28s %10s %10s\n' "$b" "$m" "$cpu"
    sum=$(awk -v s="$sum" -v m="$m" 'BEGIN { print s + m }')
    csum=$(awk -v s="$csum" -v m="$cpu" 'BEGIN { print s + m }')
    worst=$(awk -v w="$worst" -v m="$m" 'BEGIN { print (m > w) ? m : w }')
    cnt=$((cnt + 1))
done
mean=$(awk -v s="$sum" -v n="$cnt" 'BEGIN { printf "%.2f", n ? s / n : 0 }')
cmean=$(awk -v s="$csum" -v n="$cnt" 'BEGIN { printf "%.2f", n ? s / n : 0 }')
echo "tutorials: $cnt programs, mean wall $mean ms (worst $worst), mean cpu $cmean ms" \
    "(target <= 20 ms; p4c-bm2-ss: 600-1200 ms => $(awk -v m="$mean" 'BEGIN { printf "%.0f", m ? 600 / m : 0 }')x" \
    "faster at least by wall time)"

# the cpp share: the preprocessor alone on the same programs
t0=$(date +%s%N)
for p in "$C"/tutorials/exercises/*/solution/*.p4; do
    cpp -undef -nostdinc -x assembler-with-cpp -I "$ROOT/p4include" "$p" >/dev/null 2>&1
done
t1=$(date +%s%N)
[ "$cnt" -gt 0 ] && echo "of which the C preprocessor alone: $(ms "$t0" "$t1" "$cnt") ms per program"

ok=0 all=0
t0=$(date +%s%N)
for p in "$C"/stf/*.p4 "$C"/compile/*.p4; do
    all=$((all + 1))
    (cd "$(dirname "$p")" && "$P4C" -o "$T/o.json" --p4runtime-files "$T/o.txtpb" \
        "$(basename "$p")") >/dev/null 2>&1 && ok=$((ok + 1))
done
t1=$(date +%s%N)
echo "corpus stf/+compile/: $all programs ($ok compiled) in $(ms "$t0" "$t1" 1) ms," \
    "$(ms "$t0" "$t1" "$all") ms per program"
