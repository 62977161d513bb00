# timeout: 600
# Periodic writeback (dirty_writeback_centisecs / dirty_expire_centisecs)
# reaches every shard: small files dirtied on all shards are written
# without sync.
. /tests/lib/lib.sh
all_shards
save_vm_dirty
mkfs_mount xfs /dev/ram0 /mnt/t
sync
echo 50 > /proc/sys/vm/dirty_writeback_centisecs
echo 100 > /proc/sys/vm/dirty_expire_centisecs
for i in $(seq 1 $((cpus * 3))); do
	dd if=/dev/zero of=/mnt/t/p$i bs=4k count=16 2>/dev/null
done
wb_shards_table "$bdi" | tee /tmp/shards0
nshards=$(awk '$13 == "live" && $7 > 0' /tmp/shards0 | wc -l)
[ "$nshards" -ge 2 ] || fail "dirty inodes on $nshards shard(s) only"
i=0
while :; do
	sleep 1
	left=$(dirty_inodes "$bdi")
	[ "$left" -eq 0 ] && break
	i=$((i + 1))
	[ $i -lt 30 ] || { wb_shards_table "$bdi"; fail "$left inodes still dirty after 30 s of periodic writeback"; }
done
echo "all shards clean after ~$((i + 1)) s"
