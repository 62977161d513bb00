# timeout: 900
# A policy's valid throttle answers are followed (52 checks invalid ones,
# 56 hostile ones, 57 dirty_pause), each against the kernel alone in the
# same state, which must do the opposite:
#  - over_bg_thresh 1 below the background threshold: the flusher writes
#    the wb back on its periodic wakeups, where the kernel alone leaves
#    it dirty (nothing is old enough for kupdate);
#  - over_bg_thresh 0 above it but below the freerun ceiling (no writer
#    waits): background writeback stops, where the kernel alone writes
#    down to the threshold;
#  - writeback_chunk: every writeback of an inode that is not for
#    integrity asks for the policy's chunk (writeback_single_inode's
#    to_write), never for the kernel's (a multiple of 4 MiB), once
#    writers run free again after a writer was killed while throttled:
#    without kernel-patches/0016 the wb's dirty_exceeded, which 6.12
#    updates only on balance_dirty_pages()' throttled path, stayed set
#    and kept the kernel's chunk for good (to_write=9216 here).
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
save_vm_dirty
pin=/sys/fs/bpf/wbext_answers
tr=/sys/kernel/tracing
ev=$tr/events/writeback/writeback_single_inode_start
[ -d $ev ] || fail "no writeback trace events (CONFIG_EVENT_TRACING)"
trap 'rm -f $pin; echo 0 > $ev/enable; restore_vm_dirty' EXIT
echo 360000 > /proc/sys/vm/dirty_expire_centisecs
mkfs_mount xfs /dev/ram0 /mnt/t
# the background threshold is also checked per wb, scaled by the wb's
# share of recent writeout: a device that wrote nothing since boot has
# a threshold of 0.  Written back here, ram0's share is all of it.
dd if=/dev/zero of=/mnt/t/warm bs=1M count=64 conv=fsync 2>/dev/null
# A writer killed while throttled above the limit: its last pass through
# balance_dirty_pages() saw the limit exceeded, and nothing throttled
# follows (the writers below run free)
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo $((512 << 20)) > /proc/sys/vm/dirty_bytes
echo $((256 << 20)) > /proc/sys/vm/dirty_background_bytes
dd if=/dev/zero of=/mnt/t/stranded bs=1M count=192 2>/dev/null
echo $((16 << 20)) > /proc/sys/vm/dirty_bytes
echo $((8 << 20)) > /proc/sys/vm/dirty_background_bytes
dd if=/dev/zero of=/mnt/t/throttled bs=4k count=65536 2>/dev/null &
w=$!
sleep 0.3
kill -KILL $w
wait $w 2>/dev/null || true
rm /mnt/t/stranded /mnt/t/throttled
sync
chunk=40
# periodic wakeups every second, but no inode ever old enough for kupdate
echo 100 > /proc/sys/vm/dirty_writeback_centisecs

# policy ARGS: the test policy with ARGS, attached and pinned
policy() {
	wbext_test -n answers "$@" -p $pin > /tmp/pol.out 2>&1 ||
		{ cat /tmp/pol.out; fail "loading the test policy ($*)"; }
}
unpolicy() {
	rm $pin
	wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after removing the pin, expected disabled"
}
# files N: N new files of 1 MiB of random bytes (/tmp/sums), after a sync
n=0
: > /tmp/sums
files() {
	n=$((n + 1))
	sync
	mkdir /mnt/t/$n
	pattern_files /tmp/sums /mnt/t/$n f "$1" 1024
}
# trace_on / chunks: the to_write of each writeback of an inode of ram0
# meanwhile, "to_write count" lines (0 and LONG_MAX are integrity
# writeback: sync_inode_metadata, WB_SYNC_ALL)
trace_on() { echo > $tr/trace; echo 1 > $ev/enable; }
chunks() {
	echo 0 > $ev/enable
	bd=$(basename "$bdi")
	sed -n "s/.*writeback_single_inode_start: bdi $bd: .* to_write=\([0-9-]*\) .*/\1/p" $tr/trace |
		sort -n | uniq -c | awk '{print $2, $1}' > /tmp/chunks
	echo "to_write (count): $(tr '\n' ' ' < /tmp/chunks)"
}

echo "== below the background threshold"
echo $((512 << 20)) > /proc/sys/vm/dirty_bytes
echo $((256 << 20)) > /proc/sys/vm/dirty_background_bytes
files 16
sleep 5
d=$(dirty_inodes "$bdi")
echo "kernel alone: $d dirty inodes 5 s after writing 16"
[ "$d" -ge 16 ] || fail "the kernel alone wrote back below the background threshold: the check proves nothing"

policy -B 1 -C $chunk
trace_on
files 16
t0=$(date +%s)
while [ "$(dirty_inodes "$bdi")" -gt 0 ]; do
	[ $(($(date +%s) - t0)) -le 60 ] || { wb_shards_table "$bdi"; fail "over_bg_thresh 1: $(dirty_inodes "$bdi") inodes still dirty after 60 s"; }
	sleep 0.2
done
echo "over_bg_thresh 1: all written back within $(($(date +%s) - t0)) s of the last write, without a sync"
chunks
unpolicy
awk -v c=$chunk '$1 == c {f = 1} END {exit !f}' /tmp/chunks ||
	fail "writeback_chunk $chunk: no inode written with to_write=$chunk"
bad=$(awk -v c=$chunk '$1 != c && $1 != 0 && $1 != 9223372036854775807' /tmp/chunks)
[ -z "$bad" ] || fail "writeback_chunk $chunk: inodes written with other chunks: $bad"

echo "== above the background threshold, below the freerun ceiling"
# freerun ceiling (64 + 8) / 2 = 36 MiB: 24 MiB dirty, no writer throttled
echo $((64 << 20)) > /proc/sys/vm/dirty_bytes
echo $((8 << 20)) > /proc/sys/vm/dirty_background_bytes
files 24
sleep 5
d=$(dirty_mb)
echo "kernel alone: ${d} MiB dirty 5 s after writing 24 MiB"
[ "$d" -le 12 ] || fail "the kernel alone left ${d} MiB dirty above a background threshold of 8 MiB: the check proves nothing"

policy -B 0
files 24
sleep 5
d=$(dirty_mb)
echo "over_bg_thresh 0: ${d} MiB dirty 5 s after writing 24 MiB"
unpolicy
[ "$d" -ge 20 ] || fail "over_bg_thresh 0: background writeback went on (${d} MiB of 24 MiB left dirty)"

sync
crash_remount xfs /dev/ram0 /mnt/t
crash_verify /tmp/sums
