#!/bin/sh
# Guest side of bench/run: one configuration, one repetition.
#   wb-guest.sh drain|e2e SIZE_MB
# drain: dirty limits above the data, periodic writeback off, fio fills the
#        page cache, then only "sync" is timed (the original proposal's figure).
# e2e:   default dirty limits, fio plus the final sync, timed together.
# Prints one line: RESULT <figure> <seconds> <fio fill seconds>
set -e
mode=$1 size_mb=$2
cpus=$(nproc)
mkfs.xfs -q -f /dev/ram0
mkdir -p /mnt/b
mount -t xfs /dev/ram0 /mnt/b
nr=$(cat /sys/class/bdi/$(basename "$(readlink /sys/block/ram0/bdi)")/nr_wb_ctx 2>/dev/null || echo stock)
if [ "$mode" = drain ]; then
	echo $(( (size_mb + 1024) << 20 )) > /proc/sys/vm/dirty_bytes
	echo $(( (size_mb + 512) << 20 )) > /proc/sys/vm/dirty_background_bytes
	echo 0 > /proc/sys/vm/dirty_writeback_centisecs
fi
sync
per_job=$((size_mb / cpus))
now() { awk '{print $1}' /proc/uptime; }
t0=$(now)
fio --name=w --directory=/mnt/b --rw=randwrite --bs=4k --size=${per_job}M \
    --numjobs="$cpus" --ioengine=io_uring --iodepth=64 --group_reporting \
    --minimal > /tmp/fio.out
t1=$(now)
sync
t2=$(now)
grep -E '^(Dirty|Writeback):' /proc/meminfo | tr -s ' ' | tr '\n' ' '
echo
if [ "$mode" = drain ]; then
	echo "RESULT drain nr_wb_ctx=$nr $(echo "$t2 $t1" | awk '{print $1 - $2}') fill=$(echo "$t1 $t0" | awk '{print $1 - $2}')"
else
	echo "RESULT e2e nr_wb_ctx=$nr $(echo "$t2 $t0" | awk '{print $1 - $2}') fill=$(echo "$t1 $t0" | awk '{print $1 - $2}')"
fi
umount /mnt/b
