#!/bin/bash
# PID 1 of the fstests guest (scripts/fstests.sh boots it with
# init=THIS).  The root is the host's / over 9p, read only; this mounts
# tmpfs where fstests writes, the results share (9p tag "results") on
# /mnt/results, reads the run's settings from /mnt/results/run.env (FSTYP,
# TESTS, FSTESTS: the fstests build directory, CONFIG: local.config),
# formats TEST_DEV, runs ./check with the output on the second serial port
# and powers off.  The line "fstests-vm: done rc=N" ends a complete run.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C LC_ALL=C

mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
for d in /tmp /var /run /root /mnt; do
	mount -t tmpfs -o mode=0755 tmpfs "$d"
done
chmod 1777 /tmp
mkdir -p /var/tmp /var/lib /var/log /var/cache /run/lock /mnt/results \
	/mnt/test /mnt/scratch
chmod 1777 /var/tmp
ln -s /run /var/run
ln -s /run/lock /var/lock
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
hostname fstests-vm

out=/dev/ttyS1
finish() {
	echo "fstests-vm: done rc=$1" > $out
	sync
	umount /mnt/results 2>/dev/null
	/bin/busybox poweroff -f
	sleep 60
}
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /mnt/results; then
	echo "fstests-guest: cannot mount the results share" > $out
	finish 2
fi
bdi_of() {	# bdi_of DEV: MAJOR:MINOR, the name of its bdi in sysfs
	stat -L -c '%t %T' "$1" | { read -r ma mi; echo "$((16#$ma)):$((16#$mi))"; }
}
. /mnt/results/run.env
. "$CONFIG"

{
	echo "== kernel: $(uname -r)"
	echo "== cmdline: $(cat /proc/cmdline)"
	echo "== cpus: $(nproc), memory: $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
	case $FSTYP in
	xfs) mkfs.xfs -f -q "$TEST_DEV" ;;
	ext4) mkfs.ext4 -F -q "$TEST_DEV" ;;
	*) mkfs -t "$FSTYP" "$TEST_DEV" ;;
	esac || { echo "fstests-guest: mkfs.$FSTYP $TEST_DEV failed"; finish 2; }
	# The shards the patched kernel gives each device (absent on stock).
	for d in "$TEST_DEV" "$SCRATCH_DEV"; do
		b=$(bdi_of "$d")
		echo "== $d (bdi $b): nr_wb_shards $(cat /sys/class/bdi/$b/nr_wb_shards 2>/dev/null || echo absent)"
	done
	# A mounted TEST_DEV, to show its shards on the patched kernel.
	if mount -t "$FSTYP" "$TEST_DEV" "$TEST_DIR"; then
		dd if=/dev/zero of="$TEST_DIR/.probe" bs=64k count=64 2>/dev/null
		sync
		b=$(bdi_of "$TEST_DEV")
		[ -r "/sys/kernel/debug/bdi/$b/wb_shards" ] &&
			sed 's/^/== wb_shards: /' "/sys/kernel/debug/bdi/$b/wb_shards"
		rm -f "$TEST_DIR/.probe"
		umount "$TEST_DIR"
	fi
	echo "== tests: $TESTS"
	cd "$FSTESTS" || finish 2
	HOST_OPTIONS=$CONFIG ./check -R xunit $TESTS
	rc=$?
	echo "== check exit status $rc"
	# What the run gave each shard (patched kernel): inodes dirtied, kB written.
	for d in "$TEST_DEV" "$SCRATCH_DEV"; do
		b=$(bdi_of "$d")
		[ -r "/sys/kernel/debug/bdi/$b/wb_shards" ] &&
			sed "s|^|== wb_shards of $d after the run: |" "/sys/kernel/debug/bdi/$b/wb_shards"
	done
	dmesg > /mnt/results/dmesg.txt
} > $out 2>&1 < /dev/null
finish "$rc"
