# timeout: 600
# wbctl swap between every ordered pair of policies while fio writes:
# each swap is atomic (enable_seq +1, the old policy exits "replaced",
# the state never leaves "enabled", the new policy's own stats count
# choices), then sync and every byte verifies after a shutdown
# without log flush; unload restores the default.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
mkfs_mount xfs /dev/ram0 /mnt/t
trap 'wbctl unload > /dev/null 2>&1' EXIT
# every ordered pair of the seven policies once (an Eulerian circuit)
seq="rr affinity rr numa rr lb rr ino rr ag rr stream affinity numa affinity
lb affinity ino affinity ag affinity stream numa lb numa ino numa ag numa stream
lb ino lb ag lb stream ino ag ino stream ag stream rr"
set -- $seq
t0=$(date +%s)
wbctl load "$1" -o pause_pct=50 || fail "wbctl load $1 failed"
# status reads the options and the load time back from the kernel
wbctl status > /tmp/status.out || { cat /tmp/status.out; fail "wbctl status failed"; }
cat /tmp/status.out
for o in chunk_kb=0 pause_pct=50 bg_early=0; do
	grep -Eq "^options: .* ?$o( |$)" /tmp/status.out || fail "wbctl status does not show $o (-o pause_pct=50)"
done
since=$(wbctl -j status | sed -n 's/.*"since":\([0-9]*\).*/\1/p')
[ -n "$since" ] && [ "$since" -ge $((t0 - 2)) ] && [ "$since" -le $(($(date +%s) + 2)) ] ||
	fail "wbctl -j status: loaded since '$since', the load ran at $t0"
prev=$1; shift
FIO_SIZE=24M fio_pattern /mnt/t write &
fio=$!
during=0
for p in "$@"; do
	s0=$(cat $wbx/enable_seq)
	wbctl swap "$p" > /tmp/swap.out 2>&1 || { cat /tmp/swap.out; fail "wbctl swap $prev -> $p failed"; }
	grep -qx "swapped $prev -> $p" /tmp/swap.out || { cat /tmp/swap.out; fail "wbctl swap $p did not say 'swapped $prev -> $p'"; }
	kill -0 $fio 2>/dev/null && during=$((during + 1))
	s1=$(cat $wbx/enable_seq) state=$(cat $wbx/state) ops=$(cat $wbx/ops) last=$(cat $wbx/last_exit)
	[ "$s1" = $((s0 + 1)) ] || fail "swap $prev -> $p: enable_seq $s0 -> $s1, expected +1"
	[ "$state" = enabled ] || fail "swap $prev -> $p: state '$state'"
	[ "$ops" = "$p" ] || fail "swap $prev -> $p: ops '$ops'"
	case $last in "replaced: $prev: replaced by $p") ;; *) fail "swap $prev -> $p: last_exit '$last'" ;; esac
	wbctl status | grep -q "wbctl: *$p loaded since" || { wbctl status; fail "wbctl status does not show $p loaded"; }
	[ -e /sys/fs/bpf/wbext/$p/stats ] || fail "swap to $p: its stats map is not pinned"
	# the new policy is called: its own stats count choices (fio's
	# redirtied inodes and a new file)
	wbctl stats -j > /tmp/s0.json || fail "wbctl stats -j after the swap to $p"
	dd if=/dev/zero of=/mnt/t/after-$prev-$p bs=4k count=1 2>/dev/null
	wbctl stats -j > /tmp/s1.json || fail "wbctl stats -j after the swap to $p"
	n0=$(chosen_of /tmp/s0.json | awk '{s += $2} END {print s + 0}')
	n1=$(chosen_of /tmp/s1.json | awk '{s += $2} END {print s + 0}')
	[ "$n1" -gt "$n0" ] || fail "swap $prev -> $p: $p's stats counted no choice for a new inode ($n0 -> $n1)"
	prev=$p
done
wait $fio || fail "fio failed while policies were swapped"
echo "$# swaps, $during of them while fio wrote"
[ $during -ge 1 ] || fail "fio finished before the first swap"
sync
crash_remount xfs /dev/ram0 /mnt/t
FIO_SIZE=24M fio_pattern /mnt/t verify || fail "data written across the swaps differs"
wbctl unload || fail "wbctl unload failed"
wait_state disabled 10 || fail "state '$(cat $wbx/state)' after unload"
[ -z "$(cat $wbx/ops)" ] || fail "ops '$(cat $wbx/ops)' after unload"
wbctl status
