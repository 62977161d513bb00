# timeout: 900
# More shards than CPUs, as on a machine with many CPUs: with nr_wb_ctx
# 100 on 4 vCPUs every policy loads, its choices in the kernel's debugfs
# agree with its own stats for every shard (none folded: shards above 63
# are counted as themselves), rr reaches the high shards, a directory
# pinned to shard 99 gets its files there, and the data verifies.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_contexts
nr=100
echo $nr > "$bdi/nr_wb_ctx" || fail "cannot set nr_wb_ctx to $nr"
trap 'wbctl unload > /dev/null 2>&1; echo "$cpus" > "$bdi/nr_wb_ctx"' EXIT
mkfs_mount xfs /dev/ram0 /mnt/t
sync

# files DIR N: N new files of 16 KiB in DIR
files() {
	mkdir -p "$1"
	i=0
	while [ $i -lt "$2" ]; do
		dd if=/dev/zero of="$1/f$i" bs=16k count=1 2>/dev/null ||
			fail "writing $1/f$i"
		i=$((i + 1))
	done
}
# step NAME CMD...: what the kernel (debugfs) and the policy (stats)
# counted per shard while CMD ran, in /tmp/NAME.debugfs and .stats
step() {
	n=$1; shift
	ctx_inodes > /tmp/b.dbg
	wbctl stats -j > /tmp/b.json || fail "wbctl stats -j failed"
	"$@"
	ctx_inodes > /tmp/a.dbg
	wbctl stats -j > /tmp/a.json || fail "wbctl stats -j failed"
	ctx_delta /tmp/b.dbg /tmp/a.dbg | awk '$2 != 0' > /tmp/$n.debugfs
	chosen_of /tmp/b.json > /tmp/b.ch
	chosen_of /tmp/a.json > /tmp/a.ch
	ctx_delta /tmp/b.ch /tmp/a.ch | awk '$2 != 0' > /tmp/$n.stats
	[ -s /tmp/$n.stats ] || fail "$n: the policy counted no choice"
	diff /tmp/$n.debugfs /tmp/$n.stats > /dev/null ||
		fail "$n: debugfs (shard gained: $(tr '\n' ' ' < /tmp/$n.debugfs)) and the policy's stats ($(tr '\n' ' ' < /tmp/$n.stats)) disagree"
	hi=$(awk '$1 >= 64 {s += $2} END {print s + 0}' /tmp/$n.stats)
	echo "$n: $(wc -l < /tmp/$n.stats) shards got inodes, $hi of them on shards 64-99"
}

for p in rr affinity numa lb; do
	echo "== $p"
	wbctl load $p || fail "wbctl load $p failed"
	step $p files /mnt/t/$p 300
	if [ $p = rr ]; then
		[ "$hi" -ge 50 ] ||
			fail "rr: only $hi of 300 inodes on shards 64-99 of $nr"
	fi
	if [ $p = affinity ]; then
		mkdir -p /mnt/t/pinned
		wbctl pin /mnt/t/pinned 99 || fail "wbctl pin to shard 99 failed"
		step pin files /mnt/t/pinned 8
		bad=$(awk '$1 != 99' /tmp/pin.stats)
		[ -z "$bad" ] || fail "pin: files of a directory pinned to shard 99 went elsewhere: $bad"
		wbctl pin -r /mnt/t/pinned || fail "wbctl pin -r failed"
	fi
	wbctl unload || fail "wbctl unload $p failed"
done
sync
drop_caches
for p in rr affinity numa lb pinned; do
	for f in /mnt/t/$p/f*; do
		cmp -n 16384 /dev/zero "$f" || fail "$f does not read back as zeros"
	done
done
