# timeout: 400
# A policy chooses the shard of new inodes: under "wbext_test -c 1" every
# inode dirtied lands on shard 1 (debugfs and the policy's own counts
# agree), the policy sees the inode's wb (shards, disk, cgroup: the root
# one, then a child's) and bpf_wb_ext_shards() describes its shards; the
# detach restores the default, and a policy that answers -1 gets the
# kernel's round robin.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 writeback shards (VM_CPUS=$cpus)"
nr=$(cat "$bdi/nr_wb_shards")
mkfs_mount xfs /dev/ram0 /mnt/t
sync
nfiles=16
# What wbext_test runs while attached: DIR FILES POLICY
cat > /tmp/writer.sh <<'EOS'
. /tests/lib/lib.sh
state=$(cat /sys/kernel/wb_ext/state) ops=$(cat /sys/kernel/wb_ext/ops)
[ "$state" = enabled ] || fail "state is '$state' while $3 is attached, expected enabled"
[ "$ops" = "$3" ] || fail "ops is '$ops' while $3 is attached, expected '$3'"
mkdir -p "$1"
i=0
while [ $i -lt "$2" ]; do
	dd if=/dev/zero of="$1/f$i" bs=64k count=4 2>/dev/null || fail "writing $1/f$i"
	i=$((i + 1))
done
sync
EOS

echo "== select_shard answers 1"
shard_inodes > /tmp/before
wbext_test -c 1 -- sh /tmp/writer.sh /mnt/t/one $nfiles wbext_test > /tmp/one.out 2>&1 ||
	{ cat /tmp/one.out; fail "wbext_test -c 1, or the writes it ran, failed"; }
cat /tmp/one.out
wb_shards_table "$bdi"
shard_inodes > /tmp/after
shard_delta /tmp/before /tmp/after > /tmp/delta
on1=$(awk '$1 == 1 {print $2}' /tmp/delta)
[ "${on1:-0}" -ge $nfiles ] || fail "shard 1 gained ${on1:-0} inodes, expected >= $nfiles (all the new files)"
others=$(awk '$1 != 1 && $2 > 0 {printf " shard %s +%s", $1, $2}' /tmp/delta)
[ -z "$others" ] || fail "new inodes on shards the policy did not choose:$others (expected all on 1)"
hits=$(sed -n 's/^stats.* hits=\([0-9,]*\)$/\1/p' /tmp/one.out)
echo "$hits" | awk -F, -v n=$nfiles '{ ok = NF == 2 && $1 == 0 && $2 >= n } END { exit !ok }' ||
	fail "shard_hits is '$hits', expected only index 1, >= $nfiles times (0,N)"
v=$(stat_of wb_nr_shards /tmp/one.out)
[ "$v" = "$nr" ] || fail "select_shard saw wb->nr_shards '$v', the inode's wb uses $nr shards"
v=$(wb_of cgroup /tmp/one.out)
[ "$v" = 1 ] || fail "select_shard saw wb->cgroup_id '$v' for a writer in the root cgroup, expected 1"
v=$(wb_of dev /tmp/one.out) d=$(cat /sys/block/ram0/dev)
[ "$v" = "$d" ] || fail "select_shard saw the wb's disk as '$v', /dev/ram0 is $d"
v=$(kfunc_of n /tmp/one.out) want=$((nr < 64 ? nr : 64))
[ "$v" = "$want" ] || fail "bpf_wb_ext_shards() filled '$v' entries, the wb uses $nr shards (expected $want)"
c0=$(shards_table "$bdi" | awk '$2 == 0 {print $3}')
[ -n "$c0" ] || fail "no shard 0 in $bdi's debugfs wb_shards"
v=$(kfunc_of shard0_idx /tmp/one.out)
[ "$v" = 0 ] || fail "bpf_wb_ext_shards() from shard 0: first entry is shard '$v', expected 0"
v=$(stat_of kfunc_shard0_cpu /tmp/one.out)
[ "$v" = "$c0" ] || fail "bpf_wb_ext_shards(): shard 0 on CPU '$v', debugfs says CPU $c0"
node=$(ls -d /sys/devices/system/cpu/cpu$c0/node[0-9]* | sed 's/.*node//')
v=$(kfunc_of shard0_node /tmp/one.out)
[ "$v" = "$node" ] || fail "bpf_wb_ext_shards(): shard 0 on node '$v', CPU $c0 is on node $node"
v=$(kfunc_of shard0_load /tmp/one.out)
[ "${v:--1}" -ge 0 ] || fail "bpf_wb_ext_shards(): shard 0 holds '$v' inodes, expected >= 0"
v=$(kfunc_of wrap_idx /tmp/one.out) n=$(kfunc_of wrap_n /tmp/one.out)
[ "$v" = 0 ] && [ "$n" = "$want" ] ||
	fail "bpf_wb_ext_shards() from shard $nr (= nr_shards) gave $n entries starting at shard '$v', expected $want from shard 0 (it wraps)"
