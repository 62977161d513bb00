# timeout: 900
# Dirtying path cost (issue 27 item 6): how often wb->list_lock and the
# shards' list_locks are taken, counted with lockdep's lock_acquire
# tracepoint filtered on the two lock classes, on XFS with 4 shards, 3
# rounds of each job, each round on a new filesystem:
# - fill: 4 writers (one per CPU) create 4 x 512 files of 8 KiB, with
#   background writeback running meanwhile (dirty_background_bytes
#   2 MiB);
# - sync: 100 times, the 4 writers each create a file of 8 KiB at once,
#   then sync: every shard goes empty -> non-empty -> empty once per
#   iteration.
# (The runs in this directory ran the two jobs as two guest tests, with
# the same commands, but for the fill job's directories, which its
# writers made themselves inside the count.)
. /tests/lib/lib.sh
all_shards
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs none $tr
ev=$tr/events/lock/lock_acquire
[ -d $ev ] || fail "no lock_acquire tracepoint (CONFIG_LOCKDEP)"
echo 65536 > $tr/buffer_size_kb
echo 'name == "&wb->list_lock" || name == "&sh->list_lock"' > $ev/filter

# counted JOB ROUND CMD...: CMD traced on a new XFS, one RESULT line
counted() {
	_job=$1 _round=$2; shift 2
	mkfs_mount xfs /dev/ram0 /mnt/t
	for c in 0 1 2 3; do mkdir /mnt/t/d$c; done
	sync
	echo > $tr/trace
	echo 1 > $ev/enable
	"$@"
	echo 0 > $ev/enable
	echo "RESULT job=$_job round=$_round" \
		"wb_list_lock=$(grep -c ' &wb->list_lock$' $tr/trace || true)" \
		"shard_list_lock=$(grep -c ' &sh->list_lock$' $tr/trace || true)" \
		"lost=$(grep -c 'LOST' $tr/trace || true)"
	sync
	umount /mnt/t
}
fill() {
	for c in 0 1 2 3; do
		taskset -c $c sh -c 'i=0; while [ $i -lt 512 ]; do
			head -c 8192 /dev/zero > /mnt/t/d$0/f$i; i=$((i + 1)); done' $c &
	done
	wait
}
fill_sync() {
	i=0
	while [ $i -lt 100 ]; do
		for c in 0 1 2 3; do
			taskset -c $c sh -c "head -c 8192 /dev/zero > /mnt/t/d$c/f$i" &
		done
		wait
		sync
		i=$((i + 1))
	done
}

save_vm_dirty
echo $((2 << 20)) > /proc/sys/vm/dirty_background_bytes
for round in 1 2 3; do counted fill $round fill; done
restore_vm_dirty
for round in 1 2 3; do counted sync $round fill_sync; done
