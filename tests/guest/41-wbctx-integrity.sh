# timeout: 1500
# Every byte survives with nr_wb_ctx = 1, 2 and one per CPU, on XFS and ext4
# over brd: buffered, fsync, O_SYNC and mmap writers; then sync + drop_caches,
# syncfs, and umount/remount, each followed by a full verification.
. /tests/lib/lib.sh
need_wb_ctx
bdi=$(bdi_of ram0)
cpus=$(grep -c ^processor /proc/cpuinfo)
for nr in 1 2 "$cpus"; do
	for fs in xfs ext4; do
		echo "== nr_wb_ctx=$nr $fs"
		echo "$nr" > "$bdi/nr_wb_ctx"
		mkfs_mount $fs /dev/ram0 /mnt/t
		FIO_SIZE=4M fio_pattern /mnt/t write || fail "$fs nr=$nr: write"
		sync
		drop_caches
		FIO_SIZE=4M fio_pattern /mnt/t verify || fail "$fs nr=$nr: after sync"
		FIO_SIZE=4M fio_pattern /mnt/t write || fail "$fs nr=$nr: rewrite"
		xfs_io -c syncfs /mnt/t
		echo 3 > /proc/sys/vm/drop_caches
		FIO_SIZE=4M fio_pattern /mnt/t verify || fail "$fs nr=$nr: after syncfs"
		umount /mnt/t
		mount -t $fs /dev/ram0 /mnt/t
		FIO_SIZE=4M fio_pattern /mnt/t verify || fail "$fs nr=$nr: after remount"
		umount /mnt/t
	done
done
echo "$cpus" > "$bdi/nr_wb_ctx"
