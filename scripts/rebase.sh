#!/bin/bash
# make rebase [VERSION=...]: move kernel-patches/ to another Debian
# linux-source-6.12 (default: the newest apt knows).
#   1. build/linux at the current base (kernel-patches/BASE-VERSION) with
#      the series, the old source fetched with apt-get download if it is
#      not the installed one;
#   2. the new source committed on top of the old base, and the series
#      rebased onto it (git rebase: a three-way merge per patch);
#   3. a patch that needs a hand stops the rebase with its conflicts
#      shown: fix them in build/linux, 'git add -f', 'git rebase --continue',
#      and run 'make rebase VERSION=...' again, which carries on here;
#   4. linux-source-6.12=VERSION installed, BASE-VERSION and the patches
#      rewritten (make export-patches), the test kernel built.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
KSRC=$BUILD/linux
PATCHES=$top/kernel-patches
old=$(cat "$PATCHES/BASE-VERSION")
die() { echo "rebase: $*" >&2; exit 1; }
git_k() { git -C "$KSRC" -c user.name="wbext developers" -c user.email=dev@wbext.invalid "$@"; }

new=${VERSION:-}
if [ -z "$new" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	new=$(apt-cache policy linux-source-6.12 | awk '/Candidate:/ {print $2}')
fi
[ -n "$new" ] && [ "$new" != "(none)" ] || die "apt knows no linux-source-6.12: 'apt-get update'?"
apt-cache madison linux-source-6.12 | grep -F "| $new |" >/dev/null ||
	die "apt has no linux-source-6.12 $new; 'apt-cache madison linux-source-6.12' lists those it has"

# source_tarball VERSION: the tarball of that version, fetched if needed
source_tarball() {
	local d=$BUILD/debs/$1
	if [ "$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)" = "$1" ]; then
		ls /usr/src/linux-source-6.12.tar.*
		return
	fi
	if ! ls "$d"/usr/src/linux-source-6.12.tar.* >/dev/null 2>&1; then
		mkdir -p "$d"
		(cd "$d" && apt-get download -q "linux-source-6.12=$1" >&2) ||
			die "cannot download linux-source-6.12 $1"
		dpkg -x "$d"/linux-source-6.12_*.deb "$d"
		rm -f "$d"/linux-source-6.12_*.deb
	fi
	ls "$d"/usr/src/linux-source-6.12.tar.*
}

finish() {
	echo "rebase: the series applies to $new; installing linux-source-6.12=$new"
	git_k tag -f base "$1" >/dev/null
	echo "$new" > "$KSRC/.git/wbext-base"
	echo "$new" > "$PATCHES/BASE-VERSION"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades \
		"linux-source-6.12=$new" >/dev/null
	"$top/scripts/export-patches.sh"
	rm -rf "$BUILD/linux-stock" "$BUILD/linux-series"
	git_k worktree prune
	"$top/scripts/kernel-build.sh" test
	echo "rebase: done.  Check the patches that changed ('git diff kernel-patches/'),"
	echo "rebase: run 'make check-series' and 'make check', then commit kernel-patches/."
}

# Carry on after a rebase that stopped, or finish one that completed.
if [ -d "$KSRC/.git" ] && next=$(git_k rev-parse -q --verify refs/tags/base-next); then
	[ "$(git_k log -1 --format=%s base-next)" = "Debian linux-source-6.12 $new" ] ||
		die "a rebase to $(git_k log -1 --format=%s base-next | awk '{print $NF}') is under way in $KSRC; finish it, or 'git -C $KSRC rebase --abort; git -C $KSRC tag -d base-next'"
	if [ -d "$KSRC/.git/rebase-merge" ] || [ -d "$KSRC/.git/rebase-apply" ]; then
		die "the rebase in $KSRC is still stopped: resolve, 'git add -f', 'git -C $KSRC rebase --continue', then 'make rebase VERSION=$new'"
	fi
	git_k merge-base --is-ancestor base-next HEAD ||
		die "HEAD of $KSRC is not on top of base-next; 'git -C $KSRC tag -d base-next' and start again"
	git_k tag -d base-next >/dev/null
	finish "$next"
	exit 0
fi

if [ "$new" = "$old" ]; then
	echo "rebase: kernel-patches/ is already made for $old"
	exit 0
fi

# 1. the current series on its own base
WBEXT_TARBALL=$(source_tarball "$old") WBEXT_TARBALL_VERSION=$old \
	"$top/scripts/kernel-tree.sh" patched
git_k diff --quiet HEAD || die "$KSRC has uncommitted changes: commit them ('make export-patches') or drop them first"

# 2. the new source as a commit on top of the old base
tarball=$(source_tarball "$new")
tmp=$BUILD/rebase.src
rm -rf "$tmp" && mkdir -p "$tmp"
echo "rebase: importing $tarball ($new)"
tar -xf "$tarball" -C "$tmp" --strip-components=1
idx=$KSRC/.git/rebase.index
rm -f "$idx"
GIT_INDEX_FILE=$idx git_k --work-tree="$tmp" add -A -f .
tree=$(GIT_INDEX_FILE=$idx git_k write-tree)
rm -rf "$tmp" "$idx"
next=$(git_k commit-tree "$tree" -p base -m "Debian linux-source-6.12 $new")
git_k tag base-next "$next"
echo "rebase: upstream changes under the series between $old and $new:"
git_k diff --stat base base-next -- $(git_k diff --name-only base HEAD) | sed 's/^/  /'

# 3. the series onto it
if ! git_k rebase -q --onto base-next base wbext; then
	echo "rebase: a patch does not apply to $new by itself:" >&2
	git_k status --short | grep -E '^(UU|AA|DU|UD) ' >&2 || true
	git_k diff >&2 || true
	die "resolve the conflicts above in $KSRC ('git add -f' each file: Debian's .gitignore hides some), then
'git -C $KSRC rebase --continue' and 'make rebase VERSION=$new' again
(or 'git -C $KSRC rebase --abort; git -C $KSRC tag -d base-next' to give up)"
fi
git_k tag -d base-next >/dev/null
finish "$next"
