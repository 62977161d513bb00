# timeout: 600
# Background writeback that no writer waits for takes the shards in turn
# on the wb's worker, as one worker would write them (no shard work is
# forked), and still reaches every shard; a sync, and a background pass
# from when writers are paused above the freerun ceiling, are forked to
# the shards' workers; also when only the writers' memory cgroup is above
# its freerun ceiling (the memcg domain), as a service's writers under
# systemd are.  (docs/design.md, "Background writeback in turn")
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "one vCPU: one shard"
save_vm_dirty
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs none $tr
mkfs_mount xfs /dev/ram0 /mnt/t
sync
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo 8192 > $tr/buffer_size_kb
echo > $tr/trace
echo 1 > $tr/events/workqueue/workqueue_execute_start/enable
trap 'restore_vm_dirty; echo 0 > $tr/events/workqueue/workqueue_execute_start/enable || true' EXIT
# forks: shard passes run by wb_shard_wq's workers since the last call
forks() {
	grep -c 'function wb_shard_workfn' $tr/trace || true
	echo > $tr/trace
}

# 1. Free running: the freerun ceiling ((1024 + 8) / 2 MiB) far above
# the 64 MiB written, the background threshold (8 MiB) below it
echo $((1024 << 20)) > /proc/sys/vm/dirty_bytes
echo $((8 << 20)) > /proc/sys/vm/dirty_background_bytes
wb_shards_table "$bdi" > /tmp/s0
two_writers /mnt/t free 4 8192
i=0
while [ "$(dirty_mb)" -gt 16 ]; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "$(dirty_mb) MiB still dirty after 60 s of background writeback"
	sleep 0.5
done
wb_shards_table "$bdi" > /tmp/s1
n=$(forks) wrote=$(shards_wrote /tmp/s0 /tmp/s1)
echo "free running: background writeback on $wrote shards, $n forked shard passes"
[ "$wrote" -ge 2 ] || { cat /tmp/s1; fail "background writeback wrote $wrote shard(s): the turns did not go round"; }
[ "$n" -eq 0 ] || fail "$n shard passes forked while no writer was paused"

# 2. A sync is forked (nothing written back before it)
echo $((512 << 20)) > /proc/sys/vm/dirty_background_bytes
two_writers /mnt/t sync 4 4096
forks > /dev/null
sync
n=$(forks)
echo "sync: $n forked shard passes"
[ "$n" -gt 0 ] || fail "sync ran on one shard at a time"

# 3. Writers paused: one writer per CPU, 96 MiB each through a 32 MiB
# dirty limit (freerun ceiling 24 MiB); the background pass goes on
# with all shards
echo $((32 << 20)) > /proc/sys/vm/dirty_bytes
echo $((16 << 20)) > /proc/sys/vm/dirty_background_bytes
forks > /dev/null
fio --name=paused --directory=/mnt/t --rw=write --bs=64k --size=96M \
    --numjobs="$cpus" --ioengine=psync --minimal > /tmp/fio.out 2>&1 ||
	{ cat /tmp/fio.out; fail "writers failed"; }
n=$(forks)
echo "writers paused: $n forked shard passes before any sync"
[ "$n" -gt 0 ] || fail "background writeback stayed on one shard at a time while writers were paused"

# 4. Writers paused by their memory cgroup only: the global limits far
# above what is written (freerun ceiling 768 MiB), the cgroup's memory
# 128 MiB, so its own dirty domain pauses them; the cgroup wb's
# background pass goes on with all shards
rm -f /mnt/t/paused.*
sync
echo $((1024 << 20)) > /proc/sys/vm/dirty_bytes
echo $((512 << 20)) > /proc/sys/vm/dirty_background_bytes
cgwb_slice system.slice
svc=$cg/system.slice/wbext-inturn.service
mkdir -p "$svc"
echo $((128 << 20)) > "$svc/memory.max"
forks > /dev/null
sh -c "echo \$\$ > $svc/cgroup.procs && exec fio --name=memcg --directory=/mnt/t \
	--rw=write --bs=64k --size=64M --numjobs=$cpus --ioengine=psync --minimal" \
	> /tmp/fio.out 2>&1 || { cat /tmp/fio.out; fail "writers in the cgroup failed"; }
n=$(forks)
rmdir "$svc" || true
echo "writers paused by their cgroup: $n forked shard passes before any sync"
[ "$n" -gt 0 ] || fail "a cgroup wb's background writeback stayed on one shard at a time while its writers were paused by their memory cgroup"
echo 0 > $tr/events/workqueue/workqueue_execute_start/enable
