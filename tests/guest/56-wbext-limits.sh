# timeout: 900
# No policy can make dirty memory outrun the limits or hang a writer.
# Under a valid but hostile policy (wbext_test -m greedy: never pause a
# writer, never write in the background, 1-page writeback chunks) writers
# that write 4x dirty_bytes keep dirty memory near the limit, as the kernel
# alone does in 47-shards-throttle, and finish, with periodic writeback off;
# then every byte they wrote verifies after a sync and a shutdown without
# log flush.  The kernel's pause is also the floor where
# only the per-device control throttles: on a slow device (null_blk, 16
# MiB/s) with strict_limit and max_bytes 4 MiB the device's dirty +
# writeback pages under the policy stay within 8 MiB of what the kernel
# alone allows (without the floor they grow to the global limit), with
# max_bytes alone they stay under the global limit; and a writer in a
# memcg with memory.high keeps the memcg's dirty pages near it (8 MiB of
# slack: memory.high is not a hard limit).  The callbacks see the wb's
# thresholds, and the memcg writer's pauses name its cgroup.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
save_vm_dirty
limit_mb=32
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
mkfs_mount xfs /dev/ram0 /mnt/t
per_job=$((limit_mb * 4 / cpus))
greedy_job="--name=g --directory=/mnt/t --rw=write --bs=64k --size=${per_job}M"
greedy_job="$greedy_job --numjobs=$cpus --ioengine=psync --verify=crc32c --verify_fatal=1 --minimal"
cat > /tmp/greedy.sh <<EOS
( while :; do awk '/^Dirty:/ {print int(\$2 / 1024)}' /proc/meminfo; sleep 0.2; done ) > /tmp/dirty.log &
mon=\$!
timeout 300 fio $greedy_job --do_verify=0 > /tmp/fio.out 2>&1
rc=\$?
kill \$mon
exit \$rc
EOS
wbext_test -m greedy -n greedy -- sh /tmp/greedy.sh > /tmp/greedy.out 2>&1 ||
	{ cat /tmp/greedy.out /tmp/fio.out; fail "writers under the greedy policy failed or hung (fio killed after 300 s)"; }
cat /tmp/greedy.out
max=$(sort -n /tmp/dirty.log | tail -n1)
echo "max Dirty ${max} MiB with dirty_bytes ${limit_mb} MiB, $cpus writers x ${per_job} MiB"
[ "$max" -le $((limit_mb * 2 + 8)) ] || fail "dirty memory reached ${max} MiB under a policy that never pauses"
for f in pause bg chunk; do
	v=$(stat_of $f /tmp/greedy.out)
	[ "${v:-0}" -gt 0 ] || fail "the greedy policy's $f callback never ran: the test proves nothing"
done
# the callbacks see the wb's thresholds where the kernel computed them
for f in pause_thresh pause_bg_thresh bg_thresh; do
	v=$(wb_of $f /tmp/greedy.out)
	[ "${v:-0}" -gt 0 ] || fail "the greedy policy saw $f '${v}' in struct wb_ext_wb, expected the wb's threshold (> 0)"
done
state=$(cat $wbx/state)
[ "$state" = disabled ] || fail "state '$state' after the greedy policy detached"
timeout 120 sync || fail "sync hung after the greedy policy"
crash_remount xfs /dev/ram0 /mnt/t
fio $greedy_job --verify_only=1 --do_verify=1 > /tmp/fio.out 2>&1 ||
	{ cat /tmp/fio.out; fail "data written under the greedy policy differs after sync and a shutdown"; }

