# The shard count the kernel chooses when a filesystem is mounted
# (super_set_wb_shards): the bdi's nr_wb_shards becomes 1 on a rotational
# device and min(CPUs, 8) otherwise; the filesystem caps the shards its
# own inodes go to (XFS: its allocation groups; btrfs: one when a device
# of it is rotational; ext4 keeps its regular files on one shard); a
# count written to nr_wb_shards is kept across
# mounts and lifts the filesystem's cap.  On a loop device, whose
# queue/rotational can be set before the mount; the shards used are
# those whose "dirtied" count (debugfs) grew while fio wrote 7 files.
. /tests/lib/lib.sh
need_wb_shards
cpus=$(grep -c ^processor /proc/cpuinfo)
def=$cpus; [ "$def" -le 8 ] || def=8
[ "$def" -ge 3 ] || skip_env "needs 3 CPUs to tell a cap of 2 shards from the default (VM_CPUS=$cpus)"
img=/tmp/40-default.img
mnt=/mnt/t
mkdir -p $mnt
dev=$(losetup -f) || fail "no free loop device"
truncate -s 1G $img
losetup "$dev" $img || fail "losetup $dev $img"
loop=${dev#/dev/}
cleanup() {	# under sh -e: a failing command would set the exit status
	umount $mnt 2>/dev/null || true
	losetup -d "$dev" 2>/dev/null || true
	rm -f $img
}
trap cleanup EXIT
bdi=$(bdi_of "$loop")

# mounted FS ROTATIONAL [MKFS-OPTS]: "NR USED" for a fresh FS: its bdi's
# nr_wb_shards after the mount, and how many shards got its inodes
mounted() {
	fs=$1
	echo "$2" > "/sys/block/$loop/queue/rotational" ||
		fail "cannot set $loop's queue/rotational to $2"
	case $fs in
	xfs) mkfs.xfs -q -f $3 "$dev" ;;
	ext4) mkfs.ext4 -q -F "$dev" ;;
	btrfs) mkfs.btrfs -q -f "$dev" > /tmp/mkfs.out 2>&1 || { cat /tmp/mkfs.out; false; } ;;
	esac || fail "mkfs.$fs $3"
	mount -t "$fs" "$dev" $mnt || fail "cannot mount $fs on $dev"
	b=$bdi
	if [ "$fs" = btrfs ]; then	# a bdi of its own, btrfs-N
		b=$(ls -d /sys/class/bdi/btrfs-*)
		[ "$(echo "$b" | wc -l)" = 1 ] || fail "expected one btrfs bdi, found: $b"
	fi
	n=$(cat "$b/nr_wb_shards")
	shards_table "$b" > /tmp/40.before
	fio_pattern $mnt write --size=4M || fail "fio on $fs"
	shards_table "$b" > /tmp/40.after
	used=$(awk 'NR == FNR {d[$2] = $6; next} $6 > d[$2] + 0' /tmp/40.before /tmp/40.after | wc -l)
	sync
	umount $mnt || fail "umount $fs"
	echo "$n $used"
}

# expect WHAT "NR USED" NR MAX-USED [MIN-USED]
expect() {
	set -- "$1" ${2} "$3" "$4" "${5:-1}"
	echo "$1: nr_wb_shards=$2, inodes on $3 shards"
	[ "$2" = "$4" ] || fail "$1: nr_wb_shards is $2, expected $4"
	[ "$3" -le "$5" ] || fail "$1: inodes went to $3 shards, at most $5 expected"
	[ "$3" -ge "$6" ] || fail "$1: inodes went to $3 shards, at least $6 expected: the check proves nothing"
}

expect "xfs, rotational" "$(mounted xfs 1 "-d agcount=8")" 1 1
expect "xfs, not rotational, 8 AGs" "$(mounted xfs 0 "-d agcount=8")" "$def" "$def" 3
expect "xfs, not rotational, 2 AGs" "$(mounted xfs 0 "-d agcount=2")" "$def" 2
expect "ext4, rotational" "$(mounted ext4 1)" 1 1
# ext4 keeps its regular files on one shard (->writeback_group, 0019);
# its root directory, dirtied by the creates, may take another
expect "ext4, not rotational" "$(mounted ext4 0)" "$def" 2
grep -qw btrfs /proc/filesystems || fail "no btrfs in this kernel (the test kernel has BTRFS_FS)"
expect "btrfs, rotational" "$(mounted btrfs 1)" "$def" 1
expect "btrfs, not rotational" "$(mounted btrfs 0)" "$def" "$def" 3

# what the administrator wrote stays, rotational or not, and lifts the cap
echo "$def" > "$bdi/nr_wb_shards" || fail "cannot write nr_wb_shards"
expect "xfs, rotational, $def written before" "$(mounted xfs 1 "-d agcount=8")" "$def" "$def" 3
expect "xfs, 2 AGs, $def written before" "$(mounted xfs 0 "-d agcount=2")" "$def" "$def" 3
