#!/bin/sh
# One boot of the benchmark (bench/run.sh): every workload under each of
# the configurations given, in that order, on XFS on a scratch device.
#   bench-guest.sh REP "WORKLOADS" "CONFIGS"
# Also runs as is on a real machine with the patched kernel installed (see
# bench/README.md); it needs root, fio, xfsprogs, e2fsprogs (filefrag),
# wbstat and, for the policies, wbctl.  Environment:
#   DEV      scratch block device, default ram0 (its data is destroyed)
#   MNT      mount point, default /mnt/bench
#   SIZE_MB  data per run (all jobs together) of rand4k, seq1m, mixed, drain
#   NRFILES  smallfiles: 16 KiB files per job
#   JOBS     fio jobs, default 8 (the original proposal's many writers)
#   FILES    files per job of rand4k, seq1m, mixed, drain, default 8: 64
#            files in all, more than the shards of any default (8)
#   JOBDIR   the fio job files, default the jobs/ beside this script
#   CG_WARMUP 0: no unrecorded warm-up run in the cgroup before a cg*
#            workload (default 1; see the loop at the end)
#   AGS      v3: allocation groups (and directories, and files per job),
#            default 8
# No job preallocates (fallocate=none): preallocated extents hide the
# fragmentation of delayed allocation, and most applications do not.
# mixed reads, so its files are laid out (written and synced) before the
# timed part, which then overwrites allocated blocks: it measures
# writeback beside reads, not allocation.
# Workloads: rand4k seq1m smallfiles mixed (under the default dirty
# limits, timed with the final sync), drain (dirty limits above the data,
# periodic writeback off: fill and sync reported apart); cgrand4k and
# cgdrain run rand4k and drain from a child memory+io cgroup, as a service
# under systemd does (system.slice/wbext-bench.service); v3 is upstream
# v3's job: mkfs.xfs -d agcount=AGS, one directory per AG.
# Configurations:
#   stock    whatever the kernel does (the unpatched kernel's boot);
#            stock2 the same, named apart (a second boot: the A/A floor)
#   direct   the workload with fio --direct=1, on this kernel (any name
#            that starts with "direct": the runner calls it direct-wbext
#            on the patched kernel, to compare the two boots' speed)
#   nr1      nr_wb_shards=1 (the patched kernel's stock path); nr1b the
#            same, named apart (the A/A floor inside one boot)
#   default  nr_wb_shards as at boot (min(CPUs, 8) shards), no policy
#   POLICY   default shards and "wbctl load POLICY" (rr, affinity, ...)
# Prints per run: RESULT rep config workload fio_s sync_s read_kib
#   write_kib wb_cpu_s wb_runs pauses pause_s files extents wb_cpu_by_cpu
#   shards top_shard_pct (the shards, of every wb of the device, whose
#   written count grew during the run, and the busiest one's share of the
#   pages written, from debugfs wb_shards; na on a stock kernel)
# and SERIES rep config workload t_s dev_mibps wb_done_mibps dirty_mib
# writeback_mib every 250 ms (the bandwidth-over-time graphs).
set -e
rep=$1 workloads=$2 configs=$3
here=$(cd "$(dirname "$0")" && pwd)
DEV=${DEV:-ram0} MNT=${MNT:-/mnt/bench}
SIZE_MB=${SIZE_MB:-512} NRFILES=${NRFILES:-1024} AGS=${AGS:-8}
JOBS=${JOBS:-8} FILES=${FILES:-8} JOBDIR=${JOBDIR:-$here/jobs}
bdi=/sys/class/bdi/$(basename "$(readlink "/sys/block/$DEV/bdi")")
nr_boot=$(cat "$bdi/nr_wb_shards" 2>/dev/null || echo 1)
tmp=${TMPDIR:-/tmp}/wbext-bench.$$
mkdir -p "$MNT" "$tmp"
. "$here/scratch.sh"

now() { awk '{print $1}' /proc/uptime; }
# "memcg/shard kB" for every shard of the device (patched kernel, debugfs)
shardsdbg=/sys/kernel/debug/bdi/$(basename "$bdi")/wb_shards
shard_written() { [ ! -r "$shardsdbg" ] || awk 'NR > 1 {print $1 "/" $2, $12}' "$shardsdbg"; }
die() { echo "bench: $*" >&2; exit 1; }

# The machine's own dirty limits are the "default" ones; drain raises them
# for one run, and they are put back after every run.
vm_dirty=$(for k in dirty_ratio dirty_background_ratio dirty_bytes \
		    dirty_background_bytes dirty_writeback_centisecs; do
		echo "$k $(cat /proc/sys/vm/$k)"
	done)
restore_limits() {
	# ratios first: writing one of a ratio/bytes pair zeroes the other
	echo "$vm_dirty" | while read -r k v; do
		case $k/$v in *_bytes/0) ;; *) echo "$v" > /proc/sys/vm/$k ;; esac
	done
}
drain_limits() {
	echo $(( (SIZE_MB + 1024) << 20 )) > /proc/sys/vm/dirty_bytes
	echo $(( (SIZE_MB + 512) << 20 )) > /proc/sys/vm/dirty_background_bytes
	echo 0 > /proc/sys/vm/dirty_writeback_centisecs
}

