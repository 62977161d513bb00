# timeout: 600
# The benchmark's guest side (bench/bench-guest.sh), small: it runs on
# this kernel under the names the kernel and wbctl use (nr_wb_shards,
# debugfs wb_shards, a policy loaded and unloaded), and each RESULT line
# says what bench/summarize-bench.py reads: all the data written, files
# and extents counted, the shards that wrote from debugfs (one with nr1,
# at least two with rr).  A cgroup workload is preceded by an unrecorded
# warm-up in the cgroup (a new cgroup wb's first fill is written back as
# it goes: the first run would not be like the others).
. /tests/lib/lib.sh
all_shards
save_vm_dirty
[ "$cpus" -ge 2 ] || skip_env "needs 2 vCPUs for two shards (VM_CPUS=$cpus)"
DEV=ram0 MNT=/mnt/bench SIZE_MB=32 JOBS=2 FILES=2 NRFILES=16 \
	sh /bench/bench-guest.sh 1 "drain smallfiles cgdrain" "nr1 default rr" > /tmp/bg.out 2>&1 ||
	{ tail -n 20 /tmp/bg.out; fail "bench-guest.sh failed"; }
grep '^BOOT\|^RESULT\|^WARMUP' /tmp/bg.out
first=$(grep '^WARMUP cgdrain\|^RESULT 1 [^ ]* cgdrain ' /tmp/bg.out | head -n 1)
[ "$first" = "WARMUP cgdrain" ] ||
	fail "no warm-up in the cgroup before the first cgdrain run (first: '$first')"
grep -q "^BOOT 1 .* nr_wb_shards=$cpus " /tmp/bg.out ||
	fail "bench-guest.sh did not read nr_wb_shards=$cpus at start"
for c in nr1 default rr; do
	for w in drain smallfiles cgdrain; do
		# RESULT rep config workload fio_s sync_s read_kib write_kib
		# wb_cpu_s wb_runs pauses pause_s files extents cpu_by_cpu
		# shards top_shard_pct
		set -- $(grep "^RESULT 1 $c $w " /tmp/bg.out)
		[ $# = 17 ] || fail "$c $w: no RESULT line of 17 fields: $*"
		want=$((32 * 1024))
		[ "$w" = smallfiles ] && want=$((2 * 16 * 16))
		[ "$8" = "$want" ] || fail "$c $w: write_kib $8, expected $want"
		files=${13} extents=${14} shards=${16}
		[ "$files" -ge 1 ] && [ "$extents" -ge "$files" ] ||
			fail "$c $w: $files files, $extents extents"
		case $shards in *[!0-9]*|'') fail "$c $w: shards used '$shards' is not a count" ;; esac
		if [ $c = nr1 ]; then
			[ "$shards" = 1 ] || fail "nr1 $w: $shards shards wrote, expected 1"
		elif [ $c = rr ]; then
			# rr's one cursor gives consecutive new files other shards
			[ "$shards" -ge 2 ] && [ "$shards" -le "$cpus" ] ||
				fail "rr $w: $shards shards wrote, expected 2..$cpus"
		else
			[ "$shards" -ge 1 ] && [ "$shards" -le "$cpus" ] ||
				fail "$c $w: $shards shards wrote, expected 1..$cpus"
		fi
	done
done
[ "$(cat /sys/block/ram0/bdi/nr_wb_shards)" = "$cpus" ] ||
	fail "bench-guest.sh left nr_wb_shards at $(cat /sys/block/ram0/bdi/nr_wb_shards)"
[ "$(cat $wbx/state)" = disabled ] || fail "bench-guest.sh left a policy loaded: $(cat $wbx/ops)"
echo "ok: bench-guest.sh ran drain, smallfiles and cgdrain under nr1, default and rr"
