# timeout: 300
# ext4 with data=journal does not use shards (its data goes through the
# journal, not per-inode writeback; 0009): with one shard per CPU, the new
# inodes of writers on two CPUs all go to shard 0, even under a policy
# that spreads them (rr; ext4 alone keeps its regular files on one shard,
# 0019).  The same writers on ext4's default mode spread over several
# shards: the control, so that the first check cannot pass on a kernel
# that puts every inode on shard 0.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
spread_ext4 ext4
# new_inodes OPTS: ext4 mounted with OPTS, 16 new files from two writers;
# leaves the inodes each shard was given in /tmp/placed
new_inodes() {
	mkfs.ext4 -q -F /dev/ram0
	mkdir -p /mnt/t
	mount -t ext4 ${1:+-o "$1"} /dev/ram0 /mnt/t || fail "mount -o $1"
	echo "ext4 ${1:-default}:"
	placed two_writers /mnt/t f 8 16
	sync
	umount /mnt/t
}
new_inodes data=journal
other=$(awk '$1 != 0 && $2 > 0' /tmp/placed)
[ -z "$other" ] || fail "data=journal: inodes went to shards other than 0: $other"
[ "$(awk '$1 == 0 {print $2}' /tmp/placed)" -ge 16 ] ||
	fail "data=journal: shard 0 was not given the 16 new inodes"
new_inodes ""
n=$(awk '$2 > 0' /tmp/placed | wc -l)
[ "$n" -ge 2 ] || fail "ext4's default mode: the new inodes went to $n shard(s), expected >= 2"
