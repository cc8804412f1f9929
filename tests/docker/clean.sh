#!/usr/bin/env bash
# tests/docker/clean.sh - `fop4 clean` after kill -9 of a running lab removes its
# containers, and only them: a container of another prefix and one that is not
# ours at all (no labels, a name that looks like ours) are left alone.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
docker version >/dev/null 2>&1 || { skip "$(basename "$0")" "dockerd not running"; exit 77; }
"$FOP4_ROOT/scripts/images.sh" --quiet busybox || { fail images "scripts/images.sh failed"; finish; }

P=dc$(($$ % 100000))
Q=${P}x
ours() { docker ps -aq --filter "label=fop4.prefix=$1"; }
on_exit "ours $P | xargs -r docker rm -f"
on_exit "ours $Q | xargs -r docker rm -f"
on_exit "docker rm -f $P.foreign"
on_exit "timeout 60 $FOP4_BIN/fop4 clean --prefix $P"

# Foreign containers: another prefix, and one without labels.
docker run -d --network none --label fop4.prefix=$Q --label fop4.node=x \
    --name "$Q.x" fop4/busybox sleep 600 >/dev/null
docker run -d --network none --name "$P.foreign" fop4/busybox sleep 600 >/dev/null

cat >"$FOP4_TMP/lab.yml" <<EOF
nodes:
  h1: {kind: host}
  d1: {kind: docker, image: fop4/busybox}
  d2: {kind: docker, image: fop4/busybox, cmd: sleep 600}
  s1: {kind: bridge}
links: [[h1, s1], [d1, s1], [d2, s1]]
EOF
# The shell reads its stdin from a FIFO we hold open: it waits for commands
# without a helper process that could outlive the test.
mkfifo "$FOP4_TMP/in"
"$FOP4_BIN/fop4" run "$FOP4_TMP/lab.yml" --prefix "$P" <"$FOP4_TMP/in" >"$FOP4_TMP/out" 2>&1 &
pid=$!
on_exit "kill -9 $pid"
exec 9>"$FOP4_TMP/in"
running2() { [ "$(docker ps -q --filter label=fop4.prefix=$P | wc -l)" -eq 2 ]; }
if wait_for 60 running2; then pass "lab up: 2 containers running"; else
    fail "lab up: 2 containers running" "$(tail -3 "$FOP4_TMP/out")"; fi
sleep 0.5
kill -9 $pid
wait $pid 2>/dev/null
exec 9>&-
n=$(ours $P | wc -l)
[ "$n" -eq 2 ] && pass "containers survive kill -9 of fop4" || fail "containers survive kill -9 of fop4" "$n"

timeout 60 "$FOP4_BIN/fop4" clean --prefix "$P" -v >"$FOP4_TMP/clean" 2>&1
rc=$?
[ $rc -eq 0 ] && pass "fop4 clean exits 0" || fail "fop4 clean exits 0" "exit $rc: $(tail -3 "$FOP4_TMP/clean")"
n=$(ours $P | wc -l)
[ "$n" -eq 0 ] && pass "fop4 clean removed our containers" || fail "fop4 clean removed our containers" "$n left"
grep -q "$P.d1" "$FOP4_TMP/clean" && pass "fop4 clean -v names what it removed" ||
    fail "fop4 clean -v names what it removed" "$(head -5 "$FOP4_TMP/clean")"
[ "$(ours $Q | wc -l)" -eq 1 ] && pass "container of another prefix left alone" ||
    fail "container of another prefix left alone"
docker inspect "$P.foreign" >/dev/null 2>&1 && pass "unlabelled container left alone" ||
    fail "unlabelled container left alone"
timeout 60 "$FOP4_BIN/fop4" clean --prefix "$P" >/dev/null 2>&1
[ $? -eq 0 ] && pass "second clean finds nothing, exits 0" || fail "second clean finds nothing, exits 0"
finish
