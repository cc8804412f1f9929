#!/usr/bin/env bash
# scripts/deps.sh - installs every Debian package FOP4-C uses (named here once) and
# starts dockerd when it is not running. Idempotent and quick when all is present.
# Needs root for anything it has to install or start.
set -euo pipefail

PACKAGES=(
    # build
    gcc make pkg-config cpp
    libjansson-dev libyaml-dev libmnl-dev libcurl4-openssl-dev libedit-dev libpcap-dev
    libmd-dev
    # the emulator and its tests
    iproute2 iputils-ping iperf iperf3 ethtool tcpdump nftables kmod procps psmisc
    # containers: the engine, and busybox for images built offline
    docker.io busybox-static
    # benchmarks (summaries)
    python3
    # the p4lang tutorials' host commands (route, arp)
    net-tools
    # HTTP client of the load-balancer labs (tests/p4node)
    curl
    # an independent Thrift client for the switch's control port (tests/switch/thrift*)
    python3-thrift
    # checking fop4-p4c's binary and JSON P4Info against protobuf itself
    # (tests/p4/p4info_formats.sh)
    protobuf-compiler python3-protobuf
    # the switch's notifications socket (nanomsg PUB) and nanocat for its tests
    libnanomsg-dev nanomsg-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done

as_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "fop4: $1 needs root: run 'sudo $0'" >&2
        exit 1
    fi
}

if [ ${#missing[@]} -gt 0 ]; then
    as_root "installing ${missing[*]}"
    echo "deps: installing ${missing[*]}"
    # The package lists may be stale or absent on a fresh machine.
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

docker_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! docker_up; then
    as_root "starting dockerd"
    if [ -d /run/systemd/system ] && systemctl start docker 2>/dev/null; then
        :
    else
        echo "deps: starting dockerd (log: /var/log/fop4-dockerd.log)"
        nohup dockerd >/var/log/fop4-dockerd.log 2>&1 &
        echo $! >/run/fop4-dockerd.pid
    fi
    for _ in $(seq 1 300); do
        docker_up && break
        sleep 0.1
    done
    docker_up || {
        echo "fop4: dockerd did not start; see /var/log/fop4-dockerd.log" >&2
        exit 1
    }
fi
echo "deps: all packages present, dockerd running"
