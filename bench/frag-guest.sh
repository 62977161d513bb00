#!/bin/sh
# Where the extents of a sparse fill come from (docs/design.md, "Extents
# per file with several shards"): runs one fio job per configuration, in
# the order given, on a new XFS on $DEV, and traces the writeback done
# during the fill (not the final sync).
#   frag-guest.sh "CONFIGS"
# CONFIGS: nrN (nr_wb_shards=N), optionally /bgM (dirty_background_bytes
# M MiB for that run), e.g. "nr1 nr2 nr4 nr1/bg64".  The first run of a
# boot leaves more extents than the rest: an unrecorded warm-up with the
# first configuration runs before them (WARMUP=0: not).
# Environment: DEV (default ram0), JOB (v3 or rand4k, default v3),
# SIZE_MB (512), JOBS (8), AGS (8), FILES (8), FS (xfs or ext4, default
# xfs; ext4 runs v3's files in one directory, and has no allocs).
# Prints per run: FRAG config extents_per_file fill_wb_mib visits
#   pages_per_visit allocs blocks_per_alloc dirty_max_mib fill_s forks
# visits: writeback_single_inode calls during the fill that wrote pages;
# allocs: delalloc conversions (xfs_map_blocks_alloc) during the fill;
# forks: shard passes run by writeback_shard's workers during the fill
# (a pass forked: a sync, or writers paused above the freerun ceiling).
set -e
configs=$1
DEV=${DEV:-ram0} MNT=${MNT:-/mnt/frag} JOB=${JOB:-v3}
SIZE_MB=${SIZE_MB:-512} JOBS=${JOBS:-8} AGS=${AGS:-8} FILES=${FILES:-8}
FS=${FS:-xfs}
here=$(cd "$(dirname "$0")" && pwd)
bdi=/sys/class/bdi/$(basename "$(readlink "/sys/block/$DEV/bdi")")
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs none $tr
echo 65536 > $tr/buffer_size_kb
mkdir -p "$MNT"
. "$here/scratch.sh"
bg0=$(cat /proc/sys/vm/dirty_background_ratio)

[ "${WARMUP:-1}" = 0 ] || configs="warmup:${configs%% *} $configs"
for c in $configs; do
	warm=${c%%:*}
	[ "$warm" = warmup ] && c=${c#warmup:} || warm=
	nr=${c%%/*} nr=${nr#nr} bg=
	case $c in */bg*) bg=${c#*/bg} ;; esac
	echo "$nr" > "$bdi/nr_wb_shards"
	[ -z "$bg" ] || echo $((bg << 20)) > /proc/sys/vm/dirty_background_bytes
	scratch_fs "$FS" "$JOB"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	echo > $tr/trace
	echo 1 > $tr/events/writeback/writeback_single_inode/enable
	echo 1 > $tr/events/xfs/xfs_map_blocks_alloc/enable
	echo 1 > $tr/events/workqueue/workqueue_execute_start/enable
	(while :; do awk '/^Dirty:/ {print $2}' /proc/meminfo; sleep 0.2; done) > /tmp/dirty &
	dpid=$!
	t0=$(awk '{print $1}' /proc/uptime)
	DIR=$dirs SIZE=$((SIZE_MB / JOBS))M JOBS=$JOBS FILES=$FILES AGS=$AGS \
		FILESIZE=$((SIZE_MB * 1024 / JOBS / AGS))k DIRECT=0 \
		fio --minimal "$here/jobs/$JOB.fio" > /dev/null
	t1=$(awk '{print $1}' /proc/uptime)
	echo 0 > $tr/events/writeback/writeback_single_inode/enable
	echo 0 > $tr/events/xfs/xfs_map_blocks_alloc/enable
	echo 0 > $tr/events/workqueue/workqueue_execute_start/enable
	kill $dpid
	wait $dpid 2> /dev/null || true
	cp $tr/trace /tmp/trace
	sync
	ext=$(find "$MNT" -type f | xargs filefrag 2>/dev/null |
		awk '{n++; e += $(NF - 2)} END {printf "%.1f", e / n}')
	umount "$MNT"
	[ -z "$bg" ] || echo "$bg0" > /proc/sys/vm/dirty_background_ratio
	lost=$(grep -c 'LOST' /tmp/trace || true)
	[ "$lost" = 0 ] || echo "frag: $c: trace lost events, figures are low" >&2
	[ -z "$warm" ] || { echo "WARMUP $c $ext"; continue; }
	awk -v c="$c" -v ext="$ext" -v fill="$t1 $t0" '
		/writeback_single_inode:/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^wrote=/) w = substr($i, 7) + 0
			if (w) { v++; p += w }
		}
		/xfs_map_blocks_alloc:/ {
			for (i = 1; i < NF; i++) if ($i == "fsbcount") { a++; b += $(i + 1) + 0 }
		}
		/function wb_shard_workfn/ { f++ }
		END {
			split(fill, t, " ")
			while ((getline d < "/tmp/dirty") > 0) if (d > dm) dm = d
			printf "FRAG %s %s %.0f %d %.0f %d %.1f %.0f %.1f %d\n", c, ext,
				p * 4 / 1024, v, v ? p / v : 0, a, a ? b / a : 0,
				dm / 1024, t[1] - t[2], f
		}' /tmp/trace
done
echo 0 > /proc/sys/vm/dirty_background_bytes 2> /dev/null || true
echo "$bg0" > /proc/sys/vm/dirty_background_ratio
