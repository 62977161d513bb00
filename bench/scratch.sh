# Sourced by bench-guest.sh and frag-guest.sh: a new filesystem on the
# scratch device.
#   scratch_fs FS JOB: mkfs FS (xfs or ext4) on /dev/$DEV, mount it on
#   $MNT, and set $dirs to the job's directories: for v3 on XFS, AGS
#   allocation groups and one top-level directory per AG (new top-level
#   directories go to AGs in turn, the inode64 rotor), colon-separated
#   as fio's directory= takes them; for ext4, DIRS (default 1) top-level
#   directories (Orlov spreads them over block groups) and MKFS_OPTS
#   (say "-O ^flex_bg": a goal per block group, not per flex group).
scratch_fs() {
	dirs=$MNT
	case $1/$2 in
	ext4/*) mkfs.ext4 -q -F ${MKFS_OPTS:-} "/dev/$DEV" ;;
	xfs/v3) mkfs.xfs -q -f -d agcount="$AGS" "/dev/$DEV" ;;
	*) mkfs.xfs -q -f "/dev/$DEV" ;;
	esac
	mount -t "$1" "/dev/$DEV" "$MNT"
	case $1/$2 in
	xfs/v3) _n=$AGS _d=ag ;;
	ext4/*) _n=${DIRS:-1} _d=d ;;
	*) return 0 ;;
	esac
	[ "$_n" -gt 1 ] || return 0
	dirs= _i=0
	while [ $_i -lt "$_n" ]; do
		mkdir "$MNT/$_d$_i"
		dirs=$dirs${dirs:+:}$MNT/$_d$_i
		_i=$((_i + 1))
	done
}
