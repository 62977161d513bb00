# timeout: 600
# Each policy loads with wbctl, its choices show in the kernel's per-shard
# debugfs and agree with its own per-CPU stats map: rr spreads evenly,
# affinity keeps a file on one shard across rewrites and honours assignments,
# numa keeps inodes on the writer's node, lb respects max_shards and uses one
# shard on a rotational device.  bpftool dumps the stats with named
# fields; unload restores the kernel default.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
[ "$cpus" -ge 4 ] || skip_env "needs 4 CPUs (2 NUMA nodes of 2) (VM_CPUS=$cpus)"
nr=$(cat "$bdi/nr_wb_shards")
mkfs_mount xfs /dev/ram0 /mnt/t
sync
trap 'wbctl unload > /dev/null 2>&1' EXIT

# files DIR N [TASKSET_CPU]: create N files of 64 KiB in DIR (new inodes)
files() {
	mkdir -p "$1"
	i=0
	while [ $i -lt "$2" ]; do
		if [ -n "$3" ]; then
			taskset -c "$3" dd if=/dev/zero of="$1/f$i" bs=64k count=1 2>/dev/null
		else
			dd if=/dev/zero of="$1/f$i" bs=64k count=1 2>/dev/null
		fi || fail "writing $1/f$i"
		i=$((i + 1))
	done
}
# agree NAME: debugfs and the stats map saw the same choices
agree() {
	diff /tmp/$1.debugfs /tmp/$1.stats > /dev/null ||
		fail "$1: the kernel's debugfs (shard gained: $(tr '\n' ' ' < /tmp/$1.debugfs)) and the policy's stats ($(tr '\n' ' ' < /tmp/$1.stats)) disagree"
}
# only NAME SHARDS: every new inode went to one of the shards SHARDS
only() {
	bad=$(awk -v ok=" $2 " 'index(ok, " " $1 " ") == 0 && $2 > 0 {printf " shard %s +%s", $1, $2}' /tmp/$1.stats)
	[ -z "$bad" ] || fail "$1: inodes on shards other than $2:$bad"
}
load() {
	wbctl load "$@" || fail "wbctl load $* failed"
	[ "$(cat $wbx/ops)" = "$1" ] || fail "ops is '$(cat $wbx/ops)' after wbctl load $1"
}

echo "== rr: even spread"
load rr
step rr files /mnt/t/rr $((nr * 8))
agree rr
awk -v n=$((nr * 8)) -v nr=$nr '{ if ($2 < n / nr - 1 || $2 > n / nr + 2) bad = bad " shard " $1 ":" $2 }
	END { if (bad != "") { print "uneven:" bad; exit 1 } }' /tmp/rr.stats ||
	fail "rr: $((nr * 8)) files (and their directory) over $nr shards are not even: $(tr '\n' ' ' < /tmp/rr.stats)"
echo "== bpftool shows the per-CPU stats with their field names"
bpftool map dump pinned /sys/fs/bpf/wbext/rr/stats > /tmp/dump.txt || fail "bpftool map dump of the stats failed"
head -20 /tmp/dump.txt
for f in chosen fallbacks assigned pause_calls bg_changed; do
	grep -q "\"$f\"" /tmp/dump.txt || fail "bpftool's dump has no field $f"
done
grep -q '"cpu": 3' /tmp/dump.txt || fail "bpftool's dump has no value for CPU 3 (per-CPU map?)"
wbctl stats > /tmp/stats.txt || fail "wbctl stats failed"
cat /tmp/stats.txt
! grep -q cpu0 /tmp/stats.txt || fail "wbctl stats shows per-CPU columns without --per-cpu"
wbctl stats --per-cpu > /tmp/stats.txt || fail "wbctl stats --per-cpu failed"
grep -q "^shard  *total  *cpu0  *cpu1  *cpu2  *cpu3" /tmp/stats.txt || { cat /tmp/stats.txt; fail "wbctl stats --per-cpu has no column per CPU"; }
wbctl -p stats --per-cpu > /tmp/stats.json || fail "wbctl -p stats failed"
json_valid /tmp/stats.json "wbctl -p stats --per-cpu"
wbctl -j stats > /tmp/stats-j.json || fail "wbctl -j stats failed"
json_valid /tmp/stats-j.json "wbctl -j stats"
wbctl -j status > /tmp/status.json || fail "wbctl -j status failed"
json_valid /tmp/status.json "wbctl -j status"
wbctl -p -V > /tmp/version.json || fail "wbctl -p -V failed"
json_valid /tmp/version.json "wbctl -p -V"
grep -q '^      "cpu": 3,$' /tmp/stats.json || { head -30 /tmp/stats.json; fail "wbctl -p stats --per-cpu: no indented entry for CPU 3"; }
wbctl unload || fail "wbctl unload failed"

