# timeout: 600
# The shards' workers write at the same time, not one after another (the
# same counts per shard would come from sequential runs): during one sync
# of 16 dirty files, the writeback_single_inode_start/writeback_single_inode
# trace events (global clock) of at least two workers overlap.  With one
# shard (the control) no two overlap: the check can fail.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 workers (VM_CPUS=$cpus)"
# all of it dirty until the sync
hold_dirty
tr=/sys/kernel/tracing
ev=$tr/events/writeback
[ -d $ev/writeback_single_inode_start ] || fail "no writeback trace events (CONFIG_EVENT_TRACING)"
echo global > $tr/trace_clock
trap 'echo 0 > $ev/writeback_single_inode_start/enable; echo 0 > $ev/writeback_single_inode/enable; echo local > $tr/trace_clock; restore_vm_dirty' EXIT
# overlap NR: the most workers inside writeback_single_inode at once, and
# how many workers wrote, during a sync of 16 files with NR shards
overlap() {
	echo "$1" > "$bdi/nr_wb_shards"
	mkfs_mount xfs /dev/ram0 /mnt/t
	two_writers /mnt/t f 8 4096
	echo > $tr/trace
	echo 1 > $ev/writeback_single_inode_start/enable
	echo 1 > $ev/writeback_single_inode/enable
	sync
	echo 0 > $ev/writeback_single_inode_start/enable
	echo 0 > $ev/writeback_single_inode/enable
	# "kworker/u8:3-123 [001] ..... 1234.567890: writeback_single_inode_start: ...",
	# in time order across CPUs
	grep 'writeback_single_inode' $tr/trace | awk '
		{ pid = $1; sub(/.*-/, "", pid) }
		/writeback_single_inode_start:/ { if (!(pid in in_)) { in_[pid] = 1; cur++; if (cur > max) max = cur }; pids[pid] = 1; next }
		/writeback_single_inode:/ { if (pid in in_) { delete in_[pid]; cur-- } }
		END { np = 0; for (p in pids) np++; print max + 0, np }'
	umount /mnt/t
}
set -- $(overlap "$cpus")
echo "$cpus shards: at most $1 workers writing at once, $2 workers wrote"
[ "$2" -ge 2 ] || fail "$cpus shards: only $2 worker(s) wrote the 16 files"
[ "$1" -ge 2 ] || fail "$cpus shards: the workers never wrote at the same time"
set -- $(overlap 1)
echo "1 shard: at most $1 workers writing at once, $2 workers wrote"
[ "$1" = 1 ] || fail "1 shard: $1 workers wrote at once"
echo "$cpus" > "$bdi/nr_wb_shards"
