# timeout: 900
# Buffered writers (plain, fsync, O_SYNC, mmap) on XFS and ext4 over null_blk:
# every byte is read back after sync + drop_caches and after a remount.  A
# deliberately corrupted block must then be caught, so the check itself is
# known to work.
. /tests/lib/lib.sh
dev=/dev/nullb0
for fs in xfs ext4; do
	echo "== $fs"
	mkfs_mount $fs $dev /mnt/t
	fio_pattern /mnt/t write || fail "$fs: fio write failed"
	sync
	drop_caches
	fio_pattern /mnt/t verify || fail "$fs: data differs after sync + drop_caches"
	umount /mnt/t
	mount -t $fs $dev /mnt/t
	fio_pattern /mnt/t verify || fail "$fs: data differs after remount"
	# negative control: one changed block must fail the verification
	f=$(ls /mnt/t/rand.* | head -n1)
	dd if=/dev/zero of="$f" bs=4k seek=3 count=1 conv=notrunc 2>/dev/null
	drop_caches
	if fio_pattern /mnt/t verify >/dev/null 2>&1; then
		fail "$fs: verification did not notice a zeroed block in $f"
	fi
	umount /mnt/t
	echo "$fs: ok"
done
