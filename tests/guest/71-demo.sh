# timeout: 300
# make demo's guest script, small: the same job with one shard and with
# the default side by side (bandwidth, final sync, writeback CPU by CPU),
# then rr loaded and swapped for numa during the job, and unloaded.
. /tests/lib/lib.sh
need_wb_ctx
cpus=$(nproc)
DEMO_MB=16 sh /bench/demo-guest.sh > /tmp/demo.out 2>&1 || { cat /tmp/demo.out; fail "demo-guest.sh exited with $?"; }
cat /tmp/demo.out
row() { grep "^$1 " /tmp/demo.out | sed "s/^$1 *//"; }
[ "$(row 'final sync (s)' | wc -w)" = 2 ] || fail "the sync row has no two figures: '$(row 'final sync (s)')'"
row 'fio write bandwidth' | grep -q '^[0-9.]*[KMG]iB/s  *[0-9.]*[KMG]iB/s$' ||
	fail "the bandwidth row has no two figures: '$(row 'fio write bandwidth')'"
# one column per run, and the default run's writeback CPU time on each CPU
by=$(grep '^  by CPU (s)' /tmp/demo.out | awk '{print $NF}')
[ "$(echo "$by" | tr / '\n' | wc -l)" = "$cpus" ] || fail "CPU time by CPU: '$by' for $cpus CPUs"
grep -q "^ *1 shard  *$cpus shards (default)\|^ *1 shard  *[0-9]* shards (default)" /tmp/demo.out || fail "no header of the two runs"
grep -q "^swapped rr -> numa$" /tmp/demo.out || fail "no live swap"
grep -q "^wbctl: *numa loaded since" /tmp/demo.out || fail "wbctl status after the swap"
grep -q "^policy numa: inodes chosen per shard" /tmp/demo.out || fail "no wbctl stats"
grep -q "^unloaded numa$" /tmp/demo.out || fail "not unloaded"
[ "$(cat /sys/kernel/wb_ext/state)" = disabled ] || fail "a policy is left: $(cat /sys/kernel/wb_ext/state)"
