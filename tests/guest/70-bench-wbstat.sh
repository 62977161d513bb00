# timeout: 600
# wbstat, the benchmark's probe, measures what bench/README.md says it does:
# writeback CPU time per CPU (both shards of ram0 worked, on their own
# CPUs), completed writeback, the bandwidth series, and dirty-throttle
# pauses with device bandwidth from /proc/diskstats on a slow null_blk.
. /tests/lib/lib.sh
all_shards
save_vm_dirty
[ "$cpus" -ge 2 ] || skip_env "needs 2 vCPUs for two shards (VM_CPUS=$cpus)"
val() { sed -n "s/^wbstat.* $1=\([^ ]*\).*/\1/p" /tmp/wbstat.out; }
# measure DIR NUMJOBS WBSTAT_ARGS...: 32 MiB per fio job written to DIR and
# synced, under wbstat; its output in /tmp/wbstat.out
measure() {
	dir=$1 jobs=$2
	shift 2
	wbstat "$@" > /tmp/wbstat.out &
	spid=$!
	i=0
	while ! grep -q ready /tmp/wbstat.out; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "wbstat did not start"
		sleep 0.05
	done
	[ "$jobs" = 0 ] || fio --name=w --directory="$dir" --rw=write --bs=64k \
		--size=32M --numjobs="$jobs" --minimal > /dev/null || fail "fio in $dir"
	sync
	kill -INT $spid
	wait $spid || fail "wbstat exited with $?"
	cat /tmp/wbstat.out
}

# Two writers on two files, on two shards: the rr policy's one cursor
# gives consecutive files different shards (the kernel's per-CPU cursors
# may give two CPUs' files the same one).
mkfs_mount xfs /dev/ram0 /mnt/t
sync
wbctl load rr > /dev/null || fail "wbctl load rr"
measure /mnt/t 2 -d ram0 -i 100 -o /tmp/series.csv
wbctl unload > /dev/null || fail "wbctl unload"
[ "$(val wb_runs)" -ge 2 ] || fail "wb_runs $(val wb_runs): writeback work not seen"
awk -v c="$(val wb_cpu_s)" 'BEGIN {exit !(c > 0)}' || fail "no writeback CPU time"
# nr_written is a vmstat counter: per-CPU deltas are folded in later
awk -v m="$(val wb_done_mib)" 'BEGIN {exit !(m >= 60)}' ||
	fail "wb_done_mib $(val wb_done_mib): most of the 64 MiB written is missing"
busy=$(val wb_cpu_by_cpu | tr / '\n' | awk '$1 > 0' | wc -l)
[ "$busy" -ge 2 ] || fail "writeback CPU time on $busy CPU(s): $(val wb_cpu_by_cpu)"
head -n1 /tmp/series.csv | grep -q '^t_s,dev_write_mibps,wb_done_mibps,dirty_mib,writeback_mib$' ||
	fail "series header: $(head -n1 /tmp/series.csv)"
[ "$(wc -l < /tmp/series.csv)" -ge 3 ] || fail "series has no samples"
awk -F, 'NR > 1 {s += $3} END {exit !(s > 0)}' /tmp/series.csv ||
	fail "the series shows no completed writeback"
umount /mnt/t

# Throttling: a 16 MiB/s device under an 8 MiB dirty limit.
nullb_create wbstat 512 16
mkfs_mount xfs "$dev" /mnt/s
echo $((8 << 20)) > /proc/sys/vm/dirty_bytes
echo $((4 << 20)) > /proc/sys/vm/dirty_background_bytes
measure /mnt/s 1 -d "${dev#/dev/}"
[ "$(val pauses)" -gt 0 ] || fail "no throttle pause counted"
awk -v p="$(val pause_s)" 'BEGIN {exit !(p > 0)}' || fail "pause_s $(val pause_s)"
awk -v m="$(val dev_write_mib)" 'BEGIN {exit !(m >= 32)}' ||
	fail "dev_write_mib $(val dev_write_mib) < 32 written to $dev"
umount /mnt/s
echo 0 > $nullb_cfg/wbstat/power
rmdir $nullb_cfg/wbstat

# A device that is not there: a warning, and the rest still works.
measure - 0 -d nosuchdev
grep -q 'dev_write_mib=na' /tmp/wbstat.out || fail "missing device not reported"
