#!/bin/bash
# Regenerate kernel-patches/ from the commits on top of "base" in build/linux.
# Workflow: edit in build/linux, commit there (one commit per patch, with
# a real commit message), 'make kernel' to build and 'make check' to test,
# then 'make export-patches' and commit kernel-patches/ here.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
KSRC=$BUILD/linux
PATCHES=$top/kernel-patches
git_k() { git -C "$KSRC" "$@"; }

git_k diff --quiet HEAD || { echo "export-patches: $KSRC has uncommitted changes; commit them first" >&2; exit 1; }
rm -f "$PATCHES"/*.patch
git_k -c diff.algorithm=histogram format-patch -q --no-signature \
	--zero-commit --no-numbered \
	-o "$PATCHES" base..HEAD
# An empty context line as an empty line, as "diff --suppress-blank-empty"
# writes it (git am takes both): a lone space is trailing whitespace to
# checkpatch when it checks the patch as a file of the repository.
sed -i 's/^ $//' "$PATCHES"/[0-9]*.patch
{
	echo "# wbext kernel series, applied in order with git am"
	(cd "$PATCHES" && ls -1 [0-9]*.patch 2>/dev/null || true)
} > "$PATCHES/series"
cp "$KSRC/.git/wbext-base" "$PATCHES/BASE-VERSION"
# The tree already holds what the series describes: record it so that the
# next build does not re-apply it.
"$top/scripts/kernel-tree.sh" record
if [ -x "$KSRC/scripts/checkpatch.pl" ]; then
	for p in "$PATCHES"/[0-9]*.patch; do
		[ -f "$p" ] || continue
		"$KSRC/scripts/checkpatch.pl" --no-tree -q --terse "$p" ||
			echo "export-patches: checkpatch complains about ${p##*/}" >&2
	done
fi
echo "export-patches: $(ls "$PATCHES"/[0-9]*.patch 2>/dev/null | wc -l) patches in kernel-patches/"
