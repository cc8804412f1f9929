#!/bin/bash
# bench/switch.sh - fop4-switch against the Linux bridge on the same veths, in
# the same run, with the shared harness ($FOP4_SHARED/bench/switch/bench.sh:
# two hosts in namespaces, the switch in a third, simple_router.json with
# BMv2's stress_test_commands.txt). Prints the harness's table, then per
# offered rate: delivered frames, the switch's CPU and the microseconds of
# switch CPU per delivered 64-byte frame (medians over the repeats of that
# rate), the bridge at the same rate, the TCP ratio, the ping latency the
# switch adds per hop over the bridge, and the switch's peak RSS.
#
#   bench/switch.sh                      # tcp pps ping, quick settings
#   TESTS="pps" RATES="60000 0" bench/switch.sh
#   REPEAT=5 bench/switch.sh             # each rate 5 times (default 3)
#   TESTS=pps COALESCE_SET="0 500" bench/switch.sh
#                                        # the switch once per FOP4_COALESCE_US
#                                        # value (0 = pacing off), then the bridge
#   FULL=1 bench/switch.sh               # the harness's full default sweep
#
# Rate 0 is the highest load the generator can offer. Switch CPU is the
# process's CPU ticks (all threads, including the kernel work done in its
# context: transmitting into a veth runs the far host's receive path there)
# over the measured window, divided by the frames delivered to host 2. The
# harness waits (up to QUIET_TIMEOUT s, default 300) for the machine's
# background load to drop under QUIET_MAX % before each measurement and prints
# what it was ("bg" column). FOP4_COALESCE_US is passed on to the switch
# (docs/switch-internals.md, "Data path I/O").
#
# Needs root. Uses build/bin (make first) or $FOP4_BIN.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${FOP4_BIN:-$ROOT/build/bin}
SHARED=${FOP4_SHARED:-$(cd "$ROOT/.." && pwd)/shared}
HARNESS=$SHARED/bench/switch/bench.sh
if [ "$(id -u)" -ne 0 ]; then echo "bench/switch.sh: needs root: skipped"; exit 0; fi
if [ ! -x "$HARNESS" ] && [ ! -f "$HARNESS" ]; then
    echo "bench/switch.sh: $HARNESS absent: skipped"; exit 0
fi
for b in fop4-switch fop4-switch-cli; do
    [ -x "$BIN/$b" ] || { echo "bench/switch.sh: $BIN/$b not built (make)" >&2; exit 1; }
done
OUT=${OUTDIR:-$(mktemp -d /tmp/fop4-bench-switch.XXXXXX)}
export OUTDIR=$OUT
export TESTS=${TESTS:-tcp pps ping}
if [ -z "${FULL:-}" ]; then
    REPEAT=${REPEAT:-3}
    rates=""
    for r in ${RATES:-60000 200000 0}; do
        for _ in $(seq "$REPEAT"); do rates="$rates $r"; done
    done
    export RATES=${rates# }
    export TCP_RUNS=${TCP_RUNS:-3} TCP_SECS=${TCP_SECS:-5}
    export SWEEP_SECS=${SWEEP_SECS:-5} PPS_RUNS=${PPS_RUNS:-0}
    export PING_RUNS=${PING_RUNS:-3}
fi
# A marker argument lets the RSS sampler below find our switch process.
MARK=fop4-bench-$$
export SWITCH_CMD="$BIN/fop4-switch -i 1@@IF1@ -i 2@@IF2@ --thrift-port @THRIFT@ --log-file /tmp/$MARK -L error @JSON@"
export CONFIG_CMD="$BIN/fop4-switch-cli --thrift-port @THRIFT@ < @COMMANDS@ > /dev/null"
WORK=${WORKDIR:-/tmp/bmbench}
export WORKDIR=$WORK
RSS_FILE=$OUT/rss.txt
( peak=0
  while :; do
      pid=$(grep -l -a -- "/tmp/$MARK" /proc/[0-9]*/cmdline 2>/dev/null | head -1 | cut -d/ -f3)
      if [ -n "$pid" ]; then
          hwm=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status 2>/dev/null)
          [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm && echo "fop4-switch peak RSS: $peak KiB" >"$RSS_FILE"
      fi
      sleep 1
  done ) &
SAMPLER=$!
echo "== bench/switch.sh: FOP4_COALESCE_US=${FOP4_COALESCE_US:-default}; $(nproc) cpus; load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
if [ -n "${COALESCE_SET:-}" ]; then
    for c in $COALESCE_SET; do
        FOP4_COALESCE_US=$c LABEL=fop4-switch-coalesce$c bash "$HARNESS" switch || rc=$?
    done
else
    LABEL=fop4-switch bash "$HARNESS" switch || rc=$?
fi
bash "$HARNESS" bridge || rc=$?
kill "$SAMPLER" 2>/dev/null
rm -f "/tmp/$MARK.txt"
echo "== results ($OUT/results.tsv, $OUT/log.txt)"
if [ -f "$OUT/results.tsv" ]; then
    python3 "$SHARED/bench/switch/summarize.py" "$OUT/results.tsv" 2>/dev/null || cat "$OUT/results.tsv"
    python3 - "$OUT/results.tsv" "$OUT/log.txt" <<'PY'
import csv, re, sys, statistics
rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))[1:]
log = open(sys.argv[2]).read().splitlines() if len(sys.argv) > 2 else []
def med(v):
    return statistics.median(v) if v else None
