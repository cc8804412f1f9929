#!/bin/sh
# fop4/busybox: the image for containers in labs and tests: Debian's
# busybox-static with every applet linked (sh, ip, ping, ifconfig, nc, httpd,
# wget, udhcpc ...), plus the host's iperf, iperf3 and tcpdump with the shared
# libraries they need (so the shell's iperf and tcpdump work in containers),
# a root user and the usual directories.
#
#   rootfs.sh ROOTFS   fills ROOTFS, prints docker import --change lines
#   rootfs.sh --deps   prints the host files it copies (for the rebuild hash)
set -eu
bb=/bin/busybox
TOOLS="/usr/bin/iperf /usr/bin/iperf3 /usr/bin/tcpdump"

# A tool and every shared library ldd names for it (missing tools skipped).
deps() {
    echo "$bb"
    for t in $TOOLS; do
        [ -x "$t" ] || continue
        echo "$t"
        ldd "$t" 2>/dev/null | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}'
    done | sort -u
}

if [ "${1:-}" = --deps ]; then
    deps
    exit 0
fi
root=$1
[ -x "$bb" ] || { echo "images/busybox: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" \
    "$root/tmp" "$root/root" "$root/var/run" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
# --list-full prints paths like "usr/bin/wget" for every applet.
"$bb" --list-full | while read -r p; do
    [ "$p" = bin/busybox ] && continue
    ln -sf /bin/busybox "$root/$p"
done
# Real tools replace the applets of the same name; libraries (and the dynamic
# loader, /lib64/ld-linux-x86-64.so.2) keep their paths, copied as files.
deps | while read -r f; do
    [ "$f" = "$bb" ] && continue
    mkdir -p "$root$(dirname "$f")"
    rm -f "$root$f"
    cp -L "$f" "$root$f"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'Env PATH=/usr/sbin:/usr/bin:/sbin:/bin'
echo 'CMD ["/bin/sh"]'
