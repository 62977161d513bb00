#!/bin/bash
# make check-series: every patch of kernel-patches/ compiles on its own.
# Checks out each commit of build/linux (base..HEAD) in a worktree and
# compiles, with -Werror, the objects the series touches (writeback, the
# opted-in filesystems, FUSE, wb_ext from the commit that adds it) in a
# test-flavour build directory with btrfs added (build/out/series): 9
# minutes cold on 2 cores.  FULL=1 then links a vmlinux at every commit,
# which also catches users of the changed headers elsewhere in the tree
# (fs.h, backing-dev-defs.h): 2 h 4 min on 2 cores (2026-12-02, niced
# beside other builds), every commit ok.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
"$top/scripts/kernel-tree.sh" patched
src=$BUILD/linux wt=$BUILD/linux-series out=$BUILD/out/series
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
mk() { make -s -C "$wt" O="$out" ARCH=x86_64 CC="ccache gcc" "$@"; }
[ -d "$wt" ] || git -C "$src" worktree add -q --detach "$wt" HEAD
mkdir -p "$out"
fail=0
for c in $(git -C "$src" rev-list --reverse base..HEAD); do
	git -C "$wt" checkout -q "$c"
	if [ ! -f "$out/.config" ]; then
		mk tinyconfig > /dev/null
		"$wt/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
			"$top"/kernel-patches/{wbext,patched,debug}.config > /dev/null
	fi
	# WB_EXT does not exist before 0015: olddefconfig drops it, so ask again
	mk olddefconfig > /dev/null
	"$wt/scripts/config" --file "$out/.config" -e WB_EXT -e BTRFS_FS
	mk olddefconfig > /dev/null
	objs="fs/fs-writeback.o fs/inode.o mm/backing-dev.o mm/page-writeback.o"
	objs+=" mm/filemap.o mm/rmap.o fs/xfs/xfs_super.o fs/ext4/super.o"
	objs+=" fs/btrfs/super.o fs/fuse/inode.o"
	[ -f "$wt/mm/wb_ext.c" ] && objs+=" mm/wb_ext.o"
	[ -z "${FULL:-}" ] || objs+=" vmlinux"
	if mk -j"$(nproc)" KCFLAGS=-Werror $objs > "$out/series.log" 2>&1; then
		echo "ok   $(git -C "$wt" log --oneline -1)"
	else
		echo "FAIL $(git -C "$wt" log --oneline -1)"
		tail -n 20 "$out/series.log"
		fail=1
	fi
done
exit $fail
