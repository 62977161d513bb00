# timeout: 1200
# Changing nr_wb_shards while fio writes, up to 100 shards on a few CPUs:
# inodes of shards no longer used move, nothing is lost (every byte
# verified after sync), no kernel warning.
. /tests/lib/lib.sh
all_shards
for fs in xfs ext4; do
	echo "== $fs"
	mkfs_mount $fs /dev/ram0 /mnt/t
	spread_ext4 $fs
	FIO_SIZE=16M fio_pattern /mnt/t write &
	pid=$!
	n=0
	while kill -0 $pid 2>/dev/null; do
		for nr in 1 "$cpus" 2 100 3 "$cpus" 1 2; do
			echo "$nr" > "$bdi/nr_wb_shards" || fail "setting nr_wb_shards=$nr under load"
			n=$((n + 1))
			sleep 0.2
		done
	done
	wait $pid || fail "$fs: fio failed while nr_wb_shards changed"
	echo "$fs: $n changes during the write"
	[ $n -ge 5 ] || fail "fio finished before nr_wb_shards could change ($n changes)"
	sync
	crash_remount $fs /dev/ram0 /mnt/t
	FIO_SIZE=16M fio_pattern /mnt/t verify || fail "$fs: data lost across nr_wb_shards changes"
	wb_shards_table "$bdi"
	# a shrink moves every inode, dirty or clean, off the retired shards
	[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for a shrink (VM_CPUS=$cpus)"
	echo "$cpus" > "$bdi/nr_wb_shards"
	i=0
	while [ $i -lt 16 ]; do
		dd if=/dev/urandom of=/mnt/t/s$i bs=4k count=4 2>/dev/null
		i=$((i + 1))
	done
	wb_shards_table "$bdi" > /tmp/grown
	n=$(awk '$1 == 1 && $2 > 0 && $7 + $8 + $9 + $10 + $11 > 0' /tmp/grown | wc -l)
	[ "$n" -ge 1 ] || { cat /tmp/grown; fail "$fs: no inode on a shard above 0 before the shrink"; }
	echo 1 > "$bdi/nr_wb_shards"
	wb_shards_table "$bdi" > /tmp/shrunk
	left=$(awk '$1 == 1 && $2 > 0 {s += $7 + $8 + $9 + $10 + $11} END {print s + 0}' /tmp/shrunk)
	[ "$left" = 0 ] || { cat /tmp/shrunk; fail "$fs: $left inodes left on retired shards after nr_wb_shards=1"; }
	echo "$fs: nr_wb_shards=1 moved the inodes of $n shard(s) to shard 0"
	sync
	umount /mnt/t
done
echo "$cpus" > "$bdi/nr_wb_shards"
