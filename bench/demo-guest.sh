#!/bin/sh
# Runs in the guest for "make demo": a buffered-write fio job on XFS over brd,
# then what writeback did with it.
set -e
echo "== kernel $(uname -r), $(nproc) CPUs, $(ls -d /sys/devices/system/node/node[0-9]* | wc -l) NUMA nodes"
mkfs.xfs -q -f /dev/ram0
mkdir -p /mnt/demo
mount -t xfs /dev/ram0 /mnt/demo
bdi=$(cat /sys/block/ram0/dev 2>/dev/null)
echo "== device /dev/ram0 (bdi $bdi), vm.dirty_ratio=$(cat /proc/sys/vm/dirty_ratio)%" \
     "dirty_background_ratio=$(cat /proc/sys/vm/dirty_background_ratio)%"
if [ -d /sys/class/bdi/$bdi ]; then
	for f in /sys/class/bdi/$bdi/*; do
		[ -f "$f" ] && [ -r "$f" ] && printf '   %s = %s\n' "${f##*/}" "$(cat "$f" 2>/dev/null)"
	done
fi
echo "== fio: $(nproc) jobs of 4k random buffered writes, io_uring, 64 MiB each"
( while :; do
	awk '/^Dirty:|^Writeback:/ {printf "%s %6d MiB  ", $1, $2/1024} END {print ""}' /proc/meminfo
	sleep 1
  done ) > /tmp/meminfo.log &
mon=$!
fio --name=demo --directory=/mnt/demo --rw=randwrite --bs=4k --size=64M \
    --numjobs="$(nproc)" --ioengine=io_uring --iodepth=64 --group_reporting \
    --end_fsync=0 | grep -E 'WRITE:|write:|lat \(usec\): min|clat percentiles' || true
start=$(awk '{print $1}' /proc/uptime)
sync
end=$(awk '{print $1}' /proc/uptime)
kill $mon
echo "== dirty and writeback pages, once a second during the run:"
cat /tmp/meminfo.log
echo "== final sync took $(echo "$end $start" | awk '{printf "%.2f", $1 - $2}') s"
if [ -r /sys/kernel/debug/bdi/$bdi/wb_ctx ]; then
	echo "== writeback contexts of $bdi (/sys/kernel/debug/bdi/$bdi/wb_ctx):"
	cat /sys/kernel/debug/bdi/$bdi/wb_ctx
else
	echo "== this kernel has no writeback contexts"
fi
umount /mnt/demo
