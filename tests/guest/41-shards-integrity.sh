# timeout: 1500
# Every byte survives with nr_wb_shards = 1, 2 and one per CPU, on XFS and ext4
# over brd: buffered, fsync, O_SYNC and mmap writers; then sync + drop_caches,
# syncfs, and umount/remount, each followed by a full verification.  The
# syncfs step rewrites every file in place with new random bytes and shuts
# the filesystem down without a log flush before it verifies: data that
# syncfs did not write reads back as the old bytes and fails.  The fsync
# step does the same with each file rewritten and fsynced on its own,
# and nothing else synced; no background or periodic writeback runs
# meanwhile (hold_dirty), so what reads back was written by the syncfs or
# the fsync.  fsync writes the file's pages itself, not through the shard
# lists: the step checks that an inode on a shard's list is no obstacle.
. /tests/lib/lib.sh
need_wb_shards
hold_dirty
bdi=$(bdi_of ram0)
cpus=$(grep -c ^processor /proc/cpuinfo)
# rewrite [fsync]: new random bytes over every file, with fsync each
# file fsynced by dd (md5sums in /tmp/sums)
rewrite() {
	for f in $(find /mnt/t -type f); do
		dd if=/dev/urandom of="$f" bs=64k conv=notrunc${1:+,$1} \
		   count=$((($(stat -c %s "$f") + 65535) / 65536)) 2>/dev/null ||
			fail "$fs nr=$nr: rewriting $f"
	done
	md5sum $(find /mnt/t -type f) > /tmp/sums
}
for nr in 1 2 "$cpus"; do
	for fs in xfs ext4; do
		echo "== nr_wb_shards=$nr $fs"
		echo "$nr" > "$bdi/nr_wb_shards"
		mkfs_mount $fs /dev/ram0 /mnt/t
		spread_ext4 $fs
		FIO_SIZE=4M fio_pattern /mnt/t write || fail "$fs nr=$nr: write"
		sync
		drop_caches
		FIO_SIZE=4M fio_pattern /mnt/t verify || fail "$fs nr=$nr: after sync"
		rewrite
		xfs_io -c syncfs /mnt/t
		crash_remount $fs /dev/ram0 /mnt/t
		crash_verify /tmp/sums
		rewrite fsync
		crash_remount $fs /dev/ram0 /mnt/t
		crash_verify /tmp/sums
		umount /mnt/t
		mount -t $fs /dev/ram0 /mnt/t
		crash_verify /tmp/sums
		umount /mnt/t
	done
done
echo "$cpus" > "$bdi/nr_wb_shards"
