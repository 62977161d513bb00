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
# xfs; ext4 has no allocs, and puts v3's files in DIRS top-level
# directories, default 1), MKFS_OPTS (ext4's mkfs).
# Prints per run: FRAG config extents_per_file fill_wb_mib visits
#   pages_per_visit allocs blocks_per_alloc dirty_max_mib fill_s forks
#   shards sync_allocs sync_breaks sync_taken
# visits: writeback_single_inode calls during the fill that wrote pages;
# allocs: delalloc conversions (xfs_map_blocks_alloc) during the fill;
# forks: shard passes run by writeback_shard's workers during the fill
# (a pass forked: a sync, or writers paused above the freerun ceiling);
# shards: how many shards the inodes dirtied during the fill (the
# directories' too) were put on (writeback_shard_select), 1 when none
# was chosen (one shard); ext4 only (else 0), from ext4_mballoc_alloc
# during the final sync: sync_allocs, block allocations; sync_breaks,
# those that did not continue their file's previous one; sync_taken,
# breaks where another file's allocation since then holds the block
# where the file would have continued (two files interleaved).
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
	echo 1 > $tr/events/writeback/writeback_shard_select/enable
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
	echo 0 > $tr/events/writeback/writeback_shard_select/enable
	kill $dpid
	wait $dpid 2> /dev/null || true
	cp $tr/trace /tmp/trace
	echo > $tr/trace
	[ "$FS" != ext4 ] || echo 1 > $tr/events/ext4/ext4_mballoc_alloc/enable
	sync
	[ "$FS" != ext4 ] || echo 0 > $tr/events/ext4/ext4_mballoc_alloc/enable
	# "... inode 12 orig ... goal ... result 3/1024/2048@4096 blks ..."
	salloc=$(awk '/ext4_mballoc_alloc:/ {
		for (i = 1; i < NF; i++) {
			if ($i == "inode") ino = $(i + 1)
			if ($i == "result") r = $(i + 1)
		}
		split(r, a, "[/@]"); n++
		g[n] = a[1]; st[n] = a[2]; ln[n] = a[3]; who[n] = ino
		if (ino in lastn && a[4] > 0) {
			k = lastn[ino]
			if (a[1] != g[k] || a[2] != st[k] + ln[k]) {
				br++
				for (j = k + 1; j < n; j++)
					if (who[j] != ino && g[j] == g[k] && st[j] <= st[k] + ln[k] &&
					    st[k] + ln[k] < st[j] + ln[j]) { tk++; break }
			}
		}
		lastn[ino] = n
	} END {printf "%d %d %d", n, br, tk}' $tr/trace)
	ext=$(find "$MNT" -type f | xargs filefrag 2>/dev/null |
		awk '{n++; e += $(NF - 2)} END {printf "%.1f", e / n}')
	umount "$MNT"
	[ -z "$bg" ] || echo "$bg0" > /proc/sys/vm/dirty_background_ratio
	lost=$(grep -c 'LOST' /tmp/trace || true)
	[ "$lost" = 0 ] || echo "frag: $c: trace lost events, figures are low" >&2
	[ -z "$warm" ] || { echo "WARMUP $c $ext"; continue; }
	awk -v c="$c" -v ext="$ext" -v fill="$t1 $t0" -v salloc="$salloc" '
		/writeback_single_inode:/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^wrote=/) w = substr($i, 7) + 0
			if (w) { v++; p += w }
		}
		/xfs_map_blocks_alloc:/ {
			for (i = 1; i < NF; i++) if ($i == "fsbcount") { a++; b += $(i + 1) + 0 }
		}
		/function wb_shard_workfn/ { f++ }
		/writeback_shard_select:/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^shard=/ && !($i in sh)) { sh[$i]; ns++ }
		}
		END {
			split(fill, t, " ")
			while ((getline d < "/tmp/dirty") > 0) if (d > dm) dm = d
			printf "FRAG %s %s %.0f %d %.0f %d %.1f %.0f %.1f %d %d %s\n", c, ext,
				p * 4 / 1024, v, v ? p / v : 0, a, a ? b / a : 0,
				dm / 1024, t[1] - t[2], f, ns ? ns : 1, salloc
		}' /tmp/trace
done
echo 0 > /proc/sys/vm/dirty_background_bytes 2> /dev/null || true
echo "$bg0" > /proc/sys/vm/dirty_background_ratio