v=$(kfunc_of small /tmp/one.out)
[ "$v" = -22 ] || fail "bpf_wb_ext_shards() into 8 bytes returned '$v', expected -EINVAL (-22)"
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after the detach, expected disabled"
ops=$(cat $wbx/ops)
[ -z "$ops" ] || fail "ops is '$ops' after the detach, expected empty"
last=$(cat $wbx/last_exit)
case $last in unreg*) ;; *) fail "last_exit is '$last' after the detach, expected 'unreg...'" ;; esac
for f in init:1 exit:1 exit_kind:1; do
	v=$(stat_of ${f%:*} /tmp/one.out)
	[ "$v" = "${f#*:}" ] || fail "stats ${f%:*}=$v, expected ${f#*:} (one init, one exit of kind UNREG)"
done

echo "== a writer in a child cgroup: select_shard sees the cgroup's wb"
cg=/sys/fs/cgroup
if grep -qw memory $cg/cgroup.controllers; then
	echo "+memory +io" > $cg/cgroup.subtree_control
	mkdir -p $cg/w51.service
	cat > /tmp/cgwriter.sh <<EOS
echo \$\$ > $cg/w51.service/cgroup.procs && sh /tmp/writer.sh /mnt/t/cg 4 wbext_test
EOS
	wbext_test -c -1 -- sh /tmp/cgwriter.sh > /tmp/cg.out 2>&1 ||
		{ cat /tmp/cg.out; fail "wbext_test with a writer in $cg/w51.service failed"; }
	v=$(wb_of cgroup /tmp/cg.out) id=$(stat -c %i $cg/w51.service)
	[ "$v" = "$id" ] || fail "select_shard saw wb->cgroup_id '$v' for a writer in w51.service, whose cgroup id is $id"
	echo "child cgroup: select_shard saw cgroup id $v (w51.service is $id)"
	rmdir $cg/w51.service 2>/dev/null || true
else
	fail "no memory controller (CONFIG_MEMCG): the cgroup wb's descriptor is not shown"
fi

echo "== select_shard answers -1: the kernel's round robin"
shard_inodes > /tmp/before
wbext_test -n rr_default -c -1 -- sh /tmp/writer.sh /mnt/t/rr $nfiles rr_default > /tmp/rr.out 2>&1 ||
	{ cat /tmp/rr.out; fail "wbext_test -c -1, or the writes it ran, failed"; }
cat /tmp/rr.out
shard_inodes > /tmp/after
used=$(awk 'NR == FNR {b[$1] = $2; next} $2 > b[$1] {n++} END {print n + 0}' /tmp/before /tmp/after)
[ "$used" -ge 2 ] || fail "new inodes went to $used shard(s) with the kernel's default, expected round robin over >= 2"
v=$(stat_of select /tmp/rr.out)
[ "${v:-0}" -ge $nfiles ] || fail "select_shard ran ${v:-0} times for $nfiles new files"
hits=$(sed -n 's/^stats.* hits=\([0-9,]*\)$/\1/p' /tmp/rr.out)
[ -z "$hits" ] || fail "shard_hits is '$hits' though select_shard always answered -1"
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after the detach, expected disabled"
