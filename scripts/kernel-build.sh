#!/bin/bash
# Configure and build one kernel flavour out of tree, with ccache:
#   test   patched, wbext.config + patched.config + debug.config -> build/out/test
#   bench  patched, wbext.config + patched.config                -> build/out/bench
#   stock  unpatched, wbext.config                -> build/out/stock
# The .config is only regenerated when a fragment changed, so kbuild
# rebuilds only what a patch touched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
flavour=${1:?usage: kernel-build.sh test|bench|stock}
frags=("$top/kernel-patches/wbext.config")
case $flavour in
test)	src=$BUILD/linux
	frags+=("$top/kernel-patches/patched.config" "$top/kernel-patches/debug.config")
	"$top/scripts/kernel-tree.sh" patched ;;
bench)	src=$BUILD/linux; frags+=("$top/kernel-patches/patched.config")
	"$top/scripts/kernel-tree.sh" patched ;;
stock)	src=$BUILD/linux-stock; "$top/scripts/kernel-tree.sh" stock ;;
*)	echo "kernel-build: unknown flavour $flavour" >&2; exit 2 ;;
esac
out=$BUILD/out/$flavour
mkdir -p "$out"

export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2025-01-01" KBUILD_BUILD_USER=wbext KBUILD_BUILD_HOST=wbext
mk() { make -s -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" "$@"; }

cfg_hash=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/.wbext-config" 2>/dev/null)" != "$cfg_hash" ] || [ ! -f "$out/.config" ]; then
	echo "kernel-build: configuring $flavour (tinyconfig + ${frags[*]##*/})"
	mk tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null
	mk olddefconfig >/dev/null
	# Options that kconfig silently dropped (unmet dependencies) break the
	# guest in confusing ways later: name them now.
	missing=$(grep -h '^CONFIG_' "${frags[@]}" | while read -r l; do
		grep -qx "$l" "$out/.config" || echo "$l"; done)
	if [ -n "$missing" ]; then
		echo "kernel-build: these fragment options did not survive olddefconfig:" >&2
		echo "$missing" | sed 's/^/  /' >&2
		exit 1
	fi
	echo "$cfg_hash" > "$out/.wbext-config"
fi

echo "kernel-build: building $flavour kernel in $out"
mk -j"$(nproc)" bzImage
ls -l "$out/arch/x86/boot/bzImage" "$out/vmlinux" | awk '{print "kernel-build:", $5, $9}'
