# timeout: 900
# After a multi-file write, more than one context has written pages, and each
# context's worker ran on the CPU the context belongs to.
. /tests/lib/lib.sh
all_contexts
mkfs_mount xfs /dev/ram0 /mnt/t
before=$(wb_ctx_table "$bdi" | awk '$NF == "live" {print $1, $12}')
i=0
while [ $i -lt $((cpus * 4)) ]; do
	dd if=/dev/zero of=/mnt/t/f$i bs=64k count=32 2>/dev/null
	i=$((i + 1))
done
sync
wb_ctx_table "$bdi" | tee /tmp/ctx
echo "$before" > /tmp/before
used=$(awk 'NR == FNR {w[$1] = $2; next} $NF == "live" && $12 > w[$1] {n++} END {print n + 0}' /tmp/before /tmp/ctx)
echo "contexts that wrote: $used of $cpus"
[ "$used" -ge 2 ] || fail "only $used context(s) wrote back"
bad=$(awk '$NF == "live" && $4 > 0 && $2 != $3' /tmp/ctx)
[ -z "$bad" ] || fail "workers ran away from their CPU: $bad"
