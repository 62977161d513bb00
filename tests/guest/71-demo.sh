# timeout: 300
# make demo's guest script, small: the same job with one shard and with
# the default side by side (bandwidth, final sync, writeback CPU by CPU),
# then rr loaded and swapped for numa during the job, and unloaded.
. /tests/lib/lib.sh
need_wb_shards
cpus=$(nproc)
echo 2 > "$(bdi_of ram0)/nr_wb_shards"	# not the default: the demo sets it and puts this back
orig=2
DEMO_MB=48 sh /bench/demo-guest.sh > /tmp/demo.out 2>&1 || { rc=$?; cat /tmp/demo.out; fail "demo-guest.sh exited with $rc"; }
cat /tmp/demo.out
row() { grep "^$1 " /tmp/demo.out | sed "s/^$1 *//"; }
[ "$(row 'final sync (s)' | wc -w)" = 2 ] || fail "the sync row has no two figures: '$(row 'final sync (s)')'"
row 'fio write bandwidth' | grep -q '^[0-9.]*[KMG]iB/s  *[0-9.]*[KMG]iB/s$' ||
	fail "the bandwidth row has no two figures: '$(row 'fio write bandwidth')'"
# one column per run, and the default run's writeback CPU time on each CPU
by=$(grep '^  by CPU (s)' /tmp/demo.out | awk '{print $NF}')
[ "$(echo "$by" | tr / '\n' | wc -l)" = "$cpus" ] || fail "CPU time by CPU: '$by' for $cpus CPUs"
def=$((cpus < 8 ? cpus : 8))
grep -q "^ *1 shard  *$def shards (default)$" /tmp/demo.out || fail "no header of the two runs"
[ "$(cat $(bdi_of ram0)/nr_wb_shards)" = "$orig" ] || fail "the demo did not put ram0's shard count back"
grep -q "^swapped rr -> numa$" /tmp/demo.out || fail "no swap"
! grep -q "the job had ended" /tmp/demo.out || fail "the swap came after the job: not live"
grep -q "^wbctl: *numa loaded since" /tmp/demo.out || fail "wbctl status after the swap"
grep -q "^policy numa: inodes chosen per shard" /tmp/demo.out || fail "no wbctl stats"
chose=$(sed -n '/^policy numa: inodes chosen/,/^fallbacks/p' /tmp/demo.out | awk '$1 ~ /^[0-9]+$/ {s += $2} END {print s + 0}')
[ "$chose" -gt 0 ] || fail "numa placed no inode after the swap"
grep -q "^unloaded numa$" /tmp/demo.out || fail "not unloaded"
[ "$(cat /sys/kernel/wb_ext/state)" = disabled ] || fail "a policy is left: $(cat /sys/kernel/wb_ext/state)"
