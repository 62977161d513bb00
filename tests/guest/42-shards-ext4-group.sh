# timeout: 300
# ext4 keeps its regular files on one shard (->writeback_group, 0019): the
# blocks of its large files are allocated along one stream goal per
# filesystem, so two workers writing two of them at once interleave their
# extents.  With one shard per CPU:
# - 16 new files from writers on two CPUs go to several shards on XFS
#   (no ->writeback_group: it converts a whole delalloc extent at once),
#   the control;
# - on ext4 they go to one shard, in one directory (flex_bg) and spilled
#   over several block groups (no flex_bg, 16 inodes per group), and new
#   directories (which name no group) still go to several;
# - the same for writers in a child memory cgroup (the choice is made
#   for the cgroup's own wb);
# - under a policy (rr) the policy chooses: ext4's files spread.
# The choices are traced (writeback_shard_select), one per clean->dirty
# transition of an inode put on a dirty list.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
trap 'untrace; cleanup_mounts' EXIT

# the shards the traced inodes went to
shards_used() { grep -o ' shard=[0-9]*' /tmp/select | sort -u | wc -l; }
# new_files FS [MKFS_OPTS]: FS on ram0, 16 new files from two writers
new_files() {
	EXT4_OPTS=$2 mkfs_mount $1 /dev/ram0 /mnt/t
	traced two_writers /mnt/t f 8 16
	n=$(shards_used)
	echo "$1 ${2:-}: the files went to $n shard(s)"
}
mkdirs() { i=0; while [ $i -lt 16 ]; do mkdir /mnt/t/d$i; i=$((i + 1)); done; }

echo "== xfs"
new_files xfs
umount /mnt/t
[ "$n" -ge 2 ] || fail "XFS: the 16 new files went to $n shard(s), expected >= 2: the ext4 checks would prove nothing"

echo "== ext4, flex_bg, one directory"
new_files ext4
[ "$n" = 1 ] || fail "ext4: the 16 new files went to $n shards, expected one"
traced mkdirs
d=$(shards_used)
echo "ext4: 16 new directories went to $d shard(s)"
umount /mnt/t
[ "$d" -ge 2 ] || fail "ext4: 16 new directories went to $d shard(s), expected >= 2 (they name no group)"

echo "== ext4, no flex_bg, the files spilled over block groups"
new_files ext4 "-O ^flex_bg -g 4096 -i 1048576"
ipg=$(dumpe2fs -h /dev/ram0 2>/dev/null | awk -F: '/^Inodes per group/ {print $2 + 0}')
umount /mnt/t
[ "${ipg:-0}" -gt 0 ] || fail "dumpe2fs did not say the inodes per group"
g=$(grep -o ' ino=[0-9]*' /tmp/select | sort -u |
	awk -F= -v ipg="$ipg" '{g[int(($2 - 1) / ipg)]} END {for (k in g) n++; print n + 0}')
echo "the files are in $g block groups"
[ "$g" -ge 2 ] || fail "the files are in $g block group(s): the check proves nothing"
[ "$n" = 1 ] || fail "ext4 (files in $g block groups): they went to $n shards, expected one (one stream goal)"

echo "== ext4, writers in a child cgroup"
cgwb_slice system.slice
mkdir -p $cg/system.slice/a.service
EXT4_OPTS= mkfs_mount ext4 /dev/ram0 /mnt/t
cgino=$(stat -c %i $cg/system.slice/a.service)
traced sh -c "echo \$\$ > $cg/system.slice/a.service/cgroup.procs; . /tests/lib/lib.sh; two_writers /mnt/t f 8 16"
umount /mnt/t
rmdir $cg/system.slice/a.service	# later tests make their own
grep " cgroup_ino=$cgino " /tmp/select > /tmp/select.cg || true
m=$(grep -o ' ino=[0-9]*' /tmp/select.cg | sort -u | wc -l)
n=$(grep -o ' shard=[0-9]*' /tmp/select.cg | sort -u | wc -l)
echo "ext4, a.service: its wb chose for $m of the 16 files, on $n shard(s)"
[ "$m" -ge 8 ] || fail "a.service's wb chose for $m files, expected most of the 16: they were not written through the cgroup's wb"
[ "$n" = 1 ] || fail "ext4, writers in a.service: its wb put the 16 new files on $n shards, expected one"

echo "== ext4 under the rr policy"
spread_ext4 ext4
new_files ext4
umount /mnt/t
spread_ext4 none
[ "$n" -ge 2 ] || fail "ext4 under rr: the 16 new files went to $n shard(s), expected the policy's spread"
