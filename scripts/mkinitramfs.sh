#!/bin/bash
# Build the guest's root: an initramfs (newc cpio, uncompressed: under TCG
# decompressing costs more than copying) holding busybox, the storage tools,
# bpftool, our binaries and the tests, with every shared library they need.
#   mkinitramfs.sh OUT.cpio RUNSCRIPT
# RUNSCRIPT becomes /etc/wbext-run.sh, what /init runs (empty: a shell).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
out=${1:?usage: mkinitramfs.sh OUT.cpio RUNSCRIPT}
runscript=${2:-}
root=$out.d

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,tmp,mnt,run,root}
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# copy_elf SRC DEST: a binary (or script) and the libraries it loads.
copy_elf() {
	local src=$1 dest=$2 lib
	mkdir -p "$(dirname "$root$dest")"
	cp -L "$src" "$root$dest"
	# scripts and static binaries have no libraries: ldd fails, that is fine
	{ ldd "$src" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$(dirname "$root$lib")"
		cp -L "$lib" "$root$lib"
	done
}

for t in fio mkfs.xfs xfs_io xfs_bmap xfs_repair xfs_db mkfs.ext4 e2fsck dumpe2fs filefrag mkfs.btrfs \
	 taskset; do
	p=$(command -v "$t" || PATH=/usr/sbin:/sbin:$PATH command -v "$t" || true)
	[ -n "$p" ] || { echo "mkinitramfs: $t not found: run 'make deps'" >&2; exit 1; }
	case $t in
	taskset) copy_elf "$p" "/usr/bin/$t" ;;
	fio) copy_elf "$p" "/usr/bin/$t" ;;
	*) copy_elf "$p" "/usr/sbin/$t" ;;
	esac
done
cp /etc/mke2fs.conf "$root/etc/"
ln -sf e2fsck "$root/usr/sbin/fsck.ext4"
copy_elf "$BUILD/tools/sbin/bpftool" /usr/sbin/bpftool

# Our own binaries: test programs, wbctl and wbstat; BPF objects for
# "wbctl load -f" tests in /usr/local/lib/wbext.
for d in "$BUILD/tests" "$BUILD/loader"; do
	[ -d "$d" ] || continue
	find "$d" -maxdepth 1 -type f -perm -u+x | while read -r b; do
		copy_elf "$b" "/usr/local/bin/${b##*/}"
	done
done
mkdir -p "$root/usr/local/lib/wbext"
# (the policies too); "make try"'s object in /usr/local/lib/wbext/try, so
# that a file named as one of ours is still the user's
for o in "$BUILD"/tests/*.bpf.o "$BUILD"/bpf/*.bpf.o; do
	[ -f "$o" ] && cp "$o" "$root/usr/local/lib/wbext/"
done
mkdir -p "$root/usr/local/lib/wbext/try"
for o in "$BUILD"/try/*.bpf.o; do
	[ -f "$o" ] && cp "$o" "$root/usr/local/lib/wbext/try/"
done
cp "$top/scripts/try-guest.sh" "$root/try-guest.sh"
# The guest tests: tests/guest/lib always, the tests from GUEST_TESTS
# (default tests/guest; the runner's self-test swaps in tests/selftest).
mkdir -p "$root/tests"
cp -r "$top/tests/guest/lib" "$root/tests/"
cp "${GUEST_TESTS:-$top/tests/guest}"/[0-9]*.sh "$root/tests/" 2>/dev/null || true
[ -d "$top/bench" ] && cp -r "$top/bench" "$root/bench"
# what make install ships (the unit, its defaults, the udev example)
cp -r "$top/dist" "$root/dist"

cp "$top/scripts/guest-init.sh" "$root/init"
chmod +x "$root/init"
printf '%s\n' "$runscript" > "$root/etc/wbext-run.sh"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) > "$out"
rm -rf "$root"
