#!/usr/bin/env bash
# setup.sh - the README's first command: install what is missing (Debian packages,
# dockerd), build everything, and run the demo lab.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
make -j"$(nproc)"
if [ -x build/bin/fop4 ] && [ -f examples/demo.yml ]; then
    build/bin/fop4 run examples/demo.yml --test pingall
else
    echo "setup: built; the demo lab needs build/bin/fop4 and examples/demo.yml"
fi
