# timeout: 300
# ext4 keeps the files of one allocation goal on one shard
# (->writeback_group):
# - with its default layout (flex_bg), 16 new files of one directory from
#   writers on two CPUs all go to one shard, where XFS (which has no
#   ->writeback_group: it allocates a whole dirty range at once) spreads
#   the same files over several: the control;
# - without flex_bg, whose files spill over block groups (lib.sh's
#   ext4_spread), every file goes to its block group modulo the shards,
#   as writeback_shard_select traces it, and more than one shard is used
#   (the root directory, dirtied too, names no group: not counted).
# The choices are traced (writeback_shard_select), one per clean->dirty
# transition of a file.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs none $tr
ev=$tr/events/writeback/writeback_shard_select/enable
trap 'echo 0 > $ev; cleanup_mounts' EXIT

# new_files FS: FS on ram0, 16 new files from two writers, the shard
# choices of the files (not of the directories) traced in /tmp/select
new_files() {
	mkfs_mount $1 /dev/ram0 /mnt/t
	root=$(stat -c %i /mnt/t)
	echo > $tr/trace
	echo 1 > $ev
	two_writers /mnt/t f 8 16
	echo 0 > $ev
	grep 'writeback_shard_select:' $tr/trace |
		grep -v -e " ino=$root " -e ' ino=11 ' > /tmp/select || true
	sync
}
# the shards the files went to
shards_used() { grep -o ' shard=[0-9]*' /tmp/select | sort -u | wc -l; }

echo "== xfs"
new_files xfs
n=$(shards_used)
echo "xfs: the files went to $n shards"
umount /mnt/t
[ "$n" -ge 2 ] || fail "XFS: the 16 new files went to $n shard(s), expected >= 2: the ext4 check below would prove nothing"

echo "== ext4, flex_bg"
EXT4_OPTS= new_files ext4
n=$(shards_used)
echo "ext4 (flex_bg): the files went to $n shard(s)"
umount /mnt/t
[ "$n" = 1 ] || fail "ext4 (flex_bg): the 16 new files of one directory went to $n shards, expected one (one flex group)"

echo "== ext4, no flex_bg, files spilled over block groups"
EXT4_OPTS=$ext4_spread new_files ext4
ipg=$(dumpe2fs -h /dev/ram0 2>/dev/null | awk -F: '/^Inodes per group/ {print $2 + 0}')
[ "${ipg:-0}" -gt 0 ] || fail "dumpe2fs did not say the inodes per group"
umount /mnt/t
# "bdi 1:0: ino=12 cgroup_ino=1 shard=1 of 2"
awk -v ipg="$ipg" '{
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^ino=/) ino = substr($i, 5) + 0
		if ($i ~ /^shard=/) { sh = substr($i, 7) + 0; nr = $(i + 2) + 0 }
	}
	g = int((ino - 1) / ipg); n++
	if (!(g in seen)) { seen[g] = 1; groups++ }
	if (sh != g % nr) { bad++; print "ino " ino " of group " g " on shard " sh " of " nr }
	used[sh] = 1
} END {
	for (s in used) u++
	printf "%d choices, %d groups, %d shards, %d off their group\n", n, groups, u, bad
	exit !(n >= 16 && !bad && u >= 2)
}' /tmp/select || { head -20 /tmp/select; fail "ext4 (no flex_bg): a file not on its block group's shard, or every file on one shard"; }
