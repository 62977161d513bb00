# timeout: 900
# A shrink with many clean cached inodes in several cgroups (every
# systemd service's files stay on its cgroup wb's b_attached): the
# retired shards' inodes all move, clean ones included, none is lost from
# the lists, and a writer in one of the cgroups, dirtying new inodes on
# the same shards meanwhile, goes on.  The shrink moves b_attached in
# batches with cond_resched() between (no soft lockup or RCU stall
# splat, which the runner would catch); the time it took and the
# writer's longest create+write+close are reported, not asserted.
#   SHRINK_FILES=N  cached files per service (default 20000; 3 services;
#                   50000 took 5 min to create in the VM)
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for a shrink (VM_CPUS=$cpus)"
per=${SHRINK_FILES:-20000}
cgwb_slice system.slice
svcs="s1 s2 s3"
for s in $svcs; do mkdir -p $cg/system.slice/$s.service; done
cleanup() {
	echo "$cpus" > "$bdi/nr_wb_shards"
	umount /mnt/t 2>/dev/null || true
	for s in $svcs; do rmdir $cg/system.slice/$s.service 2>/dev/null || true; done
}
trap cleanup EXIT
# 1 KiB blocks: 150,000 files and their inodes fit the 1 GiB ram0
mkfs.xfs -q -f -b size=1024 /dev/ram0 || fail "mkfs.xfs"
mkdir -p /mnt/t
mount -t xfs /dev/ram0 /mnt/t || fail "mount"
# in_svc SVC CMD...: run CMD in SVC's cgroup
in_svc() {
	s=$1
	shift
	sh -c "echo \$\$ > $cg/system.slice/$s.service/cgroup.procs && exec $*"
}
for s in $svcs; do
	mkdir /mnt/t/$s /mnt/t/$s.new
	in_svc $s manyfiles /mnt/t/$s "$per" || fail "creating $per files in $s.service"
done
sync	# written back: clean, on their cgroup wb's b_attached
# cols: wb shard ... b_dirty($7) b_io b_more_io b_dirty_time b_attached($11)
# on WB FROM COLS: inodes of wb WB on shards >= FROM, columns 7..COLS
on() {
	wb_shards_table "$bdi" | awk -v w="$1" -v f="$2" -v c="$3" \
		'$1 == w && $2 >= f {for (i = 7; i <= c; i++) s += $i} END {print s + 0}'
}
for s in $svcs; do
	w=$(stat -c %i $cg/system.slice/$s.service)
	eval "wb_$s=$w"
	a=$(on "$w" 1 11)
	[ "$a" -ge $((per / 4)) ] || { wb_shards_table "$bdi"; fail "$s.service's wb has $a inodes above shard 0: the shrink would prove little"; }
	eval "before_$s=$(on "$w" 0 11)"
done
echo "before the shrink:"
wb_shards_table "$bdi" | awk 'NR == 1 || $11 > 0'

# a writer in s1.service dirties new inodes on its wb's shards meanwhile
in_svc s1 manyfiles /mnt/t/s1.new 10000 > /tmp/writer.out 2>&1 &
writer=$!
sleep 1
kill -0 $writer 2>/dev/null || { cat /tmp/writer.out; fail "the writer in s1.service ended before the shrink began: nothing ran beside it"; }
t0=$(cut -d' ' -f1 /proc/uptime)
echo 1 > "$bdi/nr_wb_shards" || fail "nr_wb_shards=1"
t1=$(cut -d' ' -f1 /proc/uptime)
kill -0 $writer 2>/dev/null && beside="still running" || beside="ended during it"
for s in $svcs; do
	eval "w=\$wb_$s"
	left=$(on "$w" 1 11)
	[ "$left" = 0 ] || { wb_shards_table "$bdi"; fail "$s.service: $left inodes left on retired shards"; }
done
for s in s2 s3; do	# nothing else changes their lists
	eval "w=\$wb_$s b=\$before_$s"
	a=$(on "$w" 0 11)
	[ "$a" = "$b" ] || { wb_shards_table "$bdi"; fail "$s.service: $b inodes on its wb's lists before the shrink, $a after"; }
done
wait $writer || { cat /tmp/writer.out; fail "the writer in s1.service"; }
echo "shrink of $((3 * per)) cached inodes to 1 shard: $(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') s (uptime, 10 ms steps); writer beside it ($beside at its end): $(cat /tmp/writer.out)"
echo "$cpus" > "$bdi/nr_wb_shards"
