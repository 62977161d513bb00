#!/bin/bash
# make try POLICY=path/to/my.bpf.c [OPTS="-o key=value ..."]: the loop of a
# policy author.  Compiles the policy against the in-tree headers
# (vmlinux.h of the test kernel, include/, bpf/common.bpf.h), boots the VM,
# loads it with "wbctl load -f", runs a short fio write that is verified
# after a sync and a cache drop, and prints wbctl stats, the kernel's
# last_exit and any kernel warning (scripts/try-guest.sh).  Exits 0 only if
# the policy loaded, stayed loaded and the data verified, with no warning.
# CLANG and BPF_CFLAGS come from the Makefile, so that a policy is built
# as the tree's own are.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
if [ -z "${CLANG:-}" ] || [ -z "${BPF_CFLAGS:-}" ]; then
	echo "try: run it as 'make try POLICY=...', which passes CLANG and BPF_CFLAGS" >&2
	exit 2
fi
src=${1:-}
[ -n "$src" ] || { echo "usage: make try POLICY=path/to/my.bpf.c [OPTS='-o key=value']" >&2; exit 2; }
[ -r "$src" ] || { echo "try: cannot read $src" >&2; exit 2; }
name=$(basename "$src"); name=${name%.c}; name=${name%.bpf}
[[ $name =~ ^[A-Za-z0-9_]+$ ]] || { echo "try: name the file NAME.bpf.c with letters, digits and _ only, not '$name'" >&2; exit 2; }
dir=$BUILD/try
rm -rf "$dir"
mkdir -p "$dir"
echo "== $CLANG -c $src"
# shellcheck disable=SC2086 # BPF_CFLAGS is a list of flags
if ! $CLANG $BPF_CFLAGS -I"$top/bpf" -c "$src" -o "$dir/$name.bpf.o"; then
	echo "try: $src does not compile (above); the headers are include/wbext_bpf.h, bpf/common.bpf.h, bpf/throttle.bpf.h and $BUILD/include/vmlinux.h" >&2
	exit 1
fi
# mkinitramfs.sh puts build/try/*.bpf.o in the guest's /usr/local/lib/wbext/try
exec "$top/scripts/vm.sh" --timeout "${VM_TIMEOUT:-600}" --logdir "$dir/vm" \
	--append "brd.rd_nr=1 brd.rd_size=524288" \
	-- "sh /try-guest.sh /usr/local/lib/wbext/try/$name.bpf.o ${OPTS:-}"
