# timeout: 600
# Removing a device (null_blk through configfs) that has dirty inodes on
# several shards: no crash, no hang, no kernel warning.
. /tests/lib/lib.sh
need_wb_shards
[ -d $nullb_cfg ] || fail "no null_blk configfs (CONFIG_BLK_DEV_NULL_BLK, CONFIGFS_FS)"
hold_dirty
nullb_create rm 512
bdi=$(bdi_of "${dev#/dev/}")
echo "device $dev, $(cat "$bdi/nr_wb_shards") shards"
mkfs_mount ext4 "$dev" /mnt/rm
spread_ext4 ext4
for i in 1 2 3 4 5 6 7 8; do
	dd if=/dev/zero of=/mnt/rm/f$i bs=64k count=64 2>/dev/null
done
wb_shards_table "$bdi" | tee /tmp/shards
dirty=$(awk '$13 == "live" && $7 > 0' /tmp/shards | wc -l)
[ "$dirty" -ge 2 ] || fail "dirty inodes on $dirty shards only before removal"
echo 0 > $nullb_cfg/rm/power
rmdir $nullb_cfg/rm
echo "device removed with dirty data"
# writeback to the dead device must fail quickly, not hang
timeout 120 sync || fail "sync hung after device removal"
umount -l /mnt/rm 2>/dev/null || true
# the runner checks dmesg; I/O errors are expected, warnings are not
dmesg | grep -ciE 'i/o error|EXT4-fs' || true
