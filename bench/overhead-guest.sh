#!/bin/sh
# Guest side of bench/run-overhead.sh: the cost of a loaded wb_ext_ops
# policy.  Alternates the kernel default and a BPF policy that makes the
# same choices (wbext_test -m rr: round robin in BPF, every throttle
# callback returns the kernel's value) in one boot, ABBA order per pair.
#   overhead-guest.sh PAIRS SIZE_MB [NR_SHARDS]   (NR_SHARDS 0: the default)
# Workloads, each timed with its final sync:
#   rand4k  SIZE_MB of 4k random buffered writes, io_uring, one job per vCPU
#   files   many 16k files (create + write), so select_shard runs per file
# Prints: RESULT WORKLOAD CONFIG PAIR SECONDS (after one unrecorded warm-up
# run per workload)
set -e
pairs=$1 size_mb=$2 nr_shards=${3:-0}
cpus=$(nproc)
pin=/sys/fs/bpf/wbext_overhead
now() { awk '{print $1}' /proc/uptime; }
policy() {	# policy on|off
	if [ "$1" = on ]; then
		wbext_test -m rr -n overhead_rr -p $pin > /dev/null
	else
		rm -f $pin
		while [ "$(cat /sys/kernel/wb_ext/state)" != disabled ]; do sleep 0.1; done
	fi
}
run() {		# run WORKLOAD CONFIG PAIR
	mkfs.xfs -q -f /dev/ram0
	[ "$nr_shards" = 0 ] || echo "$nr_shards" > /sys/block/ram0/bdi/nr_wb_shards
	mount -t xfs /dev/ram0 /mnt/b
	sync
	echo 3 > /proc/sys/vm/drop_caches
	t0=$(now)
	case $1 in
	rand4k)
		fio --name=w --directory=/mnt/b --rw=randwrite --bs=4k \
		    --size=$((size_mb / cpus))M --numjobs="$cpus" \
		    --ioengine=io_uring --iodepth=64 --minimal > /dev/null ;;
	files)
		fio --name=f --directory=/mnt/b --rw=write --bs=16k \
		    --filesize=16k --nrfiles=$((size_mb * 64 / cpus / 4)) \
		    --openfiles=16 --file_service_type=sequential \
		    --numjobs="$cpus" --minimal > /dev/null ;;
	esac
	sync
	t1=$(now)
	umount /mnt/b
	echo "RESULT $1 $2 $3 $(echo "$t1 $t0" | awk '{print $1 - $2}') $(cat /sys/block/ram0/bdi/nr_wb_shards)"
}
mkdir -p /mnt/b
for w in rand4k files; do
	run $w warmup 0 > /dev/null	# the first run after boot is slow
	p=1
	while [ $p -le "$pairs" ]; do
		if [ $((p % 2)) = 1 ]; then order="off on"; else order="on off"; fi
		for c in $order; do
			policy $c
			if [ $c = on ]; then run $w policy $p; else run $w default $p; fi
		done
		policy off
		p=$((p + 1))
	done
done
# Where the time goes: one more policy run per workload with BPF run-time
# statistics on; the programs' own run time against the run's wall time.
echo 1 > /proc/sys/kernel/bpf_stats_enabled
for w in rand4k files; do
	policy on
	run $w stats 0
	bpftool prog show | awk '/struct_ops/ {name = $4; t = 0; c = 0; for (i = 1; i <= NF; i++) {
		if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) }
		print "PROGSTAT '$w'", name, c + 0, t + 0 }'
	policy off
done
echo 0 > /proc/sys/kernel/bpf_stats_enabled
echo "last_exit: $(cat /sys/kernel/wb_ext/last_exit)"
