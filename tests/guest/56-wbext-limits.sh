# timeout: 600
# No policy can make dirty memory outrun the limits or hang a writer.
# Under a valid but hostile policy (wbext_test -m greedy: never pause a
# writer, never write in the background, 1-page writeback chunks) writers
# that write 4x dirty_bytes keep dirty memory near the limit, as the kernel
# alone does in 47-wbctx-throttle, and finish, with periodic writeback off;
# then every byte verifies.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_contexts
save_vm_dirty
limit_mb=32
echo $((limit_mb << 20)) > /proc/sys/vm/dirty_bytes
echo $((limit_mb << 19)) > /proc/sys/vm/dirty_background_bytes
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
mkfs_mount xfs /dev/ram0 /mnt/t
per_job=$((limit_mb * 4 / cpus))
cat > /tmp/greedy.sh <<EOS
( while :; do awk '/^Dirty:/ {print int(\$2 / 1024)}' /proc/meminfo; sleep 0.2; done ) > /tmp/dirty.log &
mon=\$!
timeout 300 fio --name=g --directory=/mnt/t --rw=write --bs=64k --size=${per_job}M \
    --numjobs=$cpus --ioengine=psync --minimal > /tmp/fio.out 2>&1
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
state=$(cat $wbx/state)
[ "$state" = disabled ] || fail "state '$state' after the greedy policy detached"
timeout 120 sync || fail "sync hung after the greedy policy"
rm -f /mnt/t/g.*
FIO_SIZE=8M fio_pattern /mnt/t write || fail "fio after the greedy policy"
sync
drop_caches
FIO_SIZE=8M fio_pattern /mnt/t verify || fail "data written after the greedy policy differs"
