# timeout: 900
# A policy that returns an invalid value is ejected: for each callback in
# turn (select_shard, dirty_pause, writeback_chunk, over_bg_thresh) writes
# that reach it make the kernel tear the policy down (state disabled,
# last_exit "error: ..." naming the callback, a wb_ext line in dmesg, exit
# called once with kind ERROR) and detach its link (the holder of the
# link's fd sees POLLHUP, bpftool shows the link without a map, and
# another policy attaches at once while the old fd is still open); the
# writes go on under the default and no data is lost.  A policy whose
# init fails is never installed.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
save_vm_dirty
# low limits: writers are throttled (dirty_pause) and background
# writeback runs (writeback_chunk, over_bg_thresh)
echo $((8 << 20)) > /proc/sys/vm/dirty_bytes
echo $((2 << 20)) > /proc/sys/vm/dirty_background_bytes
# a device slower than the writers (null_blk limited to 16 MiB/s), so that
# they are throttled for sure and dirty_pause is asked
[ -d $nullb_cfg ] || fail "no null_blk configfs"
nullb_create slow 512 16
trap 'restore_vm_dirty; umount /mnt/t 2>/dev/null; echo 0 > $nullb_cfg/slow/power; rmdir $nullb_cfg/slow' EXIT
sbdi=$(bdi_of "${dev#/dev/}")
mkfs_mount ext4 "$dev" /mnt/t
# What wbext_test runs while the bad policy is attached: DIR CALLBACK
cat > /tmp/eject.sh <<'EOS'
. /tests/lib/lib.sh
mkdir -p "$1"
dd if=/dev/zero of="$1/big" bs=1M count=32 2>/dev/null || fail "dd into $1 under a policy with a bad $2"
FIO_SIZE=4M fio_pattern "$1" write || fail "fio under a policy with a bad $2"
sync
wait_state disabled 10 ||
	fail "state is '$(cat $wbx/state)' 10 s after the writes, expected disabled (policy ejected for its $2)"
last=$(cat $wbx/last_exit)
echo "last_exit: $last"
case $last in
error:*"$2"*) ;;
*) fail "last_exit is '$last' after the ejection, expected 'error: ...' naming $2" ;;
esac
ops=$(cat $wbx/ops)
[ -z "$ops" ] || fail "ops is '$ops' after the ejection, expected empty"
# the kernel detaches the link (after exit(), in the same work)
[ -n "$WBEXT_LINK_ID" ] || fail "wbext_test did not say its link id"
i=0
until bpftool -j link show id "$WBEXT_LINK_ID" | grep -q '"map_id":0[,}]'; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "link $WBEXT_LINK_ID still has its map 5 s after the ejection: $(bpftool link show id "$WBEXT_LINK_ID")"
	sleep 0.1
done
bpftool link show id "$WBEXT_LINK_ID"
wbext_test -m good -n wbext_next -- true > /tmp/next.out 2>&1 ||
	{ cat /tmp/next.out; fail "another policy could not attach after the ejection of the one with a bad $2"; }
EOS

for c in bad-shard:select_shard bad-pause:dirty_pause bad-chunk:writeback_chunk bad-bg:over_bg_thresh; do
	mode=${c%%:*} cb=${c#*:}
	echo "== $mode: $cb returns an invalid value"
	k0=$(dmesg | grep -c wb_ext || true)
	seq=$(cat $wbx/enable_seq)
	# balance_dirty_pages() sleeps (and asks dirty_pause) only when the
	# writer outruns its share; under TCG the writer is too slow for the
	# global limits, so give the device a strict 2 MiB share of its own
	if [ $mode = bad-pause ]; then
		echo 1 > $sbdi/strict_limit
		echo $((2 << 20)) > $sbdi/max_bytes
	fi
	wbext_test -H -m $mode -n wbext_eject -- sh /tmp/eject.sh /mnt/t/$mode $cb > /tmp/$mode.out 2>&1 ||
		{ cat /tmp/$mode.out; fail "$mode: the policy was not ejected as expected, or the writes failed"; }
	echo 0 > $sbdi/strict_limit
	echo 100 > $sbdi/max_ratio
	cat /tmp/$mode.out
	v=$(cat $wbx/enable_seq)
	[ "$v" = $((seq + 2)) ] || fail "$mode: enable_seq went from $seq to $v, expected two installs (the policy, then wbext_next)"
	v=$(stat_of exit_kind /tmp/$mode.out)
	[ "$v" = 3 ] || fail "$mode: exit_kind=$v, expected 3 (ERROR)"
	v=$(stat_of exit /tmp/$mode.out)
	[ "$v" = 1 ] || fail "$mode: exit ran $v times, expected once"
	grep -qx 'link_hup=1' /tmp/$mode.out ||
		fail "$mode: the holder of the link's fd did not see POLLHUP after the ejection"
	reason=$(sed -n 's/^exit_reason=//p' /tmp/$mode.out)
	case $reason in *"$cb"*) ;; *) fail "$mode: exit reason '$reason' does not name $cb" ;; esac
	dmesg | grep wb_ext | tail -n +$((k0 + 1)) > /tmp/$mode.dmesg || true
	cat /tmp/$mode.dmesg
	grep -q "eject.*$cb" /tmp/$mode.dmesg ||
		fail "$mode: no wb_ext line in dmesg about the ejection for $cb"
	state=$(cat $wbx/state)
	[ "$state" = disabled ] || fail "$mode: state is '$state' after the detach, expected disabled"
	sync
	drop_caches
	FIO_SIZE=4M fio_pattern /mnt/t/$mode verify || fail "$mode: data written around the ejection differs"
done

echo "== init-fail: init returns -EINVAL"
seq=$(cat $wbx/enable_seq)
if wbext_test -m init-fail -- true > /tmp/init.out 2>&1; then
	cat /tmp/init.out
	fail "a policy whose init returns -EINVAL was installed"
fi
cat /tmp/init.out
grep -q 'attach failed' /tmp/init.out || fail "wbext_test -m init-fail failed, but not at the attach"
state=$(cat $wbx/state) ops=$(cat $wbx/ops) v=$(cat $wbx/enable_seq)
[ "$state" = disabled ] || fail "state is '$state' after a refused attach, expected disabled"
[ -z "$ops" ] || fail "ops is '$ops' after a refused attach, expected empty"
[ "$v" = "$seq" ] || fail "enable_seq went from $seq to $v on a refused attach"
