# timeout: 900
# balance_dirty_pages() with shards: dirty memory stays near the global
# limit while writers on all shards write far more than it, every writer
# finishes; and dirty pages left on a shard whose writer went away are
# written for a writer on another shard even with periodic writeback off.
. /tests/lib/lib.sh
all_contexts
save_vm_dirty
limit_mb=32
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
mkfs_mount xfs /dev/ram0 /mnt/t
( while :; do awk '/^Dirty:/ {print int($2 / 1024)}' /proc/meminfo; sleep 0.2; done ) > /tmp/dirty.log &
mon=$!
fio --name=thr --directory=/mnt/t --rw=write --bs=64k --size=96M \
    --numjobs="$cpus" --ioengine=psync --minimal > /tmp/fio.out 2>&1 ||
	{ kill $mon; cat /tmp/fio.out; fail "writers failed"; }
kill $mon
max=$(sort -n /tmp/dirty.log | tail -n1)
echo "max Dirty ${max} MiB with dirty_bytes ${limit_mb} MiB, $cpus writers x 96 MiB"
# the limit is enforced in ratelimit steps per task: allow a margin
[ "$max" -le $((limit_mb * 2 + 8)) ] || fail "dirty memory reached ${max} MiB"
rm -f /mnt/t/thr.*
sync

# Strand dirty pages on shards with no writer left, periodic writeback off
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
for i in $(seq 1 "$cpus"); do
	dd if=/dev/zero of=/mnt/t/idle$i bs=64k count=$((limit_mb * 16 / cpus / 2 + 8)) 2>/dev/null
done
grep ^Dirty: /proc/meminfo
timeout 300 dd if=/dev/zero of=/mnt/t/big bs=64k count=$((limit_mb * 16 * 4)) 2>/dev/null ||
	fail "a writer starved behind dirty pages of idle shards"
sync
