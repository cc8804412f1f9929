#!/usr/bin/env bash
# setup.sh - the README's first command: install what is missing (Debian packages,
# dockerd), build everything and our container image (offline), and run the demo
# lab examples/stack.yml: hosts, a Docker container and a P4 switch whose program
# is compiled at start, with a pingall.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
make -j"$(nproc)"
scripts/images.sh
build/bin/fop4 run examples/stack.yml --test pingall
