#!/bin/bash
# Boot a kernel under QEMU with the wbext initramfs and run one command in
# the guest.  The command's output (second serial port) streams to stdout;
# the kernel console is kept in LOGDIR/console.log.
#
#   vm.sh [options] -- 'shell command run in the guest'
#   vm.sh --shell                 interactive, console on this terminal
# Options:
#   --kernel BZIMAGE   default build/out/test/arch/x86/boot/bzImage
#   --cpus N           vCPUs (default 4)     --nodes N   NUMA nodes (default 2)
#   --mem MIB          guest memory (default 4096)
#   --timeout S        kill the guest after S seconds (default 900)
#   --append ARGS      extra kernel command line
#   --logdir DIR       where console.log and out.log go (default build/vm)
#   --nvme MIB         size of the emulated NVMe drive, /dev/nvme0n1 in the
#                      guest: a sparse file in LOGDIR (default 2048; 0: none)
#   --hostroot         the host's / read only at /host in the guest (9p):
#                      the tests check wbctl's JSON with the host's python3
# Exit status: the guest command's own, 124 when the guest timed out, 125
# when it died (panic, reboot) before the command finished.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
kernel=$BUILD/out/test/arch/x86/boot/bzImage
cpus=4 nodes=2 mem=4096 timeout=900 append="" logdir=$BUILD/vm shell=0 run=""
hostroot=0
nvme=${VM_NVME_MB:-2048}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--nodes) nodes=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--logdir) logdir=$2; shift 2 ;;
	--nvme) nvme=$2; shift 2 ;;
	--hostroot) hostroot=1; shift ;;
	--shell) shell=1; shift ;;
	--) shift; run="$*"; break ;;
	*) echo "vm.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
	esac
done
[ -f "$kernel" ] || { echo "vm.sh: no kernel at $kernel: run 'make kernel'" >&2; exit 2; }
[ "$nodes" -gt "$cpus" ] && nodes=$cpus
[ "$nodes" -lt 1 ] && nodes=1

mkdir -p "$logdir"
initrd=$logdir/initramfs.cpio
"$top/scripts/mkinitramfs.sh" "$initrd" "$run"

# NUMA: vCPUs and memory split evenly over the nodes (ACPI SRAT).
numa=()
for ((n = 0; n < nodes; n++)); do
	lo=$((n * cpus / nodes)); hi=$(((n + 1) * cpus / nodes - 1))
	numa+=(-object "memory-backend-ram,id=m$n,size=$((mem / nodes))M"
	       -numa "node,nodeid=$n,cpus=$lo-$hi,memdev=m$n")
done

# QEMU's NVMe controller on a fresh sparse file: each boot starts empty.
# cache=unsafe: the host's page cache, never flushed, as brd is memory.
drives=()
if [ "$nvme" -gt 0 ]; then
	rm -f "$logdir/nvme.img"
	truncate -s "${nvme}M" "$logdir/nvme.img"
	trap 'rm -f "$logdir/nvme.img"' EXIT
	drives=(-drive "file=$logdir/nvme.img,if=none,id=nvm,format=raw,cache=unsafe"
		-device "nvme,serial=wbext0,drive=nvm")
fi

# --hostroot: only for the tests, which check wbctl's JSON with the
# host's python3 (chroot /host), which the initramfs lacks
if [ "$hostroot" = 1 ]; then
	drives+=(-fsdev "local,id=host,path=/,security_model=none,readonly=on,multidevs=remap"
		 -device "virtio-9p-pci,fsdev=host,mount_tag=hostroot")
fi

# KVM cannot run a guest on these machines (it hangs in the BIOS): TCG unless
# the user insists with WBEXT_ACCEL=kvm.
accel=${WBEXT_ACCEL:-tcg,thread=multi}
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=4 printk.devkmsg=on $append"
qemu=(qemu-system-x86_64 -accel "$accel" -nodefaults -display none -no-reboot
      -smp "$cpus" -m "$((mem / nodes * nodes))M" "${numa[@]}"
      "${drives[@]}" -kernel "$kernel" -initrd "$initrd" -append "$cmdline")

if [ "$shell" = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio -serial null
fi

console=$logdir/console.log out=$logdir/out.log
: > "$console"; : > "$out"
timeout -s KILL "$timeout" "${qemu[@]}" -monitor none \
	-serial "file:$console" -serial "file:$out" &
qpid=$!
# the guest's tty turns \n into \r\n
tail -n +1 -f --pid=$qpid "$out" | sed -u 's/\r$//' |
	grep --line-buffered -v '^wbext-vm: done rc=' || true
set +e
wait $qpid
qrc=$?
set -e
rc=$(tr -d '\r' < "$out" | sed -n 's/^wbext-vm: done rc=\([0-9]*\).*/\1/p' | tail -n1)
if [ -n "$rc" ]; then
	exit "$rc"
fi
if [ $qrc = 137 ]; then
	echo "vm.sh: the guest did not finish within ${timeout}s; killed it" >&2
	rc=124
else
	echo "vm.sh: the guest died before its command finished (qemu exit $qrc)" >&2
	rc=125
fi
echo "vm.sh: last lines of the console ($console):" >&2
tail -n 40 "$console" | sed 's/^/  | /' >&2
exit $rc
