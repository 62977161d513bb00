# timeout: 600
# A FUSE filesystem with the writeback cache (strictlimit, writeback
# accounted by FUSE against bdi->wb) keeps one shard: nr_wb_shards reads 1,
# more is refused with a message, debugfs shows shard 0 only; buffered
# writes through it are intact, and their speed is reported next to the
# same writes to the XFS below (the benchmark compares kernels).
. /tests/lib/lib.sh
need_wb_shards
[ -c /dev/fuse ] || fail "no /dev/fuse (CONFIG_FUSE_FS)"
mkfs_mount xfs /dev/ram0 /mnt/t
mkdir -p /mnt/t/back /mnt/fuse
wbfuse /mnt/t/back /mnt/fuse || fail "cannot mount wbfuse"
i=0
until grep -q ' /mnt/fuse fuse' /proc/mounts; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "wbfuse did not mount"; sleep 0.1
done
dev=$(awk '$5 == "/mnt/fuse" {print $3}' /proc/self/mountinfo)
fbdi=/sys/class/bdi/$dev
[ -d "$fbdi" ] || fail "no bdi $fbdi for the FUSE mount"
echo "FUSE bdi $dev: strict_limit=$(cat $fbdi/strict_limit) nr_wb_shards=$(cat $fbdi/nr_wb_shards)"
# what keeps shards off it: FUSE sets strictlimit, and a strictlimit bdi
# keeps one shard (each shard's writer would be throttled to the wb's
# share on its own: 12x slower)
[ "$(cat $fbdi/strict_limit)" = 1 ] || fail "strict_limit of the FUSE bdi is $(cat $fbdi/strict_limit), expected 1"
[ "$(cat $fbdi/nr_wb_shards)" = 1 ] || fail "nr_wb_shards of the FUSE bdi is $(cat $fbdi/nr_wb_shards), expected 1"
if echo 2 > $fbdi/nr_wb_shards 2>/tmp/err; then
	fail "nr_wb_shards=2 accepted on a FUSE bdi"
fi
cat /tmp/err
dmesg | grep -q "bdi $dev: nr_wb_shards stays 1" || fail "no dmesg line telling why nr_wb_shards=2 was refused"
echo 1 > $fbdi/nr_wb_shards || fail "nr_wb_shards=1 refused on a FUSE bdi"

FIO_SIZE=4M fio_pattern /mnt/fuse write || fail "writes through FUSE failed"
t0=$(cut -d' ' -f1 /proc/uptime)
dd if=/dev/zero of=/mnt/fuse/big bs=1M count=64 2>/dev/null || fail "dd through FUSE failed"
sync
t1=$(cut -d' ' -f1 /proc/uptime)
dd if=/dev/zero of=/mnt/t/big bs=1M count=64 2>/dev/null
sync
t2=$(cut -d' ' -f1 /proc/uptime)
echo "64 MiB + sync: FUSE $(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') s, XFS below it $(echo "$t1 $t2" | awk '{printf "%.2f", $2 - $1}') s"
wb_shards_table $fbdi | tee /tmp/shards
others=$(awk 'NR > 1 && $2 != 0' /tmp/shards | wc -l)
[ "$others" = 0 ] || fail "the FUSE bdi has $others shard(s) besides shard 0"
drop_caches
FIO_SIZE=4M fio_pattern /mnt/fuse verify || fail "data written through FUSE differs"
umount /mnt/fuse || umount -l /mnt/fuse
umount /mnt/t
