#!/bin/bash
# bench/switch.sh - fop4-switch against the Linux bridge on the same veths, in
# the same run, with the shared harness ($FOP4_SHARED/bench/switch/bench.sh:
# two hosts in namespaces, the switch in a third, simple_router.json with
# BMv2's stress_test_commands.txt). Prints the harness's table, then the ratios
# (switch / bridge) and the switch's peak RSS.
#
#   bench/switch.sh                 # tcp pps ping, quick settings
#   TESTS="tcp" bench/switch.sh     # a subset
#   FULL=1 bench/switch.sh          # the harness's full default sweep
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
    export TCP_RUNS=${TCP_RUNS:-3} TCP_SECS=${TCP_SECS:-5}
    export RATES=${RATES:-50000 200000 0} SWEEP_SECS=${SWEEP_SECS:-3}
    export PPS_RUNS=${PPS_RUNS:-2} PPS_SECS=${PPS_SECS:-5} PING_RUNS=${PING_RUNS:-1}
fi
# A marker argument lets the RSS sampler below find our switch process.
MARK=fop4-bench-$$
export SWITCH_CMD="$BIN/fop4-switch -i 1@@IF1@ -i 2@@IF2@ --thrift-port @THRIFT@ --log-file /tmp/$MARK -L error @JSON@"
export CONFIG_CMD="$BIN/fop4-switch-cli --thrift-port @THRIFT@ < @COMMANDS@ > /dev/null"
export LABEL=fop4-switch
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
bash "$HARNESS" switch bridge
rc=$?
kill "$SAMPLER" 2>/dev/null
rm -f "/tmp/$MARK.txt"
echo "== results ($OUT/results.tsv)"
if [ -f "$OUT/results.tsv" ]; then
    python3 "$SHARED/bench/switch/summarize.py" "$OUT/results.tsv" 2>/dev/null || cat "$OUT/results.tsv"
    python3 - "$OUT/results.tsv" <<'PY'
import csv, sys, statistics
rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))[1:]
def vals(label_is_switch, test, metric, param_prefix=""):
    out = []
    for r in rows:
        if len(r) < 5 or r[1] != test or r[3] != metric or not r[2].startswith(param_prefix):
            continue
        if ("bridge" != r[0]) != label_is_switch:
            continue
        try:
            out.append(float(r[4]))
        except ValueError:
            pass
    return out
def med(v):
    return statistics.median(v) if v else None
print("== fop4-switch vs Linux bridge (medians over runs, same invocation)")
for name, test, metric in (("TCP Mbit/s", "tcp", "recv_mbps"),
                           ("64B delivered pps", "pps", "delivered_pps")):
    a, b = med(vals(True, test, metric)), med(vals(False, test, metric))
    if a is not None and b:
        print(f"{name:20} switch {a:12.1f}  bridge {b:12.1f}  ratio {a / b:.3f}")
pps = vals(True, "pps", "delivered_pps")
cpu = vals(True, "pps", "switch_cpu_pct")
if pps and cpu:
    us = [c / 100.0 / p * 1e6 for c, p in zip(cpu, pps) if p]
    if us:
        print(f"{'switch CPU/packet':20} {med(us):.2f} us (process CPU / delivered pps at the best rate)")
busy = vals(True, "tcp", "machine_busy_pct_of_200") + vals(False, "tcp", "machine_busy_pct_of_200")
if busy and max(busy) >= 190:
    print("note: the machine was saturated by other work during this run; figures are noisy")
PY
fi
echo "== memory"
cat "$OUT/rss.txt" 2>/dev/null || echo "fop4-switch peak RSS: not sampled"
exit $rc
