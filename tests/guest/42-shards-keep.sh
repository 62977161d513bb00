# timeout: 300
# An inode keeps its shard while it stays cached (0020): the kernel's
# default and a policy are told the shard it is on (prev) and keeping it
# moves nothing.  On XFS with one shard per CPU:
# - a file rewritten after each sync (clean, then dirty again: XFS's
#   fsync leaves the inode dirty, sync cleans it), its writer alternating
#   between two CPUs, stays on one shard: every choice after the first
#   was told prev and kept it (before 0020 the per-CPU cursor moved it
#   each time);
# - a policy is told prev: under "wbext_test -c 1" the 16 files rewritten
#   after a sync were told shard 1; rr keeps prev (its kept count);
# - after the wb's shards grow, cached inodes are told none (prev=-1)
#   and reach the new shards; before the grow they were told theirs.
# The choices are traced (writeback_shard_select, which reports prev).
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 3 ] || skip_env "needs 3 CPUs for a grow beyond 2 shards (VM_CPUS=$cpus)"
trap 'untrace; cleanup_mounts' EXIT

# rewrite N: overwrite f0..fN-1 in place, then sync
rewrite() {
	i=0
	while [ $i -lt "$1" ]; do
		dd if=/dev/urandom of=/mnt/t/f$i bs=4k count=2 conv=notrunc 2>/dev/null ||
			fail "rewriting /mnt/t/f$i"
		i=$((i + 1))
	done
	sync
}
# sync_loop FILE N: N writes of 4 KiB, each followed by sync, from CPUs
# 0 and 1 in turn
sync_loop() {
	i=0
	while [ $i -lt "$2" ]; do
		taskset -c $((i % 2)) dd if=/dev/urandom of="$1" bs=4k count=1 \
			seek=$i conv=notrunc 2>/dev/null || fail "write $i of $1"
		sync
		i=$((i + 1))
	done
}

mkfs_mount xfs /dev/ram0 /mnt/t
sync

echo "== the kernel's default: a file rewritten after each sync"
: > /mnt/t/loop
sync
ino=$(stat -c %i /mnt/t/loop)
traced sync_loop /mnt/t/loop 30
grep " ino=$ino " /tmp/select > /tmp/loop.sel || true
n=$(wc -l < /tmp/loop.sel)
used=$(grep -o ' shard=[0-9]*' /tmp/loop.sel | sort -u | wc -l)
fresh=$(grep -c ' prev=-1$' /tmp/loop.sel || true)
echo "30 write+sync: $n choices, $used shard(s), $fresh told no prev"
[ "$n" -ge 20 ] || fail "only $n shard choices for 30 write+sync of one file, expected one per write"
[ "$used" = 1 ] || { cat /tmp/loop.sel; fail "the file went to $used shards in a write+sync loop, expected one (kept while cached)"; }
[ "$fresh" -le 1 ] || fail "$fresh choices of the cached file were told no prev, expected at most the first"

echo "== a policy is told prev (wbext_test -c 1)"
cat > /tmp/twice.sh <<'EOS'
. /tests/lib/lib.sh
i=0
while [ $i -lt 16 ]; do
	dd if=/dev/zero of=/mnt/t/f$i bs=4k count=2 2>/dev/null || fail "writing /mnt/t/f$i"
	i=$((i + 1))
done
sync
rewrite() {
	i=0
	while [ $i -lt 16 ]; do
		dd if=/dev/urandom of=/mnt/t/f$i bs=4k count=2 conv=notrunc 2>/dev/null || exit 1
		i=$((i + 1))
	done
	sync
}
rewrite
EOS
wbext_test -c 1 -- sh /tmp/twice.sh > /tmp/twice.out 2>&1 ||
	{ cat /tmp/twice.out; fail "wbext_test -c 1, or the writes it ran, failed"; }
p=$(stat_of prev /tmp/twice.out) pt=$(stat_of prev_target /tmp/twice.out)
echo "select_shard calls told a shard: $p, told shard 1: $pt"
[ "${pt:-0}" -ge 16 ] || { cat /tmp/twice.out; fail "select_shard was told shard 1 for ${pt:-0} calls, expected >= 16 (the rewritten files)"; }

echo "== rr keeps prev"
wbctl load rr > /dev/null || fail "wbctl load rr"
wbctl stats -j > /tmp/rr0.json
traced sync_loop /mnt/t/loop 20
wbctl stats -j > /tmp/rr1.json
wbctl unload > /dev/null || fail "wbctl unload"
k=$(( $(json_num /tmp/rr1.json kept) - $(json_num /tmp/rr0.json kept) ))
used=$(grep " ino=$ino " /tmp/select | grep -o ' shard=[0-9]*' | sort -u | wc -l)
echo "rr: 20 write+sync, $k kept, $used shard(s)"
[ "$k" -ge 15 ] || fail "rr kept the file's shard $k times in 20 write+sync, expected >= 15"
[ "$used" = 1 ] || fail "rr moved the cached file over $used shards, expected one"

echo "== a grow: cached inodes choose again"
# grow_to N: set nr_wb_shards to N and rewrite f0 until a choice is made
# among N shards (the wb takes the count at its next choice, in a work item)
grow_to() {
	echo "$1" > "$bdi/nr_wb_shards"
	for _t in 1 2 3 4 5 6 7 8 9 10; do
		traced rewrite 1
		grep -q " of $1 " /tmp/select && return 0
		sleep 0.5
	done
	fail "nr_wb_shards=$1 was not applied: no choice among $1 shards"
}
# inos told no prev, f0 (rewritten by grow_to) left out
fresh_inos() {
	grep ' prev=-1$' /tmp/select | grep -v " ino=$(stat -c %i /mnt/t/f0) " |
		grep -o ' ino=[0-9]*' | sort -u | wc -l
}
grow_to 2
i=0
while [ $i -lt 16 ]; do
	taskset -c $((i % 2)) dd if=/dev/urandom of=/mnt/t/f$i bs=4k count=2 2>/dev/null
	i=$((i + 1))
done
sync
traced rewrite 16
n=$(fresh_inos)
echo "2 shards, 16 cached files rewritten: $n of f1-f15 told no prev"
[ "$n" = 0 ] || { cat /tmp/select; fail "$n cached files were told no prev before any grow, expected 0"; }
grow_to "$cpus"
traced rewrite 16
n=$(fresh_inos) high=$(grep -c -E ' shard=([2-9]|[1-9][0-9]+) ' /tmp/select || true)
echo "$cpus shards, 16 cached files rewritten: $n of f1-f15 told no prev, $high choices of shard 2 or above"
[ "$n" = 15 ] || { cat /tmp/select; fail "$n of f1-f15 chose again after the grow, expected 15 (prev=-1)"; }
[ "$high" -ge 1 ] || { cat /tmp/select; fail "no cached file reached the new shards after the grow"; }
echo "ok"
