#!/bin/sh
# Runs in the guest for "make demo": the same buffered-write fio job on
# XFS over brd with one writeback shard and with the kernel's default, side
# by side (fio's bandwidth, the final sync, the writeback workers' CPU time
# by CPU), then a policy loaded and swapped live under the same job.
# DEMO_MB: MiB each fio job writes (default 64, one job per CPU).
set -e
mb=${DEMO_MB:-64}
cpus=$(nproc)
dev=ram0
bdi=$(cat /sys/block/$dev/dev)
knob=/sys/class/bdi/$bdi/nr_wb_shards
echo "== kernel $(uname -r), $cpus CPUs, $(ls -d /sys/devices/system/node/node[0-9]* | wc -l) NUMA nodes; XFS on /dev/$dev (bdi $bdi)"
[ -w $knob ] || { echo "this kernel has no writeback shards ($knob): boot the patched kernel"; exit 1; }
orig=$(cat $knob)
default=$((cpus < 8 ? cpus : 8))	# the kernel's default, min(CPUs, 8)
mkdir -p /mnt/demo
fio= wbs=
# whatever happens, leave no writer, policy, mount or shard count behind
cleanup() {
	[ -z "$fio" ] || kill $fio 2>/dev/null
	[ -z "$wbs" ] || kill $wbs 2>/dev/null
	wait 2>/dev/null
	command -v wbctl > /dev/null && wbctl unload > /dev/null 2>&1
	umount /mnt/demo 2>/dev/null
	echo "$orig" > $knob
}
trap cleanup EXIT

# run NAME: the fio job on a new filesystem, then sync, under wbstat; its
# figures in /tmp/NAME.*
run() {
	umount /mnt/demo 2>/dev/null || true
	mkfs.xfs -q -f /dev/$dev
	mount -t xfs /dev/$dev /mnt/demo
	# a wb grows to its shards when it first dirties an inode; the inodes
	# dirtied meanwhile stay on shard 0: grow it before the job
	echo warm > /mnt/demo/.warm
	sync
	echo 3 > /proc/sys/vm/drop_caches
	wbstat -d $dev > /tmp/$1.wbstat 2>&1 &
	wbs=$!
	i=0
	while ! grep -q ready /tmp/$1.wbstat; do
		i=$((i + 1))
		kill -0 $wbs 2>/dev/null && [ $i -lt 300 ] ||
			{ cat /tmp/$1.wbstat; echo "wbstat did not start"; exit 1; }
		sleep 0.1
	done
	fio --name=demo --directory=/mnt/demo --rw=randwrite --bs=4k --nrfiles=16 \
	    --filesize=$((mb / 16))M --file_service_type=sequential \
	    --create_on_open=1 --numjobs="$cpus" --ioengine=io_uring --iodepth=64 \
	    --group_reporting --end_fsync=0 > /tmp/$1.fio &
	fio=$!
	if [ -n "$2" ]; then
		sleep 1
		kill -0 $fio 2>/dev/null || echo "   (the job had ended: the swap below is not live; a larger DEMO_MB)"
		$2
	fi
	wait $fio
	fio=
	start=$(awk '{print $1}' /proc/uptime)
	sync
	end=$(awk '{print $1}' /proc/uptime)
	kill -INT $wbs; wait $wbs || true
	wbs=
	awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f\n", b - a}' > /tmp/$1.sync
	sed -n 's/.*WRITE: bw=\([^ ]*\) .*/\1/p' /tmp/$1.fio > /tmp/$1.bw
}
val() { sed -n "s/^wbstat.* $2=\([^ ]*\).*/\1/p" /tmp/$1.wbstat; }

echo "== the same fio job twice: $cpus jobs of 4k random buffered writes, 16 files, $mb MiB each"
echo 1 > $knob
run one
echo "$default" > $knob
run def
printf '%-34s %-22s %s\n' "" "1 shard" "$default shards (default)"
printf '%-34s %-22s %s\n' "fio write bandwidth" "$(cat /tmp/one.bw)" "$(cat /tmp/def.bw)"
printf '%-34s %-22s %s\n' "final sync (s)" "$(cat /tmp/one.sync)" "$(cat /tmp/def.sync)"
printf '%-34s %-22s %s\n' "writeback workers' CPU (s)" "$(val one wb_cpu_s)" "$(val def wb_cpu_s)"
printf '%-34s %-22s %s\n' "  by CPU (s)" "$(val one wb_cpu_by_cpu)" "$(val def wb_cpu_by_cpu)"
printf '%-34s %-22s %s\n' "dirty-throttle pauses" "$(val one pauses)" "$(val def pauses)"
echo "(one boot, one run each: a demonstration, not a measurement; make bench measures)"

if ! command -v wbctl > /dev/null || [ ! -d /sys/kernel/wb_ext ]; then
	echo "== no wb_ext_ops in this kernel: no policy to show"
	exit 0
fi
swap() {
	echo "== 1 s into the job: wbctl swap numa (atomic: every inode is placed by rr or numa)"
	wbctl swap numa
}
echo "== wbctl load rr, the same job, and a live swap"
wbctl load rr
run pol swap
echo "   fio $(cat /tmp/pol.bw), final sync $(cat /tmp/pol.sync) s"
echo "== wbctl status"
wbctl status
echo "== wbctl stats: the shards numa chose since the swap (per CPU: wbctl stats --per-cpu, or bpftool map dump pinned /sys/fs/bpf/wbext/numa/stats)"
wbctl stats
wbctl unload
