# timeout: 600
# A policy's dirty_pause changes how a writer is paced, not how fast it
# may dirty.  A writer throttled by a slow device (null_blk, 8 MiB/s) takes
# about the time the control loop allotted to the pages it dirtied (the
# sum of the balance_dirty_pages periods, HZ * pages / task_ratelimit),
# with the kernel alone and under a policy that answers a quarter of every
# pause: the kernel carries the rest of the pause to the next one and
# brings the writer back after fewer pages.  Without that (the first
# version of the hook) the same policy let the writer dirty 2.6x faster
# than its ratelimit here, and the control loop answered by lowering the
# ratelimit for everyone.  The balance_dirty_pages tracepoint reports
# the kernel's pause; wb_ext_dirty_pause the policy's, only where one
# was asked.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
save_vm_dirty
echo $((64 << 20)) > /proc/sys/vm/dirty_bytes
echo $((32 << 20)) > /proc/sys/vm/dirty_background_bytes
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
nullb_create pace 1024 8
trap 'restore_vm_dirty; umount /mnt/p 2>/dev/null; echo 0 > $nullb_cfg/pace/power; rmdir $nullb_cfg/pace' EXIT
mkfs_mount ext4 "$dev" /mnt/p
# 160 MiB: 48 MiB below the freerun ceiling, then ~14 s paced by the device
writer="dd if=/dev/zero of=/mnt/p/f bs=64k count=2560"
val() { sed -n "s/^pace.* $1=\([0-9]*\).*/\1/p" /tmp/pace.out; }
pace() {	# pace none|quarter: sets $ratio (period / elapsed, in %), $sleeps
	rm -f /mnt/p/f
	sync
	if [ "$1" = none ]; then
		bdp_pace dd sh -c "$writer 2>/dev/null" > /tmp/pace.out 2>&1
	else
		wbext_test -m "$1" -n "pace_$1" -- bdp_pace dd sh -c "$writer 2>/dev/null" > /tmp/pace.out 2>&1
	fi || { cat /tmp/pace.out; fail "$1: the writer failed"; }
	grep '^pace' /tmp/pace.out
	period=$(val period) elapsed=$(val elapsed) sleeps=$(val sleeps)
	[ "${elapsed:-0}" -gt 0 ] || { cat /tmp/pace.out; fail "$1: the writer was never throttled: the test proves nothing"; }
	ratio=$((period * 100 / elapsed))
	echo "$1: the writer dirtied at ${ratio}% of its ratelimit, ${sleeps} sleeps"
	sync
}
pace none
base_ratio=$ratio base_sleeps=$sleeps
[ "$(val asked)" = 0 ] || fail "no policy, yet $(val asked) wb_ext_dirty_pause events"
pace quarter
v=$(stat_of pause /tmp/pace.out)
[ "${v:-0}" -gt 0 ] || fail "the policy's dirty_pause never ran: the test proves nothing"
# the policy's answers show in their own event, wb_ext_dirty_pause
[ "$(val asked)" -gt 0 ] || fail "the policy was asked $v times, no wb_ext_dirty_pause event shows it"
[ "$sleeps" -gt $((base_sleeps * 2)) ] ||
	fail "a quarter of each pause: ${sleeps} sleeps against ${base_sleeps} with the kernel alone, expected many more, shorter ones"
# the kernel alone measured 90-157 % here, the quarter policy 89-105 %,
# the quarter policy without the carried pause 258-260 %
[ "$ratio" -le 175 ] ||
	fail "under a policy that shortens every pause the writer dirtied at ${ratio}% of its ratelimit (kernel alone: ${base_ratio}%): the shortened pauses were not made up"
