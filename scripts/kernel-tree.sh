#!/bin/bash
# Prepare the kernel source tree(s) under $BUILD:
#   $BUILD/linux        git repo: tag "base" = Debian's linux-source-6.12,
#                       HEAD = base + kernel-patches/series (git am)
#   $BUILD/linux-stock  git worktree of "base" (for baselines), on request
# "kernel-tree.sh record" notes that HEAD already is the series (after
# make export-patches).
# The tree is only re-created when the Debian package changes, and the
# series only re-applied when kernel-patches/ changed, so that an edit to
# one patch rebuilds only the files it touches.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
KSRC=$BUILD/linux
PATCHES=$top/kernel-patches
want=${1:-patched}

die() { echo "kernel-tree: $*" >&2; exit 1; }
git_k() { git -C "$KSRC" -c user.name="wbext developers" -c user.email=dev@wbext.invalid "$@"; }

made_for=$(cat "$PATCHES/BASE-VERSION")
# scripts/rebase.sh names a tarball of another version (the old base)
if [ -n "${WBEXT_TARBALL:-}" ]; then
	tarball=$WBEXT_TARBALL pkgver=${WBEXT_TARBALL_VERSION:?}
else
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1) ||
		true
	[ -n "$tarball" ] || die "no /usr/src/linux-source-6.12.tar.*: run 'make deps'"
	pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	[ "$pkgver" = "$made_for" ] || die "kernel-patches/ is made for linux-source-6.12 $made_for (kernel-patches/BASE-VERSION), this machine has $pkgver.
Run 'make deps' to install $made_for (it may downgrade), or
'make rebase VERSION=$pkgver' to move the series to $pkgver (README, 'Moving the series to a newer Debian kernel')."
fi

if [ ! -d "$KSRC/.git" ] || [ "$(cat "$KSRC/.git/wbext-base" 2>/dev/null)" != "$pkgver" ]; then
	echo "kernel-tree: extracting $tarball ($pkgver) into $KSRC"
	rm -rf "$KSRC" "$BUILD/linux-stock" "$KSRC.tmp"
	mkdir -p "$KSRC.tmp"
	tar -xf "$tarball" -C "$KSRC.tmp" --strip-components=1
	mv "$KSRC.tmp" "$KSRC"
	git -C "$KSRC" init -q -b wbext
	git_k add -A -f .
	git_k commit -q -m "Debian linux-source-6.12 $pkgver"
	git_k tag base
	echo "$pkgver" > "$KSRC/.git/wbext-base"
	rm -f "$KSRC/.git/wbext-applied"
fi

series_list() { sed -e 's/#.*//' -e '/^\s*$/d' "$PATCHES/series"; }
series_hash() {
	(cd "$PATCHES" && cat series && series_list | xargs -r cat) |
		sha256sum | cut -d' ' -f1
}

if [ "$want" = record ]; then
	echo "$(series_hash) $(git_k rev-parse HEAD)" > "$KSRC/.git/wbext-applied"
elif [ "$want" = patched ]; then
	want_hash=$(series_hash)
	have_hash=none have_head=none
	[ -f "$KSRC/.git/wbext-applied" ] &&
		read -r have_hash have_head < "$KSRC/.git/wbext-applied"
	head=$(git_k rev-parse HEAD)
	if [ "$have_hash" != "$want_hash" ]; then
		if [ "$head" != "$have_head" ] && [ "$head" != "$(git_k rev-parse base)" ]; then
			die "$KSRC has commits that are not in kernel-patches/ and the
series changed too. Run 'make export-patches' to keep your commits, or
'git -C $KSRC reset --hard base' to drop them, then run make again."
		fi
		if ! git_k diff --quiet HEAD; then
			die "$KSRC has uncommitted changes and kernel-patches/ changed.
Commit them (then 'make export-patches') or 'git -C $KSRC checkout .'"
		fi
		echo "kernel-tree: applying kernel-patches/series"
		git_k am --abort >/dev/null 2>&1 || true
		git_k reset -q --hard base
		series_list | while read -r p; do
			git_k am -q --keep-cr "$PATCHES/$p" ||
				die "patch $p does not apply to $pkgver (see 'git -C $KSRC am --show-current-patch')"
		done
		echo "$want_hash $(git_k rev-parse HEAD)" > "$KSRC/.git/wbext-applied"
	fi
else
	if [ ! -d "$BUILD/linux-stock" ]; then
		git_k worktree prune
		git_k worktree add -q --detach "$BUILD/linux-stock" base
	fi
fi
