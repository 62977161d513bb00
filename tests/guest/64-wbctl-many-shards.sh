# timeout: 900
# More shards than CPUs, as on a machine with many CPUs: with nr_wb_shards
# 100 on 4 vCPUs every policy loads, its choices in the kernel's debugfs
# agree with its own stats for every shard (none folded: shards above 63
# are counted as themselves), rr, and numa and lb, which see 64 shards
# per bpf_wb_ext_shards() call, reach the high shards, a directory
# assigned to shard 99 gets its files there, and the data verifies.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
nr=100
echo $nr > "$bdi/nr_wb_shards" || fail "cannot set nr_wb_shards to $nr"
trap 'wbctl unload > /dev/null 2>&1; echo "$cpus" > "$bdi/nr_wb_shards"' EXIT
mkfs_mount xfs /dev/ram0 /mnt/t
sync

# files DIR N: N new files of 16 KiB of random bytes in DIR (md5sums in
# /tmp/sums: a file never written back reads as a hole, not as these)
: > /tmp/sums
files() {
	mkdir -p "$1"
	pattern_files /tmp/sums "$1" f "$2" 16
}
# shards_step NAME CMD...: step (lib.sh), keeping the shards that gained
# inodes; debugfs and the policy's stats must agree on every one
shards_step() {
	step "$@"
	for f in debugfs stats; do
		awk '$2 != 0' /tmp/$1.$f > /tmp/nz && mv /tmp/nz /tmp/$1.$f
	done
	[ -s /tmp/$1.stats ] || fail "$1: the policy counted no choice"
	diff /tmp/$1.debugfs /tmp/$1.stats > /dev/null ||
		fail "$1: debugfs (shard gained: $(tr '\n' ' ' < /tmp/$1.debugfs)) and the policy's stats ($(tr '\n' ' ' < /tmp/$1.stats)) disagree"
	hi=$(awk '$1 >= 64 {s += $2} END {print s + 0}' /tmp/$1.stats)
	echo "$1: $(wc -l < /tmp/$1.stats) shards got inodes, $hi of them on shards 64-99"
}

for p in rr affinity numa lb; do
	echo "== $p"
	wbctl load $p || fail "wbctl load $p failed"
	shards_step $p files /mnt/t/$p 300
	case $p in
	rr)	[ "$hi" -ge 50 ] ||
			fail "rr: only $hi of 300 inodes on shards 64-99 of $nr" ;;
	numa|lb)
		# bpf_wb_ext_shards() shows 64 shards per call: the policies'
		# windows must still reach the shards above them
		[ "$hi" -ge 10 ] ||
			fail "$p: only $hi of 300 inodes on shards 64-99 of $nr: its window of 64 shards does not move" ;;
	esac
	if [ $p = affinity ]; then
		mkdir -p /mnt/t/assigned
		wbctl assign /mnt/t/assigned 99 || fail "wbctl assign to shard 99 failed"
		shards_step assign files /mnt/t/assigned 8
		bad=$(awk '$1 != 99' /tmp/assign.stats)
		[ -z "$bad" ] || fail "assign: files of a directory assigned to shard 99 went elsewhere: $bad"
		wbctl assign -r /mnt/t/assigned || fail "wbctl assign -r failed"
	fi
	wbctl unload || fail "wbctl unload $p failed"
done
sync
crash_remount xfs /dev/ram0 /mnt/t
crash_verify /tmp/sums
