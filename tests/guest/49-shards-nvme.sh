# timeout: 900
# The shards on a real blk-mq driver: QEMU's NVMe controller (nvme driver,
# interrupts, completions), not brd.  With one shard per CPU, buffered,
# fsync, O_SYNC and mmap writers on XFS and ext4 on /dev/nvme0n1 spread
# over at least two shards, the controller raises interrupts, and every
# byte verifies after sync + drop_caches and after umount/remount (read
# back from the drive).
. /tests/lib/lib.sh
need_wb_shards
[ -b /dev/nvme0n1 ] || fail "no /dev/nvme0n1: boot the VM with an NVMe drive (scripts/vm.sh --nvme) and a kernel with CONFIG_BLK_DEV_NVME"
drv=$(basename "$(readlink /sys/block/nvme0n1/device/device/driver)")
[ "$drv" = nvme ] || fail "nvme0n1's PCI driver is '$drv', expected nvme"
hwq=$(ls -d /sys/block/nvme0n1/mq/* | wc -l)
echo "nvme0n1: driver $drv, $hwq hardware queues"
nbdi=$(bdi_of nvme0n1)
cpus=$(grep -c ^processor /proc/cpuinfo)
echo "$cpus" > "$nbdi/nr_wb_shards"
irqs() { awk '/nvme/ {for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i} END {print s + 0}' /proc/interrupts; }
for fs in xfs ext4; do
	echo "== $fs on nvme0n1, $cpus shards"
	mkfs_mount $fs /dev/nvme0n1 /mnt/n
	spread_ext4 $fs
	i0=$(irqs)
	wb_shards_table "$nbdi" > /tmp/shards0
	FIO_SIZE=8M fio_pattern /mnt/n write || fail "$fs: write"
	sync
	i1=$(irqs)
	wb_shards_table "$nbdi" > /tmp/shards1
	awk 'NR == 1 || $1 == 1' /tmp/shards1
	used=$(shards_wrote /tmp/shards0 /tmp/shards1)
	echo "$fs: $used shards wrote, $((i1 - i0)) NVMe interrupts"
	[ "$used" -ge 2 ] || fail "$fs: only $used shard(s) of nvme0n1 wrote back"
	[ $((i1 - i0)) -gt 0 ] || fail "$fs: the writes raised no NVMe interrupt"
	drop_caches
	FIO_SIZE=8M fio_pattern /mnt/n verify || fail "$fs: after sync"
	umount /mnt/n
	mount -t $fs /dev/nvme0n1 /mnt/n
	FIO_SIZE=8M fio_pattern /mnt/n verify || fail "$fs: after remount"
	umount /mnt/n
done