config_on() {
	case $1 in
	stock|stock2|direct*) ;;
	nr1|nr1b) echo 1 > "$bdi/nr_wb_shards" || die "cannot set nr_wb_shards: is this the patched kernel?" ;;
	*)
		[ -e "$bdi/nr_wb_shards" ] && echo "$nr_boot" > "$bdi/nr_wb_shards"
		[ "$1" = default ] || wbctl load "$1" > /dev/null ||
			die "wbctl load $1 failed"
		;;
	esac
}

config_off() {
	case $1 in
	stock|stock2|direct*|nr1|nr1b|default) ;;
	*) wbctl unload > /dev/null || die "wbctl unload failed" ;;
	esac
	[ -e "$bdi/nr_wb_shards" ] && echo "$nr_boot" > "$bdi/nr_wb_shards"
	return 0
}

# cgroup v2 as systemd sets it up: writers of cg* workloads go to $cg
cgroot=/sys/fs/cgroup cg=/sys/fs/cgroup/system.slice/wbext-bench.service
cg_setup() {
	grep -qw memory $cgroot/cgroup.controllers 2>/dev/null ||
		die "cg* workloads need cgroup v2 with the memory controller at $cgroot"
	echo "+memory +io" > $cgroot/cgroup.subtree_control
	mkdir -p $cgroot/system.slice
	echo "+memory +io" > $cgroot/system.slice/cgroup.subtree_control
	mkdir -p $cg
}

run() {		# run CONFIG WORKLOAD
	config=$1 w=$2 direct=0 job=${2#cg} incg=
	case $config in direct*) direct=1 ;; esac
	case $w in cg*) incg=$cg ;; esac
	[ "$job" = drain ] && job=rand4k
	scratch_fs xfs "$job"
	case $w in *drain) drain_limits ;; esac
	fiojob() {	# fiojob [FIO OPTIONS]: the workload's fio job
		DIR=$dirs SIZE=$((SIZE_MB / JOBS))M NRFILES=$NRFILES JOBS=$JOBS FILES=$FILES \
			AGS=$AGS FILESIZE=$((SIZE_MB * 1024 / JOBS / AGS))k \
			DIRECT=$direct sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"
			shift; exec fio --minimal "$@"' sh "$incg" "$@" "$JOBDIR/$job.fio"
	}
	# a job that reads lays its files out first: not part of the figures
	if grep -qE '^rw=(read|randread|rw|readwrite|randrw)$' "$JOBDIR/$job.fio"; then
		fiojob --create_only=1 > /dev/null || die "laying out $job's files failed"
	fi
	sync
	echo 3 > /proc/sys/vm/drop_caches
	wbstat -d "$DEV" -o "$tmp/series" > "$tmp/wbstat" &
	spid=$!
	while ! grep -q ready "$tmp/wbstat" 2>/dev/null; do
		kill -0 $spid 2> /dev/null || die "wbstat did not start"
		sleep 0.05
	done
	shard_written > "$tmp/shards0"
	t0=$(now)
	fiojob > "$tmp/fio" || die "fio $job failed"
	t1=$(now)
	sync
	t2=$(now)
	shard_written > "$tmp/shards1"
	shards=$(awk 'FILENAME == ARGV[1] {b[$1] = $2; next}
		$2 > b[$1] {n++; d = $2 - b[$1]; t += d; if (d > m) m = d}
		END {if (t) printf "%d %.0f", n, 100 * m / t; else print 0, "na"}' \
		"$tmp/shards0" "$tmp/shards1")
	[ -r "$shardsdbg" ] || shards="na na"
	kill -INT $spid
	wait $spid || true
	ext=$(find "$MNT" -type f | xargs filefrag 2>/dev/null |
		awk '{n++; e += $(NF - 2)} END {print n + 0, e + 0}')
	umount "$MNT"
	restore_limits
	io=$(awk -F';' '{r += $6; w += $47} END {print r, w}' "$tmp/fio")
	s=$(grep '^wbstat ' "$tmp/wbstat")
	val() { echo "$s" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
	echo "RESULT $rep $config $w $(echo "$t1 $t0" | awk '{print $1 - $2}')" \
		"$(echo "$t2 $t1" | awk '{print $1 - $2}') $io $(val wb_cpu_s)" \
		"$(val wb_runs) $(val pauses) $(val pause_s) $ext $(val wb_cpu_by_cpu) $shards"
	sed 1d "$tmp/series" | tr ',' ' ' | sed "s/^/SERIES $rep $config $w /"
}

[ "$(id -u)" = 0 ] || die "must run as root"
[ -b "/dev/$DEV" ] || die "no block device /dev/$DEV (set DEV)"
command -v wbstat > /dev/null || die "wbstat not in PATH (make install; or make progs: build/loader/wbstat)"
case " $workloads " in *" cg"*) cg_setup ;; esac
echo "BOOT $rep $(uname -r) cpus=$(nproc) nr_wb_shards=$nr_boot workloads=$workloads configs=$configs"
# The first run after boot is slower than the rest: one unrecorded warm-up.
run default rand4k > /dev/null
for w in $workloads; do
	# A cgroup wb that has written nothing has no share of the writeout,
	# so its first fill is written back as it goes (more extents, less
	# left to sync): an unrecorded warm-up in the cgroup first.
	# (CG_WARMUP=0 leaves it out, to see the difference.)
	case $w/${CG_WARMUP:-1} in cg*/1) echo "WARMUP $w"; run default "$w" > /dev/null ;; esac
	for c in $configs; do
		case $c/$w in direct*/*drain) continue ;; esac
		config_on "$c"
		run "$c" "$w"
		config_off "$c"
	done
done
rm -rf "$tmp"