echo "== affinity: a file keeps its shard across rewrites"
load affinity
files /mnt/t/aff 4
sync
for f in 0 1 2 3; do
	first=
	for round in 1 2 3; do
		drop_caches	# evict the inode: the next write chooses again
		step aff$f$round dd if=/dev/urandom of=/mnt/t/aff/f$f bs=64k count=1 conv=notrunc 2>/dev/null
		agree aff$f$round
		c=$(awk '$2 > 0 {print $1}' /tmp/aff$f$round.stats)
		[ "$(echo "$c" | wc -w)" = 1 ] || fail "rewriting f$f chose shards '$c', expected exactly one"
		[ -z "$first" ] || [ "$c" = "$first" ] ||
			fail "f$f went to shard $first, then to $c after a rewrite"
		first=$c
	done
done
echo "== affinity: a directory tree assigned to a shard"
mkdir -p /mnt/t/assigned/sub
wbctl assign /mnt/t/assigned 1 || fail "wbctl assign failed"
json_num /tmp/a.json assigned > /tmp/p0
step assign files /mnt/t/assigned/sub 8
agree assign
only assign 1
[ "$(awk '$1 == 1 {print $2}' /tmp/assign.stats)" -ge 8 ] || fail "assign: shard 1 did not get the 8 files"
p1=$(json_num /tmp/a.json assigned)
[ $((p1 - $(cat /tmp/p0))) -ge 8 ] || fail "assign: the 'assigned' counter went from $(cat /tmp/p0) to $p1"
wbctl assign -r /mnt/t/assigned || fail "wbctl assign -r failed"
wbctl unload

echo "== numa: the writer's node"
node_of() { ls -d /sys/devices/system/cpu/cpu$1/node[0-9]* | sed 's/.*node//'; }
shards_on_node() {	# shards whose CPU is on node $1
	shards_table "$bdi" | awk '$13 == "live" {print $2, $3}' | while read -r c cpu; do
		if [ "$(node_of "$cpu")" = "$1" ]; then printf '%s ' "$c"; fi
	done
}
load numa
for cpu in 0 $((cpus - 1)); do
	node=$(node_of $cpu)
	want=$(shards_on_node "$node")
	step numa$cpu files /mnt/t/numa$cpu 8 $cpu
	agree numa$cpu
	only numa$cpu "$want"
	used=$(awk '$2 > 0' /tmp/numa$cpu.stats | wc -l)
	[ "$used" -ge 2 ] || fail "numa: writes from CPU $cpu used $used shard(s) of node $node ($want), expected round robin over them"
done
wbctl unload

echo "== lb: max_shards, and one shard on a rotational device"
# an idle device: no inodes left on any shard from the steps above, so
# that the least-loaded choice alternates
sync
load lb -o max_shards=2
step lb2 files /mnt/t/lb2 8
agree lb2
only lb2 "0 1"
[ "$(awk '$2 > 0' /tmp/lb2.stats | wc -l)" = 2 ] ||
	fail "lb -o max_shards=2: small files on an idle device should alternate over shards 0 and 1"
wbctl unload
rot=/sys/block/ram0/queue/rotational
if echo 1 > $rot 2>/dev/null; then
	load lb
	step lbrot files /mnt/t/lbrot 8
	echo 0 > $rot
	agree lbrot
	only lbrot 0
	wbctl unload
else
	fail "$rot is read-only: the rotational case is not tested"
fi
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after unload"
case $(cat $wbx/last_exit) in unreg*) ;; *) fail "last_exit after unload: $(cat $wbx/last_exit)" ;; esac
[ ! -e /sys/fs/bpf/wbext/link ] || fail "unload left /sys/fs/bpf/wbext/link"
