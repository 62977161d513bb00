#!/bin/sh
# Runs in the guest for "make try": load OBJ with "wbctl load -f OBJ
# [OPTIONS]", write with fio on XFS over brd with every shard in use,
# verify the data after a sync and a cache drop, and report.
# Usage: try-guest.sh OBJ [wbctl load options...]
obj=$1
shift
cpus=$(nproc)
bdi=$(cat /sys/block/ram0/dev)
bad=0
echo "== kernel $(uname -r), $cpus CPUs, $(cat /sys/class/bdi/$bdi/nr_wb_shards) shards on ram0"
mkfs.xfs -q -f /dev/ram0 && mkdir -p /mnt/try && mount -t xfs /dev/ram0 /mnt/try || exit 1
# A wb grows to its shards when it first dirties an inode, and the inodes
# dirtied meanwhile go to shard 0 unasked: grow it before the policy runs.
echo warm > /mnt/try/.warm && sync
echo "== wbctl load -f ${obj##*/} $*"
if ! wbctl load -f "$obj" "$@"; then
	echo "== the policy did not load: wbctl says why above ('make try' again after the fix;"
	echo "   wbctl -d load -f prints the verifier's whole log)"
	exit 1
fi
echo "== fio: $cpus jobs writing 8 files of 2 MiB each, 4k random, buffered; then sync, drop caches, verify"
fio --name=try --directory=/mnt/try --rw=randwrite --bs=4k --size=16M --nrfiles=8 \
    --numjobs="$cpus" --verify=crc32c --do_verify=0 --group_reporting \
    > /tmp/fio.out 2>&1 || { cat /tmp/fio.out; bad=1; }
grep -E 'WRITE:' /tmp/fio.out
sync
echo 3 > /proc/sys/vm/drop_caches
if fio --name=try --directory=/mnt/try --rw=randwrite --bs=4k --size=16M --nrfiles=8 \
       --numjobs="$cpus" --verify=crc32c --verify_only --group_reporting \
       > /tmp/verify.out 2>&1; then
	echo "== data verified after writeback"
else
	cat /tmp/verify.out
	echo "== VERIFY FAILED: data written back under the policy reads back wrong"
	bad=1
fi
echo "== wbctl stats"
wbctl stats
echo "== wbctl status"
wbctl status || bad=1
echo "== last_exit: $(cat /sys/kernel/wb_ext/last_exit)"
. /tests/lib/lib.sh	# KERNEL_SPLAT: what the test runner counts as a kernel failure
warn=$(dmesg | grep -E "$KERNEL_SPLAT|wb_ext: policy .* ejected")
if [ -n "$warn" ]; then
	echo "== kernel warnings:"
	echo "$warn"
	bad=1
else
	echo "== no kernel warning"
fi
wbctl unload > /dev/null
umount /mnt/try
[ $bad = 0 ] && echo "== try: ok" || echo "== try: FAILED (above)"
exit $bad
