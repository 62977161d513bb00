# timeout: 120
# /sys/kernel/wb_ext with no policy loaded: state disabled, no ops, no
# install yet, last_exit none; and the kernel's BTF has the struct_ops type.
# Numbered to run before the shard tests, some of which load a policy
# (spread_ext4): this is the state of a fresh boot.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
for f in state ops enable_seq last_exit; do
	[ -r $wbx/$f ] || fail "no $wbx/$f"
	echo "$f: $(cat $wbx/$f)"
done
state=$(cat $wbx/state)
[ "$state" = disabled ] || fail "state is '$state' with no policy loaded, expected 'disabled'"
ops=$(cat $wbx/ops)
[ -z "$ops" ] || fail "ops is '$ops' with no policy loaded, expected empty"
seq=$(cat $wbx/enable_seq)
[ "$seq" = 0 ] || fail "enable_seq is '$seq' before any policy was installed, expected 0"
last=$(cat $wbx/last_exit)
[ "$last" = none ] || fail "last_exit is '$last' before any policy ran, expected 'none'"
bpftool btf dump file /sys/kernel/btf/vmlinux |
	grep -E "^\[[0-9]+\] (STRUCT|FUNC) '(wb_ext_ops|wb_ext_wb|wb_ext_shard|bpf_struct_ops_wb_ext_ops|bpf_wb_ext_[a-z_]+)'" > /tmp/btf.txt || true
cat /tmp/btf.txt
for t in "STRUCT 'wb_ext_ops'" "STRUCT 'bpf_struct_ops_wb_ext_ops'" \
	 "STRUCT 'wb_ext_wb'" "STRUCT 'wb_ext_shard'" "FUNC 'bpf_wb_ext_shards'"; do
	grep -q "$t" /tmp/btf.txt || fail "$t is not in the kernel's BTF"
done
