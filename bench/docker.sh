#!/usr/bin/env bash
# bench/docker.sh - 20 Docker containers with their links up (target <= 5 s),
# their pingall, and their teardown through the C API (bench/docker_up.c);
# the same lab through `fop4 run --test pingall`; then Docker alone
# (docker run of one container after the other, no links) as the reference
# in the same run.
#
#   bench/docker.sh [N]          FOP4_BUILD=build/x to use another build tree
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
B=${FOP4_BUILD:-build}
[ "$(id -u)" -eq 0 ] || { echo "bench/docker.sh: needs root"; exit 1; }
docker version >/dev/null 2>&1 || { echo "bench/docker.sh: dockerd not running (scripts/deps.sh)"; exit 1; }
scripts/images.sh --quiet busybox
[ -f "$B/lib/libfop4.a" ] || make -s B="$B" "$B/lib/libfop4.a"
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc -o "$B/bench/docker_up" bench/docker_up.c \
    "$B/lib/libfop4.a" -ljansson -lyaml -lmnl -lcurl -lpthread -lm
pfx=fop4b$$
trap 'docker ps -aq --filter label=fop4.prefix=$pfx | xargs -r docker rm -f >/dev/null' EXIT
"$B/bench/docker_up" "$N" "$pfx"

# The same through the command line: fop4 run LAB --test pingall (bring-up,
# pingall and teardown, the whole process).
if [ -x "$B/bin/fop4" ]; then
    lab=$(mktemp /tmp/fop4-bench-docker.XXXXXX.yml)
    {
        echo "nodes:"
        echo "  s1: {kind: bridge}"
        for i in $(seq 1 "$N"); do echo "  d$i: {kind: docker, image: fop4/busybox}"; done
        echo "links:"
        for i in $(seq 1 "$N"); do echo "  - [d$i, s1]"; done
    } >"$lab"
    t0=$(date +%s.%N)
    "$B/bin/fop4" run "$lab" --prefix "$pfx" --test pingall >/dev/null 2>&1 && ok=passed || ok=FAILED
    t1=$(date +%s.%N)
    rm -f "$lab"
    python3 -c "import sys; a = sys.argv; \
print(f'docker: fop4 run LAB --test pingall with {a[4]} containers, the whole run: {float(a[2]) - float(a[1]):.2f} s, pingall {a[3]}')" \
        "$t0" "$t1" "$ok" "$N"
fi

# Reference: Docker alone, sequential create+start of $N containers.
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do
    docker run -d --network none --label fop4.prefix=$pfx --name "$pfx.ref$i" \
        fop4/busybox sleep 3600 >/dev/null
done
t1=$(date +%s.%N)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); \
print(f'docker: reference: docker run -d of {n} containers one after the other (no links): {t:.2f} s, {t*1000/n:.0f} ms each')" "$t0" "$t1" "$N"
