# timeout: 900
# A cgroup's wb goes offline while a sync runs and the shard count
# changes, and what the sync covered survives a shutdown without log
# flush, on XFS and ext4 (lazytime, so that inodes sit on b_dirty_time).
# cleanup_offline_cgwb() moves the inodes it walks to the newest end of
# a shard's b_dirty_time; 6.12.118 excludes syncs meanwhile, and the
# series holds that exclusion across the walk of every shard.
#  - cgroup "dirty" still has dirty data when it is removed: if its
#    cleanup runs before the sync wrote them, it is put off
#    (wb_has_dirty_io) and a later memcg offline runs it again;
#  - cgroup "clean" has only clean (b_attached) and time-dirty
#    (b_dirty_time) inodes on several shards: its cleanup walks them
#    while the sync runs, and a reader dirties their timestamps again
#    after the sync's cutoff;
#  - the root cgroup's dirty data keeps the sync busy.
# Both offline wbs must end empty and go away (every inode of every
# shard switched to the parent), and every file written before the sync
# must read back intact after the shutdown and a remount.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
# nothing written back behind the test's back: the sync writes it all
hold_dirty
cgwb_slice wbtest.slice

# in_cg NAME CMD: CMD in the cgroup wbtest.slice/NAME, from two writers
# pinned to two CPUs, so that the default choice spreads their inodes
in_cg() {
	c=$cg/wbtest.slice/$1; shift
	taskset -c 0 sh -c "echo \$\$ > $c/cgroup.procs; . /tests/lib/lib.sh; $*" sh 0 &
	w0=$!
	taskset -c 1 sh -c "echo \$\$ > $c/cgroup.procs; . /tests/lib/lib.sh; $*" sh 1 &
	w1=$!
	wait $w0 && wait $w1
}
# wb_gone WB: no line of wb WB left in debugfs (released)
wb_gone() { ! wb_shards_table "$bdi" | awk -v w="$1" '$1 == w {f = 1} END {exit !f}'; }

for fs in xfs ext4; do
	echo "== $fs"
	echo "$cpus" > "$bdi/nr_wb_shards"
	mkfs_mount $fs /dev/ram0 /mnt/t
	spread_ext4 $fs
	mount -o remount,lazytime,strictatime /mnt/t
	mkdir /mnt/t/dirty /mnt/t/clean /mnt/t/root /mnt/t/late
	: > /tmp/sums
	mkdir $cg/wbtest.slice/dirty $cg/wbtest.slice/clean
	in_cg clean 'pattern_files /tmp/sums.$1 /mnt/t/clean c$1- 80 16' ||
		fail "writers in cgroup clean"
	sync
	# atime under lazytime: every inode of "clean" to b_dirty_time
	cat /mnt/t/clean/* > /dev/null
	in_cg dirty 'pattern_files /tmp/sums.$1 /mnt/t/dirty d$1- 16 256' ||
		fail "writers in cgroup dirty"
	pattern_files /tmp/sums /mnt/t/root r 32 256
	cat /tmp/sums.0 /tmp/sums.1 >> /tmp/sums
	rm /tmp/sums.0 /tmp/sums.1

	wbd=$(stat -c %i $cg/wbtest.slice/dirty)
	wbc=$(stat -c %i $cg/wbtest.slice/clean)
	wb_shards_table "$bdi" | awk -v a="$wbd" -v b="$wbc" 'NR == 1 || $1 == a || $1 == b' | tee /tmp/before
	# columns: $7 b_dirty, $10 b_dirty_time, $11 b_attached
	n=$(awk -v w="$wbd" '$1 == w && $7 > 0' /tmp/before | wc -l)
	[ "$n" -ge 2 ] || fail "$fs: cgroup dirty has dirty inodes on $n shard(s), expected >= 2"
	n=$(awk -v w="$wbc" '$1 == w && $10 + $11 > 0' /tmp/before | wc -l)
	[ "$n" -ge 2 ] || fail "$fs: cgroup clean has attached inodes on $n shard(s), expected >= 2"
	n=$(awk -v w="$wbc" '$1 == w {s += $10} END {print s + 0}' /tmp/before)
	[ "$n" -gt 0 ] || fail "$fs: no inode of cgroup clean on b_dirty_time (lazytime)"
	n=$(awk -v w="$wbc" '$1 == w {s += $7 + $8 + $9} END {print s + 0}' /tmp/before)
	[ "$n" = 0 ] || fail "$fs: cgroup clean has $n dirty inodes: its cleanup would be put off"

	rm -f /tmp/stop
	# after the sync's cutoff: timestamps of "clean", data of the root's
	(i=0; while [ ! -e /tmp/stop ]; do
		cat /mnt/t/clean/c0-$((i % 80)) > /dev/null
		dd if=/dev/zero of=/mnt/t/late/l$((i % 16)) bs=4k count=4 2>/dev/null
		i=$((i + 1))
	done) &
	late=$!
	(for r in 1 2 3 4; do
		echo 1 > "$bdi/nr_wb_shards" || exit 1
		sleep 0.3
		echo "$cpus" > "$bdi/nr_wb_shards" || exit 1
		sleep 0.3
	done) &
	resize=$!
	sync &
	s=$!
	rmdir $cg/wbtest.slice/dirty $cg/wbtest.slice/clean ||
		fail "$fs: removing the cgroups"
	timeout 300 sh -c "while kill -0 $s 2>/dev/null; do sleep 0.2; done" ||
		fail "$fs: sync did not return in 300 s"
	wait $s || fail "$fs: sync failed"
	wait $resize || fail "$fs: changing nr_wb_shards during the sync failed"
	touch /tmp/stop
	wait $late

	# "dirty"'s cleanup was put off: another memcg going offline runs
	# the cleanup again, now that the sync has written its inodes
	i=0
	while ! { wb_gone "$wbd" && wb_gone "$wbc"; }; do
		i=$((i + 1))
		if [ $i -gt 60 ]; then
			wb_shards_table "$bdi" | awk -v a="$wbd" -v b="$wbc" 'NR == 1 || $1 == a || $1 == b'
			fail "$fs: the offline wbs still hold inodes after 60 s"
		fi
		mkdir $cg/wbtest.slice/kick && rmdir $cg/wbtest.slice/kick
		sleep 1
	done
	echo "$fs: both offline wbs released after ${i} cleanup round(s)"

	crash_remount $fs /dev/ram0 /mnt/t
	crash_verify /tmp/sums
	umount /mnt/t
done
echo "$cpus" > "$bdi/nr_wb_shards"
rmdir $cg/wbtest.slice
