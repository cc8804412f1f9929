#!/bin/sh
# fop4/busybox: a minimal image for containers in labs and tests: Debian's
# busybox-static with every applet linked (sh, ip, ping, ifconfig, nc, httpd,
# wget, udhcpc ...), a root user and the usual directories.
# Usage: rootfs.sh ROOTFS   (prints docker import --change lines on stdout)
set -eu
root=$1
bb=/bin/busybox
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
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'Env PATH=/usr/sbin:/usr/bin:/sbin:/bin'
echo 'CMD ["/bin/sh"]'
