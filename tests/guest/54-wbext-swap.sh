# timeout: 600
# Swapping policies on a live link (bpf_link_update) while fio writes:
# each swap installs the new policy (ops, enable_seq + 1, last_exit
# "replaced"), the last one places the next new inodes, the data is
# intact; removing the pin detaches and new inodes spread over the shards
# again.  Then a pinned policy detached with "bpftool link detach".
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
mkfs_mount xfs /dev/ram0 /mnt/t
pin=/sys/fs/bpf/wbext_swap
rm -f $pin

echo "== swaps under fio"
wbext_test -n pol_a -c 0 -p $pin > /tmp/a.out 2>&1 || { cat /tmp/a.out; fail "attaching and pinning pol_a failed"; }
ops=$(cat $wbx/ops)
[ "$ops" = pol_a ] || fail "ops is '$ops' after attaching pol_a"
FIO_SIZE=8M fio_pattern /mnt/t write &
fio=$!
n=0 during=0
while kill -0 $fio 2>/dev/null || [ $n -lt 2 ]; do
	kill -0 $fio 2>/dev/null && during=$((during + 1))
	if [ $((n % 2)) = 0 ]; then name=pol_b shard=1; else name=pol_a shard=0; fi
	seq=$(cat $wbx/enable_seq)
	wbext_test -n $name -c $shard -u $pin > /tmp/u.out 2>&1 ||
		{ cat /tmp/u.out; fail "swap $n to $name failed"; }
	grep -qx "updated $name" /tmp/u.out || { cat /tmp/u.out; fail "swap $n: wbext_test -u did not say 'updated $name'"; }
	ops=$(cat $wbx/ops) state=$(cat $wbx/state) v=$(cat $wbx/enable_seq) last=$(cat $wbx/last_exit)
	[ "$ops" = $name ] || fail "swap $n: ops is '$ops', expected $name"
	[ "$state" = enabled ] || fail "swap $n: state is '$state', expected enabled"
	[ "$v" = $((seq + 1)) ] || fail "swap $n: enable_seq went from $seq to $v, expected +1"
	case $last in replaced*) ;; *) fail "swap $n: last_exit is '$last', expected 'replaced...'" ;; esac
	n=$((n + 1))
done
wait $fio || fail "fio failed while policies were swapped"
echo "$n swaps, $during of them while fio ran"
[ $during -ge 1 ] || fail "fio finished before any swap"
# end on pol_b (shard 1), which pol_a, attached first, never answers: a
# kernel that kept calling the first program fails below
if [ "$shard" != 1 ]; then
	name=pol_b shard=1
	wbext_test -n $name -c $shard -u $pin > /tmp/u.out 2>&1 ||
		{ cat /tmp/u.out; fail "the last swap to $name failed"; }
fi
placed two_writers /mnt/t swapped 4 4
got=$(awk -v c=$shard '$1 == c {print $2}' /tmp/placed)
[ -z "$(awk -v c=$shard '$1 != c && $2 > 0' /tmp/placed)" ] && [ "${got:-0}" -ge 8 ] ||
	fail "after the swap to $name, new inodes went elsewhere than its shard $shard"
sync
crash_remount xfs /dev/ram0 /mnt/t
FIO_SIZE=8M fio_pattern /mnt/t verify || fail "data written across policy swaps differs"
rm $pin
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' 10 s after removing the pin, expected disabled"
last=$(cat $wbx/last_exit)
case $last in unreg*) ;; *) fail "last_exit is '$last' after removing the pin, expected 'unreg...'" ;; esac
placed two_writers /mnt/t unloaded 4 4
n=$(awk '$2 > 0' /tmp/placed | wc -l)
[ "$n" -ge 2 ] || fail "after the unload, new inodes went to $n shard(s): the kernel's choice spreads them"

echo "== bpftool link detach"
wbext_test -n pol_d -p $pin > /tmp/d.out 2>&1 || { cat /tmp/d.out; fail "attaching and pinning pol_d failed"; }
bpftool link show pinned $pin | tee /tmp/link.txt
id=$(sed -n '1s/^\([0-9][0-9]*\): .*/\1/p' /tmp/link.txt)
[ -n "$id" ] || fail "no link id in 'bpftool link show pinned $pin'"
grep -q struct_ops /tmp/link.txt || fail "the pinned link is not a struct_ops link"
seq=$(cat $wbx/enable_seq)
bpftool link detach id "$id" || fail "bpftool link detach id $id failed"
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' 10 s after bpftool link detach, expected disabled"
ops=$(cat $wbx/ops)
[ -z "$ops" ] || fail "ops is '$ops' after bpftool link detach, expected empty"
last=$(cat $wbx/last_exit)
case $last in unreg*) ;; *) fail "last_exit is '$last' after bpftool link detach, expected 'unreg...'" ;; esac
rm $pin
sleep 1
state=$(cat $wbx/state) v=$(cat $wbx/enable_seq) last2=$(cat $wbx/last_exit)
[ "$state" = disabled ] || fail "state is '$state' after removing the pin of a detached link"
[ "$v" = "$seq" ] || fail "enable_seq went from $seq to $v after the detach"
[ "$last2" = "$last" ] || fail "last_exit changed from '$last' to '$last2' when the detached link was freed"
