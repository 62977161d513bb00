# timeout: 600
# An inode switches cgroup wb with shards on both sides: files written by
# cgroup A, then rewritten whole by cgroup B (its own pages: the cache is
# dropped between rounds), move off every shard of A's wb onto B's; the
# data B wrote survives a sync and a shutdown without log flush.  The
# switch moves an inode between two wbs' shard lists under both
# list_locks (0002).  Where on B's wb they land is not asserted: a new
# wb starts with one shard (design.md), and in the runs so far all eight
# landed on one.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
cgwb_slice wbtest.slice
mkdir $cg/wbtest.slice/a $cg/wbtest.slice/b
trap 'rmdir $cg/wbtest.slice/a $cg/wbtest.slice/b $cg/wbtest.slice 2>/dev/null' EXIT
wba=$(stat -c %i $cg/wbtest.slice/a) wbb=$(stat -c %i $cg/wbtest.slice/b)
# attached WB: inodes on the lists of wb WB's shards, and on how many shards
attached() { wb_shards_table "$bdi" | awk -v w="$1" '$1 == w {n = $7 + $8 + $9 + $10 + $11; s += n; if (n) k++} END {print s + 0, k + 0}'; }
mkfs_mount xfs /dev/ram0 /mnt/t
sh -c "echo \$\$ > $cg/wbtest.slice/a/cgroup.procs; . /tests/lib/lib.sh; two_writers /mnt/t f 4 1024" ||
	fail "writers in cgroup a"
sync
set -- $(attached "$wba")
echo "a's wb: $1 inodes on $2 shards"
[ "$1" -ge 8 ] && [ "$2" -ge 2 ] || fail "the 8 files of cgroup a are not on >= 2 shards of its wb"
round=0
while :; do
	round=$((round + 1))
	echo 1 > /proc/sys/vm/drop_caches
	sh -c "echo \$\$ > $cg/wbtest.slice/b/cgroup.procs
		for f in /mnt/t/f*; do dd if=/dev/urandom of=\$f bs=64k count=16 conv=notrunc 2>/dev/null || exit 1; done" ||
		fail "rewriting in cgroup b"
	sync
	set -- $(attached "$wba")
	[ "$1" -gt 0 ] || break
	[ $round -lt 20 ] || { wb_shards_table "$bdi"; fail "after $round rounds of rewrites by cgroup b, $1 inodes remain on a's wb"; }
done
md5sum /mnt/t/f* > /tmp/sums
set -- $(attached "$wbb")
echo "after $round round(s): a's wb holds no inode, b's wb $1 on $2 shards"
[ "$1" -ge 8 ] || fail "b's wb holds $1 of the 8 switched inodes"
crash_remount xfs /dev/ram0 /mnt/t
crash_verify /tmp/sums
