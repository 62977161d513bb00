#!/bin/bash
# Install (with apt) what the build, the VM and the tests need.
# Quick when everything is already there: only dpkg is asked.
set -euo pipefail
pkgs=(
	linux-source-6.12 build-essential bc flex bison libelf-dev libssl-dev
	libcap-dev zlib1g-dev libzstd-dev pkg-config dwarves ccache rsync kmod cpio
	clang-19 llvm-19 lld-19
	qemu-system-x86 busybox-static fio xfsprogs e2fsprogs btrfs-progs
	gnuplot-nox python3 git libfuse3-dev python3-docutils systemd
	linux-config-6.12 dpkg-dev debhelper
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (or apt-get install them) and retry" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q "${missing[@]}" >/dev/null
