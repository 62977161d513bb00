#!/bin/bash
# Install (with apt) what the build, the VM and the tests need.
# Quick when everything is already there: only dpkg is asked.
#   deps.sh          install what is missing
#   deps.sh --print  print the apt-get command line it would run for a
#                    machine with nothing installed (tests/host/deps-pin)
# linux-source-6.12 is pinned to kernel-patches/BASE-VERSION, the version
# the series applies to: Debian's security updates replace it in place,
# and a newer one may not take the series ('make rebase' moves the pin).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cat "$top/kernel-patches/BASE-VERSION")
pkgs=(
	"linux-source-6.12=$base" build-essential bc flex bison libelf-dev
	libssl-dev libcap-dev zlib1g-dev libzstd-dev pkg-config dwarves ccache
	rsync kmod cpio clang-19 llvm-19 lld-19
	qemu-system-x86 busybox-static fio xfsprogs e2fsprogs btrfs-progs
	gnuplot-nox python3 git libfuse3-dev python3-docutils systemd
	linux-config-6.12 dpkg-dev debhelper
)
install=(apt-get install -y -q --allow-downgrades)
if [ "${1:-}" = --print ]; then
	echo "${install[*]} ${pkgs[*]}"
	exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*} want=${p#*=}
	have=$(dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null) || true
	case $have in
	"install ok installed "*) [ "$p" = "$name" ] || [ "${have##* }" = "$want" ] ||
		missing+=("$p") ;;
	*) missing+=("$p") ;;
	esac
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
if ! "${install[@]}" "${missing[@]}" > /tmp/wbext-deps.log 2>&1; then
	cat /tmp/wbext-deps.log >&2
	if ! apt-cache madison linux-source-6.12 | grep -F "| $base |" >/dev/null; then
		echo "deps: Debian's archive no longer has linux-source-6.12 $base," \
		     "the version kernel-patches/ is made for; 'apt-cache madison" \
		     "linux-source-6.12' lists those it has: move the series with" \
		     "'make rebase VERSION=...' (README)" >&2
	fi
	exit 1
fi
