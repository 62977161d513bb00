# timeout: 900
# After a multi-file write, more than one shard has written pages, and the
# shards' workers ran (on any CPU: they are unbound, the home is a hint).
. /tests/lib/lib.sh
all_shards
mkfs_mount xfs /dev/ram0 /mnt/t
before=$(shards_table "$bdi" | awk '$13 == "live" {print $2, $12}')
i=0
while [ $i -lt $((cpus * 4)) ]; do
	dd if=/dev/zero of=/mnt/t/f$i bs=64k count=32 2>/dev/null
	i=$((i + 1))
done
sync
wb_shards_table "$bdi" | tee /tmp/shards
echo "$before" > /tmp/before
used=$(shards_table "$bdi" | awk 'NR == FNR {w[$1] = $2; next} $13 == "live" && $12 > w[$2] && $5 > 0 {n++} END {print n + 0}' /tmp/before -)
echo "shards that wrote: $used of $cpus"
[ "$used" -ge 2 ] || fail "only $used shard(s) wrote back"
