# timeout: 900
# Offlining CPUs while fio writes: the shards homed on an offline CPU keep
# working (their worker runs elsewhere), nothing is stranded or lost.
. /tests/lib/lib.sh
need_wb_shards
cpus=$(grep -c ^processor /proc/cpuinfo)
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs (VM_CPUS=$cpus)"
[ -e /sys/devices/system/cpu/cpu1/online ] || fail "CPU 1 cannot go offline (CONFIG_HOTPLUG_CPU)"
bdi=$(bdi_of ram0)
echo "$cpus" > "$bdi/nr_wb_shards"
mkfs_mount xfs /dev/ram0 /mnt/t
FIO_SIZE=16M fio_pattern /mnt/t write &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	for c in $(seq 1 $((cpus - 1))); do
		echo 0 > /sys/devices/system/cpu/cpu$c/online || fail "cannot offline cpu$c"
		sleep 0.3
		echo 1 > /sys/devices/system/cpu/cpu$c/online || fail "cannot online cpu$c"
		n=$((n + 1))
	done
done
wait $pid || fail "fio failed during CPU hotplug"
echo "$n offline/online cycles during the write"
[ $n -ge 1 ] || fail "no CPU went offline during the write"
# Dirty data of the shards homed on an offline CPU is still written back.
echo 0 > /sys/devices/system/cpu/cpu1/online
dd if=/dev/zero of=/mnt/t/late bs=64k count=64 2>/dev/null
sync
grep -E '^(Dirty|Writeback):' /proc/meminfo
wb_shards_table "$bdi" | tee /tmp/shards
left=$(dirty_inodes "$bdi")
echo 1 > /sys/devices/system/cpu/cpu1/online
[ "$left" -eq 0 ] || fail "$left inodes still dirty or queued after sync"
drop_caches
FIO_SIZE=16M fio_pattern /mnt/t verify || fail "data lost across CPU hotplug"
