#!/bin/bash
# Extents per file against the shard count, in one boot (make bench-frag):
# bench/frag-guest.sh with each configuration REPS times in a seeded
# shuffled order, after an unrecorded warm-up; then the median and range
# of every figure per configuration, and each configuration's median
# extents against nr1's with nr1's own spread as the floor.
#   run-frag.sh [REPS]
# Environment: KERNEL (default build/out/test's bzImage), CONFIGS (default
# "nr1 nr2 nr4"), JOB (v3 or rand4k), FS (xfs or ext4), JOBS (default 2:
# upstream v3's 16 files of 32 MiB), SIZE_MB (512), DIRS and MKFS_OPTS
# (ext4: bench/scratch.sh), DEV (ram0, the default, or nvme0n1: QEMU's
# emulated NVMe), DEV_MB (the device's size, default twice the data and
# 256 MiB), SEED, RESULTS
# (default build/bench-frag; the guest output and frag.md go there),
# SUMMARY=1 (no boot: summarise RESULTS/guest.txt again).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
reps=${1:-5}
kernel=${KERNEL:-$BUILD/out/test/arch/x86/boot/bzImage}
configs=${CONFIGS:-nr1 nr2 nr4}
job=${JOB:-v3} fs=${FS:-xfs} jobs=${JOBS:-2} size=${SIZE_MB:-512}
seed=${SEED:-$(date +%s)}
out=${RESULTS:-$BUILD/bench-frag}
dev=${DEV:-ram0} dev_mb=${DEV_MB:-$((2 * size + 256))}
case $dev in
ram0) brd_mb=$dev_mb nvme_mb=0 ;;
nvme0n1) brd_mb=16 nvme_mb=$dev_mb ;;
*) echo "bench-frag: DEV=$dev: ram0 or nvme0n1" >&2; exit 2 ;;
esac
[ -f "$kernel" ] || { echo "bench-frag: no $kernel: run 'make kernel'" >&2; exit 1; }
mkdir -p "$out"

order=$(for ((r = 0; r < reps; r++)); do printf '%s\n' $configs; done |
	awk -v s="$seed" 'BEGIN {srand(s % 1000003)} {print rand() "\t" $0}' |
	LC_ALL=C sort -n | cut -f2 | tr '\n' ' ')
# one directory per results directory: two runs at once must not share
# the guest's console and output files
vmlog=$BUILD/bench-frag-vm/$(basename "$out")
[ "${SUMMARY:-0}" = 1 ] || {
	echo "bench-frag: seed $seed, $job on $fs, order: $order" >&2
	{
		echo "# seed $seed job $job fs $fs jobs $jobs size_mb $size dev $dev dev_mb $dev_mb dirs ${DIRS:-1} mkfs_opts '${MKFS_OPTS:-}' kernel $kernel"
		"$top/scripts/vm.sh" --kernel "$kernel" --cpus 2 --nodes 1 --mem 4096 --nvme "$nvme_mb" \
			--timeout 3000 --logdir "$vmlog" \
			--append "brd.rd_nr=1 brd.rd_size=$(( brd_mb * 1024 ))" \
			-- "DEV=$dev JOB=$job FS=$fs JOBS=$jobs SIZE_MB=$size DIRS=${DIRS:-1} MKFS_OPTS='${MKFS_OPTS:-}' sh /bench/frag-guest.sh '$order'"
	} > "$out/guest.txt" || {
		echo "bench-frag: the guest failed; output in $out/guest.txt, console in $vmlog" >&2
		exit 1
	}
}

# median and range per configuration; extents against nr1's median
awk '
	/^FRAG/ {
		c = $2; n[c]++; if (!(c in seen)) { seen[c] = 1; order[++nc] = c }
		for (f = 3; f <= 15; f++) v[c, f, n[c]] = $f
		if (NF < 11) nof[c] = 1	# a guest from before the forks column
		if (NF < 12) nos[c] = 1	# ... or the shards column
		if (NF < 15) noa[c] = 1	# ... or the sync allocation columns
	}
	function med(c, f,   i, j, t, a, k) {
		k = n[c]
		for (i = 1; i <= k; i++) a[i] = v[c, f, i]
		for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
		lo = a[1]; hi = a[k]
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		split("extents/file fill_wb_MiB visits pages/visit allocs blocks/alloc dirty_max_MiB fill_s forks shards sync_allocs sync_breaks sync_taken", name, " ")
		printf "| config | n |"
		for (f = 1; f <= 13; f++) printf " %s |", name[f]
		printf " extents vs nr1 |\n|---|---|"
		for (f = 1; f <= 13; f++) printf "---|"
		print "---|"
		if ("nr1" in seen) { base = med("nr1", 3); blo = lo / base; bhi = hi / base }
		for (i = 1; i <= nc; i++) {
			c = order[i]
			printf "| %s | %d |", c, n[c]
			for (f = 3; f <= 15; f++) {
				if ((f == 11 && nof[c]) || (f == 12 && nos[c]) || (f > 12 && noa[c])) { printf " na |"; continue }
				m = med(c, f)
				printf " %g (%g-%g) |", m, lo, hi
			}
			m = med(c, 3)
			if (base) printf " %.2fx (%.2f-%.2f; nr1 floor %.2f-%.2f) |\n", m / base, lo / base, hi / base, blo, bhi
			else print " |"
		}
	}' "$out/guest.txt" > "$out/frag.md"
cat "$out/frag.md"