# per-rate sweep lines: "<label> pps sweep: rate=R offered_pps=.. delivered_pps=.."
sweep = {}
order, labels = [], []
pat = re.compile(r"\] (\S+) pps sweep: rate=(\d+) offered_pps=(\d+) delivered_pps=(\d+) "
                 r"loss_pct=\S+ switch_cpu_pct=(\d+) machine_busy_pct_of_200=(\d+)"
                 r".* bg_before=(\d+)%")
for line in log:
    m = pat.search(line)
    if not m:
        continue
    label, rate = m.group(1), int(m.group(2))
    off, dl, cpu, busy, bg = (float(m.group(i)) for i in (3, 4, 5, 6, 7))
    if rate not in order:
        order.append(rate)
    if label != "bridge" and label not in labels:
        labels.append(label)
    sweep.setdefault((label, rate), []).append((off, dl, cpu, busy, bg))
def us_per_pkt(s):
    return med([x[2] / 100.0 / x[1] * 1e6 for x in s if x[1] > 0])
if sweep:
    print("== 64-byte frames per offered rate (medians over runs; rate 0 = the most the "
          "generator offers; bg = background CPU % of 200 before each run)")
    print(f"{'switch':28} {'rate':>7} {'runs':>4} {'offered':>9} {'delivered':>9} {'deliv%':>7} "
          f"{'sw CPU%':>7} {'us/pkt':>6} {'bridge deliv':>12}  bg%")
    for label in labels:
        for rate in order:
            s = sweep.get((label, rate), [])
            b = sweep.get(("bridge", rate), [])
            if not s:
                continue
            off = med([x[0] for x in s]); dl = med([x[1] for x in s])
            cpu = med([x[2] for x in s]); us = us_per_pkt(s)
            pct = med([x[1] / x[0] * 100 for x in s if x[0] > 0])
            bdl = med([x[1] for x in b])
            bgs = ",".join("%d" % x[4] for x in s)
            print(f"{label:28} {rate:>7} {len(s):>4} {off:>9.0f} {dl:>9.0f} {pct:>6.1f}% "
                  f"{cpu:>7.0f} {us if us is not None else float('nan'):>6.2f} "
                  f"{bdl if bdl is not None else float('nan'):>12.0f}  {bgs}")
    for label in labels:
        for rate in order:
            s = sweep.get((label, rate), [])
            us = us_per_pkt(s)
            if us is not None:
                print(f"{label}: switch CPU per delivered packet at rate {rate}: {us:.2f} us "
                      f"(median of {len(s)}; target <= 0.8)")
print("== switch vs Linux bridge (medians over runs, same invocation)")
tcp = {}
for r in rows:
    if len(r) >= 5 and r[1] == "tcp" and r[3] == "recv_mbps":
        try:
            tcp.setdefault(r[0], []).append(float(r[4]))
        except ValueError:
            pass
b = med(tcp.get("bridge", []))
for label in [l for l in tcp if l != "bridge"]:
    a = med(tcp[label])
    if b:
        print(f"{label}: TCP Mbit/s switch {a:.1f}  bridge {b:.1f}  ratio {a / b:.3f} (target >= 0.5)")
bx = [x[1] for x in sweep.get(("bridge", 0), [])]
for label in labels:
    mx = [x[1] for x in sweep.get((label, 0), [])]
    if mx and bx:
        print(f"{label}: 64B max delivered switch {med(mx):.0f}  bridge {med(bx):.0f}  "
              f"ratio {med(mx) / med(bx):.3f}")
# ping: the RTT crosses the switch twice (h1 -> h2 and back)
rtt = {}
for line in log:
    m = re.search(r"\] (\S+) ping run \d+: loss \S+ rtt min/avg/max/mdev ([\d.]+)/([\d.]+)/", line)
    if m:
        rtt.setdefault(m.group(1), []).append(float(m.group(3)))
for label in [l for l in rtt if l != "bridge"]:
    if rtt.get("bridge"):
        s, b = med(rtt[label]), med(rtt["bridge"])
        print(f"{label}: ping avg RTT switch {s * 1000:.0f} us  bridge {b * 1000:.0f} us  "
              f"added per hop {(s - b) * 1000 / 2:.0f} us (RTT difference / 2; target <= 50)")
busy = [float(r[4]) for r in rows if len(r) >= 5 and r[1] == "tcp"
        and r[3] == "machine_busy_pct_of_200"]
if busy and max(busy) >= 190:
    print("note: the machine was saturated by other work during this run; figures are noisy")
PY
fi
echo "== memory"
cat "$OUT/rss.txt" 2>/dev/null || echo "fop4-switch peak RSS: not sampled"
exit $rc
