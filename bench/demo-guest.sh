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
policy=
if command -v wbctl > /dev/null && [ -d /sys/kernel/wb_ext ]; then
	echo "== wbctl load rr: the round-robin policy decides from now on"
	wbctl load rr && policy=rr
fi
echo "== fio: $(nproc) jobs of 4k random buffered writes, io_uring, 16 files of 4 MiB each"
( while :; do
	awk '/^Dirty:|^Writeback:/ {printf "%s %6d MiB  ", $1, $2/1024} END {print ""}' /proc/meminfo
	sleep 1
  done ) > /tmp/meminfo.log &
mon=$!
wbstat -d ram0 > /tmp/wbstat.out 2>&1 &
wbs=$!
fio --name=demo --directory=/mnt/demo --rw=randwrite --bs=4k --nrfiles=16 \
    --filesize=4M --file_service_type=sequential --create_on_open=1 \
    --numjobs="$(nproc)" --ioengine=io_uring --iodepth=64 --group_reporting \
    --end_fsync=0 > /tmp/fio.out &
fio=$!
if [ -n "$policy" ]; then
	sleep 3
	echo "== mid-run: wbctl swap numa (atomic: no gap where nothing decides)"
	wbctl swap numa && policy=numa
fi
wait $fio || true
grep -E 'WRITE:|write:|lat \(usec\): min|clat percentiles' /tmp/fio.out || true
start=$(awk '{print $1}' /proc/uptime)
sync
end=$(awk '{print $1}' /proc/uptime)
kill $mon
kill -INT $wbs; wait $wbs || true
echo "== dirty and writeback pages, once a second during the run:"
cat /tmp/meminfo.log
echo "== final sync took $(echo "$end $start" | awk '{printf "%.2f", $1 - $2}') s"
echo "== wbstat: writeback workers' CPU seconds (per CPU), throttle pauses"
grep '^wbstat' /tmp/wbstat.out | tr ' ' '\n' | grep -E 'wb_cpu|wb_runs|pause' | sed 's/^/   /'
if [ -r /sys/kernel/debug/bdi/$bdi/wb_ctx ]; then
	echo "== writeback shards of $bdi (/sys/kernel/debug/bdi/$bdi/wb_ctx):"
	cat /sys/kernel/debug/bdi/$bdi/wb_ctx
else
	echo "== this kernel has no writeback shards"
fi
if [ -n "$policy" ]; then
	echo "== wbctl status"
	wbctl status
	echo "== wbctl stats --per-cpu: which shard the policy chose, per CPU"
	wbctl stats --per-cpu
	echo "== bpftool map dump pinned /sys/fs/bpf/wbext/$policy/stats (per-CPU values, first lines)"
	bpftool map dump pinned /sys/fs/bpf/wbext/$policy/stats | grep -v '^ *[0-9],\?$' | head -40
	wbctl unload
fi
umount /mnt/demo
