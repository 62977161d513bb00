# Sourced by bench-guest.sh and frag-guest.sh: a new filesystem on the
# scratch device.
#   scratch_fs FS JOB: mkfs FS (xfs or ext4) on /dev/$DEV, mount it on
#   $MNT, and set $dirs to the job's directories: for v3 on XFS, AGS
#   allocation groups and one top-level directory per AG (new top-level
#   directories go to AGs in turn, the inode64 rotor), colon-separated
#   as fio's directory= takes them; else $MNT.
scratch_fs() {
	dirs=$MNT
	case $1/$2 in
	ext4/*) mkfs.ext4 -q -F "/dev/$DEV" ;;
	xfs/v3) mkfs.xfs -q -f -d agcount="$AGS" "/dev/$DEV" ;;
	*) mkfs.xfs -q -f "/dev/$DEV" ;;
	esac
	mount -t "$1" "/dev/$DEV" "$MNT"
	[ "$1/$2" = xfs/v3 ] || return 0
	dirs= _i=0
	while [ $_i -lt "$AGS" ]; do
		mkdir "$MNT/ag$_i"
		dirs=$dirs${dirs:+:}$MNT/ag$_i
		_i=$((_i + 1))
	done
}
