# timeout: 900
# balance_dirty_pages() with shards: dirty memory stays near the global
# limit while writers on all shards write far more than it, every writer
# finishes; and dirty pages stranded on shards whose writers went away,
# more of them than the limit itself, are written for a writer on
# another shard, with periodic writeback off: a writer above the limit
# waits until the dirty count is below it, so background writeback
# that wrote only the waiting writer's shard would leave it waiting.
. /tests/lib/lib.sh
all_shards
save_vm_dirty
limit_mb=32
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
mkfs_mount xfs /dev/ram0 /mnt/t
( while :; do dirty_mb; sleep 0.2; done ) > /tmp/dirty.log &
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

# Strand more dirty pages than the limit on every shard, under higher
# limits; then the lower limits again, periodic writeback off: nothing
# but the next writer's balance_dirty_pages() starts writeback now
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo $((512 << 20)) > /proc/sys/vm/dirty_bytes
echo $((256 << 20)) > /proc/sys/vm/dirty_background_bytes
stranded=$((limit_mb * 3 / 2))
two_writers /mnt/t idle 16 $((stranded * 1024 / 32))
wb_shards_table "$bdi" > /tmp/stranded
held=$(awk '$1 == 1 && $7 + $8 + $9 > 0' /tmp/stranded | wc -l)
dirty=$(dirty_mb)
echo "${dirty} MiB dirty on $held shards"
[ "$dirty" -gt "$limit_mb" ] || fail "only ${dirty} MiB stranded: not above the ${limit_mb} MiB limit, the check proves nothing"
[ "$held" -ge 2 ] || { cat /tmp/stranded; fail "the stranded files are on $held shard: the check proves nothing"; }
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
timeout 300 dd if=/dev/zero of=/mnt/t/big bs=64k count=$((limit_mb * 16)) 2>/dev/null ||
	fail "a writer starved behind the dirty pages of shards without a writer"
# a shard's written count moves when its pass ends, and the background
# pass goes on until dirty memory is below the background threshold
i=0
while :; do
	wb_shards_table "$bdi" > /tmp/after
	unwritten=$(awk 'NR == FNR {if ($1 == 1 && $7 + $8 + $9 > 0) b[$2] = $12; next}
		$1 == 1 && ($2 in b) && $12 <= b[$2] {print $2}' /tmp/stranded /tmp/after)
	[ -n "$unwritten" ] || break
	i=$((i + 1))
	[ $i -le 120 ] ||
		{ cat /tmp/stranded /tmp/after; fail "shard(s) $unwritten held stranded data and wrote none of it in 60 s"; }
	sleep 0.5
done
echo "the writer finished; every shard that held stranded data wrote"
sync
