# Helpers for guest tests (sourced; busybox sh).

# What the runner treats as a kernel failure in dmesg.
KERNEL_SPLAT='WARNING:|BUG:|Oops|Call Trace:|lockdep|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|list_(add|del) corruption|blocked for more than|Kernel panic'

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# Unmount whatever a test left under /mnt so that the next test starts clean.
cleanup_mounts() {
	grep ' /mnt' /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}

# mkfs_mount FSTYPE DEV MNT: a fresh filesystem, mounted.
mkfs_mount() {
	case $1 in
	xfs) mkfs.xfs -q -f "$2" ;;
	ext4) mkfs.ext4 -q -F "$2" ;;
	*) fail "mkfs_mount: unknown filesystem $1" ;;
	esac
	mkdir -p "$3"
	mount -t "$1" "$2" "$3"
}

# Files of a known pattern, written by several buffered writers: fio
# stores a crc32c and the block's offset in every 4k block, so that a
# later --verify_only pass catches lost, stale or misplaced data.
#   fio_pattern DIR write|verify [extra fio options]
fio_pattern() {
	dir=$1 mode=$2
	shift 2
	[ "$mode" = verify ] && set -- --verify_only=1 "$@"
	fio --directory="$dir" --size="${FIO_SIZE:-24M}" --ioengine=psync \
	    --verify=crc32c --do_verify=0 --verify_fatal=1 --minimal "$@" \
	    --name=seq --rw=write --bs=64k --numjobs=2 \
	    --name=rand --rw=randwrite --bs=4k --numjobs=2 \
	    --name=fsync --rw=randwrite --bs=4k --fsync=16 \
	    --name=osync --rw=write --bs=16k --sync=1 \
	    --name=mmap --rw=randwrite --bs=4k --ioengine=mmap \
	    > /tmp/fio.out 2>&1 || { cat /tmp/fio.out; return 1; }
}