# ---- the per-device and memcg floors, on a device slower than the writer
[ -d $nullb_cfg ] || fail "no null_blk configfs"
nullb_create floor 1024 16
fbdi=$(bdi_of "${dev#/dev/}")
fstats=/sys/kernel/debug/bdi/$(basename "$fbdi")/stats
cg=/sys/fs/cgroup
trap 'restore_vm_dirty; umount /mnt/f 2>/dev/null; echo 0 > $nullb_cfg/floor/power; rmdir $nullb_cfg/floor' EXIT
mkfs_mount ext4 "$dev" /mnt/f
# floor_run NAME CMD: run CMD with no policy, then under the greedy
# policy, sampling the device's dirty + writeback MiB: the policy may not
# let it grow more than 8 MiB past what the kernel alone allowed
sample_run() {	# sample_run POLICY|none CMD -> max MiB in $max
	cat > /tmp/floor.sh <<EOS
( while :; do awk '/^Bdi(Writeback|Reclaimable):/ {s += \$2} END {print int(s / 1024)}' $fstats; sleep 0.2; done ) > /tmp/floor.log &
mon=\$!
timeout 300 sh -c '$2'
rc=\$?
kill \$mon
exit \$rc
EOS
	if [ "$1" = none ]; then
		sh /tmp/floor.sh > /tmp/floor.out 2>&1
	else
		wbext_test -m greedy -n "$1" -- sh /tmp/floor.sh > /tmp/floor.out 2>&1
	fi || { cat /tmp/floor.out; fail "$1: the writer failed or hung"; }
	max=$(sort -n /tmp/floor.log | tail -n1)
}
floor_run() {	# floor_run NAME CMD [BOUND_MIB: instead of base + 8]
	rm -f /mnt/f/$1
	sample_run none "$2"
	base=$max
	rm -f /mnt/f/$1
	sync
	sample_run greedy_$1 "$2"
	v=$(stat_of pause /tmp/floor.out)
	[ "${v:-0}" -gt 0 ] || { cat /tmp/floor.out; fail "$1: dirty_pause never ran: the writer was never throttled, the test proves nothing"; }
	echo "$1: max dirty + writeback of the device: ${base} MiB with the kernel alone, ${max} MiB under a policy that never pauses"
	[ "$max" -le "${3:-$((base + 8))}" ] || fail "$1: the device held ${max} MiB dirty under a policy that never pauses, ${base} MiB without it: the kernel's limit was not a floor"
}
echo "== strict_limit, max_bytes 4 MiB"
echo $((96 << 20)) > /proc/sys/vm/dirty_bytes
echo $((2 << 20)) > /proc/sys/vm/dirty_background_bytes
echo 1 > $fbdi/strict_limit
echo $((4 << 20)) > $fbdi/max_bytes
floor_run s "dd if=/dev/urandom of=/mnt/f/s bs=64k count=1024 2>/dev/null && sync"
md5sum /mnt/f/s > /tmp/fsums
echo 0 > $fbdi/strict_limit
echo "== max_bytes 4 MiB, no strict_limit: the wb's share above the freerun ceiling"
# Without strict_limit the kernel alone lets the device go well past its
# share (max_bytes only scales the position control), and the policy's
# 1-page chunks slow its writeback: only the global limit is a bound here.
floor_run m "dd if=/dev/urandom of=/mnt/f/m bs=64k count=2560 2>/dev/null && sync" 100
md5sum /mnt/f/m >> /tmp/fsums
echo 100 > $fbdi/max_ratio
echo "== a writer in a memcg with memory.high 48 MiB"
grep -qw memory $cg/cgroup.controllers || fail "no memory controller (CONFIG_MEMCG)"
echo "+memory" > $cg/cgroup.subtree_control
mkdir -p $cg/floor.slice
echo $((48 << 20)) > $cg/floor.slice/memory.high
cat > /tmp/memcg.sh <<EOS
( while :; do awk '\$1 == "file_dirty" || \$1 == "file_writeback" {s += \$2} END {print int(s / 1048576)}' $cg/floor.slice/memory.stat; sleep 0.2; done ) > /tmp/memcg.log &
mon=\$!
timeout 300 sh -c 'echo \$\$ > $cg/floor.slice/cgroup.procs; dd if=/dev/urandom of=/mnt/f/c bs=64k count=2560 2>/dev/null && sync'
rc=\$?
kill \$mon
exit \$rc
EOS
wbext_test -m greedy -n greedy_memcg -- sh /tmp/memcg.sh > /tmp/memcg.out 2>&1 ||
	{ cat /tmp/memcg.out; fail "memcg: the writer under the greedy policy failed or hung"; }
v=$(wb_of pause_memcg /tmp/memcg.out) id=$(stat -c %i $cg/floor.slice)
[ "$v" = "$id" ] || fail "memcg: dirty_pause saw wb->cgroup_id '$v', the writer's memcg floor.slice is $id"
max=$(sort -n /tmp/memcg.log | tail -n1)
echo "memcg: max dirty + writeback of the memcg ${max} MiB (memory.high 48 MiB, allowed 56 MiB)"
[ "$max" -le 56 ] || fail "memcg: ${max} MiB dirty + writeback in a memcg with memory.high 48 MiB"
rmdir $cg/floor.slice 2>/dev/null || true
md5sum /mnt/f/c >> /tmp/fsums
crash_remount ext4 "$dev" /mnt/f
crash_verify /tmp/fsums
