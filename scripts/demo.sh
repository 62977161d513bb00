#!/bin/bash
# make demo: boot the test kernel and run bench/demo-guest.sh in it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
exec "$top/scripts/vm.sh" --cpus "${VM_CPUS:-4}" --nodes "${VM_NODES:-2}" \
	--mem "${VM_MEM:-4096}" --timeout "${VM_TIMEOUT:-900}" \
	--append "brd.rd_nr=1 brd.rd_size=1048576" \
	--logdir "$top/build/demo" -- "sh /bench/demo-guest.sh"
