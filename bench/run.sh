#!/bin/bash
# The benchmark (make bench): every workload under every configuration,
# stock kernel against the patched one, alternated within one run.
#   bench/run.sh [REPS]          (default 3)
# Environment:
#   VM_CPUS    vCPUs, default the host's cores (the scaling parameter)
#   SIZE_MB    data per run, default 512 (more than the VM's dirty limit)
#   NRFILES    smallfiles: files of 16 KiB per job, default 4096
#   WORKLOADS  default "rand4k seq1m smallfiles mixed drain cgrand4k cgdrain"
#   POLICIES   wbctl policies, default "rr affinity numa lb" ("" for none)
#   RESULTS    output directory, default bench/results
#   DEV        the device: ram0 (brd, default) or nvme0n1 (QEMU's emulated
#              NVMe controller: the nvme driver, interrupts, completions,
#              on a sparse file in the host's page cache)
# Each repetition boots the stock kernel (configurations stock, direct) and
# the patched bench kernel (nr1, default, each policy, direct-wbext: direct
# I/O again, to compare the two boots' speed), in alternating order;
# inside a boot the configurations rotate from one repetition to the
# next, so that drift over the run hits all of them alike.  Both kernels
# are built without lock debugging (make kernel-bench kernel-stock).
# Writes RESULTS/bench.csv (one line per run), series.csv (bandwidth over
# time), bench.md and the plots (bench/collect.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
reps=${1:-3}
cpus=${VM_CPUS:-$(nproc)}
size=${SIZE_MB:-512}
nrfiles=${NRFILES:-4096}
workloads=${WORKLOADS:-rand4k seq1m smallfiles mixed drain cgrand4k cgdrain}
policies=${POLICIES-rr affinity numa lb}
out=${RESULTS:-$top/bench/results}
dev=${DEV:-ram0}
case $dev in
ram0) devname=brd nvme_mb=0 ;;
nvme0n1) devname="QEMU's NVMe" nvme_mb=$((size * 2 + 1024)) ;;
*) echo "bench: DEV=$dev: ram0 or nvme0n1" >&2; exit 2 ;;
esac
mem=$((size * 2 + 1024 + 64 * cpus))
logs=$BUILD/bench-vm/$(basename "$out")
stock=$BUILD/out/stock/arch/x86/boot/bzImage
patched=$BUILD/out/bench/arch/x86/boot/bzImage
for k in "$stock" "$patched"; do
	[ -f "$k" ] || { echo "bench: no $k: run 'make kernel-bench kernel-stock'" >&2; exit 1; }
done
[ -x "$BUILD/bench/wbstat" ] || { echo "bench: no $BUILD/bench/wbstat: run 'make progs'" >&2; exit 1; }
mkdir -p "$out" "$logs"

rotate() {	# rotate N WORDS...: the words, starting at the Nth
	local n=$1; shift
	local a=("$@")
	local i
	for ((i = 0; i < ${#a[@]}; i++)); do
		echo -n "${a[(i + n) % ${#a[@]}]} "
	done
}

logs_run=()
boot() {	# boot REP NAME KERNEL "CONFIGS"
	local log=$logs/rep$1-$2
	mkdir -p "$log"
	echo "bench: rep $1, $2 kernel: $4" >&2
	"$top/scripts/vm.sh" --kernel "$3" --cpus "$cpus" --nodes 1 --mem "$mem" \
		--timeout 3000 --logdir "$log" --nvme "$nvme_mb" \
		--append "brd.rd_nr=1 brd.rd_size=$(( (2 * size + 256) * 1024 ))" \
		-- "DEV=$dev SIZE_MB=$size NRFILES=$nrfiles sh /bench/bench-guest.sh $1 '$workloads' '$4'" \
		> "$log/guest.txt" || {
		echo "bench: rep $1 on the $2 kernel failed; guest output and console in $log" >&2
		tail -n 5 "$log/guest.txt" >&2
		exit 1
	}
	logs_run+=("$log/guest.txt")
	grep '^RESULT' "$log/guest.txt" | awk '{printf "  %-8s %-10s fio %6.2fs sync %5.2fs\n", $3, $4, $5, $6}' >&2
}

start=$(date +%s)
for ((r = 1; r <= reps; r++)); do
	s="$(rotate $((r - 1)) stock direct)"
	p="$(rotate $((r - 1)) nr1 default $policies direct-wbext)"
	if ((r % 2)); then
		boot "$r" stock "$stock" "$s"
		boot "$r" patched "$patched" "$p"
	else
		boot "$r" patched "$patched" "$p"
		boot "$r" stock "$stock" "$s"
	fi
done
echo "bench: $reps repetitions in $(( ($(date +%s) - start) / 60 )) min" >&2
host="$(nproc) cores, $(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -n1)"
"$top/bench/collect.sh" "$out" "$cpus" "$size" \
	"QEMU TCG on $host, XFS on $devname" "${logs_run[@]}"
