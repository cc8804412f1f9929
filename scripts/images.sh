#!/usr/bin/env bash
# scripts/images.sh - builds FOP4-C's container images offline (see images/README.md).
#
#   scripts/images.sh [--force] [--quiet] [NAME...]
#
# Each images/NAME/rootfs.sh becomes the image fop4/NAME:latest via `docker import`.
# An image is rebuilt only when the hash of its recipe and of the host files the
# recipe copies (`rootfs.sh --deps`) differs from the label fop4.hash on the
# existing image, so calling this before every run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
force=0 quiet=0 names=()
for a in "$@"; do
    case $a in
    --force) force=1 ;;
    --quiet) quiet=1 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "images.sh: unknown option $a" >&2; exit 2 ;;
    *) names+=("$a") ;;
    esac
done
[ ${#names[@]} -gt 0 ] || for d in images/*/rootfs.sh; do names+=("$(basename "$(dirname "$d")")"); done

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || {
    echo "images.sh: cannot reach dockerd (run scripts/deps.sh to start it)" >&2
    exit 1
}

say() { [ $quiet -eq 1 ] || echo "$@"; }

for n in "${names[@]}"; do
    recipe=images/$n/rootfs.sh
    [ -x "$recipe" ] || { echo "images.sh: no recipe $recipe" >&2; exit 1; }
    hash=$(cat images/"$n"/* $("$recipe" --deps) | sha256sum | cut -c1-16)
    tag=fop4/$n:latest
    have=$(docker image inspect -f '{{index .Config.Labels "fop4.hash"}}' "$tag" 2>/dev/null || true)
    old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    if [ $force -eq 0 ] && [ "$have" = "$hash" ]; then
        say "images: $tag up to date"
        continue
    fi
    tmp=$(mktemp -d /tmp/fop4-image.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
    changes=()
    while IFS= read -r line; do
        [ -n "$line" ] && changes+=(--change "$line")
    done < <("$recipe" "$tmp/root")
    changes+=(--change "LABEL fop4.hash=$hash")
    tar -C "$tmp/root" --numeric-owner --owner=0 --group=0 -cf "$tmp/root.tar" .
    docker import "${changes[@]}" "$tmp/root.tar" "$tag" >/dev/null
    # The previous build, now untagged: removed unless a container uses it.
    [ -z "$old" ] || docker rmi "$old" >/dev/null 2>&1 || true
    rm -rf "$tmp"
    trap - EXIT
    say "images: built $tag"
done
