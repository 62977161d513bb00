# timeout: 240
# The verifier refuses, with the expected message: a sleepable callback, a
# write to the inode, a wb_ext kfunc called from another struct_ops type
# (tcp_congestion_ops), and, from a policy, a kfunc of another struct_ops
# type on the shared struct_ops hook (sched_ext's, TCP congestion
# control's).  No policy gets installed.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
seq=$(cat $wbx/enable_seq)
for c in 'sleepable|attach to unsupported member select_shard of struct wb_ext_ops' \
	 'write|only read is supported' \
	 'kfunc|calling kernel function bpf_wb_ext_shards is not allowed' \
	 'scx|calling kernel function scx_bpf_nr_cpu_ids is not allowed' \
	 'tcp|calling kernel function tcp_slow_start is not allowed'; do
	name=${c%%|*} msg=${c#*|}
	if [ "$name" = scx ] && [ ! -d /sys/kernel/sched_ext ]; then
		fail "this kernel has no sched_ext (CONFIG_SCHED_CLASS_EXT): not shown that a policy may not call its kfuncs"
	fi
	wbext_reject "$name" "$msg" > /tmp/reject.out 2>&1 ||
		{ cat /tmp/reject.out; fail "reject_$name: expected a verifier rejection saying '$msg'"; }
	cat /tmp/reject.out
done
state=$(cat $wbx/state) v=$(cat $wbx/enable_seq)
[ "$state" = disabled ] || fail "state is '$state' after the rejected loads, expected disabled"
[ "$v" = "$seq" ] || fail "enable_seq went from $seq to $v though nothing loaded"
