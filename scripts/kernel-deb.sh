#!/bin/bash
# make deb: a Debian kernel package of the patched kernel for a real
# machine.  Starts from a distribution config (KCONFIG: default Debian's
# amd64 config from linux-config-6.12; or e.g. /boot/config-$(uname -r)),
# merges patched.config and deb.config, checks that every option survived
# olddefconfig, and runs bindeb-pkg with LOCALVERSION=-wbext.  Packages in
# build/deb/<config name>/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
KCONFIG=${KCONFIG:-/usr/src/linux-config-6.12/config.amd64_none_amd64.xz}
die() { echo "kernel-deb: $*" >&2; exit 1; }
[ -r "$KCONFIG" ] || die "cannot read KCONFIG=$KCONFIG (Debian's configs: apt-get install linux-config-6.12)"
# Debian publishes linux-config-6.12 only at the newest version, while the
# source is pinned to BASE-VERSION: say so when they differ
base=$(cat "$top/kernel-patches/BASE-VERSION")
case $KCONFIG in
/usr/src/linux-config-6.12/*)
	cfgver=$(dpkg-query -W -f='${Version}' linux-config-6.12 2>/dev/null || echo unknown)
	[ "$cfgver" = "$base" ] ||
		echo "kernel-deb: note: the config is linux-config-6.12 $cfgver (Debian keeps only the newest), the source $base; olddefconfig fills in what differs" ;;
esac
"$top/scripts/kernel-tree.sh" patched
src=$BUILD/linux
name=$(basename "$KCONFIG" .xz)
name=${name#config.}
# build/out/test/.config -> "test"
[ "$name" != .config ] || name=$(basename "$(dirname "$(realpath "$KCONFIG")")")
out=$BUILD/out/deb-$name debs=$BUILD/deb/$name
frags=("$top/kernel-patches/patched.config" "$top/kernel-patches/deb.config")
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2025-01-01" KBUILD_BUILD_USER=wbext KBUILD_BUILD_HOST=wbext
mk() { make -s -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" LOCALVERSION=-wbext "$@"; }

mkdir -p "$out"
case $KCONFIG in
*.xz) xz -dc "$KCONFIG" > "$out/.config.dist" ;;
*) cp "$KCONFIG" "$out/.config.dist" ;;
esac
cfg_hash=$(cat "$out/.config.dist" "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/.wbext-config" 2>/dev/null)" != "$cfg_hash" ]; then
	echo "kernel-deb: configuring from $KCONFIG + ${frags[*]##*/}"
	cp "$out/.config.dist" "$out/.config"
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" > /dev/null
	# a distribution's signing keys are not in the source package
	"$src/scripts/config" --file "$out/.config" --set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str SYSTEM_REVOCATION_KEYS "" --set-str LOCALVERSION ""
	mk olddefconfig > /dev/null
	missing=$(grep -h '^CONFIG_' "${frags[@]}" | while read -r l; do
		grep -qx "$l" "$out/.config" || echo "$l"; done)
	[ -z "$missing" ] || die "these options did not survive olddefconfig (missing dependencies in $KCONFIG?):
$(echo "$missing" | sed 's/^/  /')"
	echo "$cfg_hash" > "$out/.wbext-config"
fi
rel=$(mk -s kernelrelease)
echo "kernel-deb: building $rel packages in $out ($(nproc) CPUs)"
start=$(date +%s)
rm -f "$BUILD"/out/*.deb "$BUILD"/out/*.buildinfo "$BUILD"/out/*.changes
# -d: the build dependencies are what make deps installed, not debhelper's
# no -dbg package: a distribution config has DEBUG_INFO (for BTF), and
# the debug symbols of every module would double the build's packaging
mk -j"$(nproc)" bindeb-pkg DPKG_FLAGS=-d KDEB_PKGVERSION="$rel-1" \
	DEB_BUILD_PROFILES=pkg.linux-upstream.nokerneldbg > "$out/deb.log" 2>&1 ||
	{ tail -n 40 "$out/deb.log" >&2; die "bindeb-pkg failed; log: $out/deb.log"; }
rm -rf "$debs"
mkdir -p "$debs"
mv "$BUILD"/out/*.deb "$debs/"
rm -f "$BUILD"/out/*.buildinfo "$BUILD"/out/*.changes
image=$(ls "$debs"/linux-image-"$rel"_*.deb)
echo "kernel-deb: built in $(( $(date +%s) - start )) s:"
ls -1 "$debs" | sed 's/^/  /'
cat <<EOM
Install on the machine to speed up (as root), then reboot into it:
  dpkg -i $image
  reboot       # choose $rel in GRUB ("Advanced options") if a newer
               # kernel is installed; with Secure Boot on, this unsigned
               # kernel does not boot: enroll a key or turn it off
Userspace: make install (wbctl, wbstat, wbext.service); check with
  uname -r; ls /sys/kernel/wb_ext; wbctl status
To go back: pick the previous kernel under "Advanced options" in GRUB,
then: apt-get remove linux-image-$rel
EOM
