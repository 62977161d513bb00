# Helpers for guest tests (sourced; busybox sh).

# What the runner treats as a kernel failure in dmesg.
KERNEL_SPLAT='WARNING:|BUG:|Oops|Call Trace:|DEBUG_LOCKS_WARN_ON|INFO: possible|INFO: trying to register non-static key|suspicious RCU usage|list_(add|del) corruption|blocked for more than|Kernel panic|EXT4-fs error|XFS \([^)]*\): (Corruption|Internal error|Metadata corruption|Metadata CRC error|metadata I/O error)|XFS: Assertion failed'

fail() { echo "FAIL: $*"; exit 1; }
# The runner stops a test past its time-out with SIGTERM: exit, so that
# the test's EXIT trap runs (ash runs it on exit, not on a fatal signal).
trap 'echo "terminated"; exit 143' TERM
# A test skips only for a reason outside wbext (the VM's CPU count, the
# host); the runner fails any other skip: the kernel config is ours.
skip_env() { echo "SKIP: $* (outside wbext)"; exit 77; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# Unmount whatever a test left under /mnt so that the next test starts clean.
cleanup_mounts() {
	grep ' /mnt' /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}

# mkfs_mount FSTYPE DEV MNT: a fresh filesystem, mounted; mkfs.ext4 takes
# $EXT4_OPTS.
mkfs_mount() {
	case $1 in
	xfs) mkfs.xfs -q -f "$2" ;;
	ext4) mkfs.ext4 -q -F ${EXT4_OPTS:-} "$2" ;;
	*) fail "mkfs_mount: unknown filesystem $1" ;;
	esac
	mkdir -p "$3"
	mount -t "$1" "$2" "$3"
}

# spread_ext4 FS: ext4 keeps its regular files on one shard
# (->writeback_group, 0019), so tests that need ext4 files on several
# shards have the rr policy choose: loaded for ext4, unloaded for any
# other FS (the runner unloads what a test leaves attached).
spread_ext4() {
	wbctl unload > /dev/null 2>&1 || true
	[ "$1" = ext4 ] || return 0
	wbctl load rr > /tmp/spread.out 2>&1 ||
		{ cat /tmp/spread.out; fail "wbctl load rr, to put ext4's files on several shards"; }
}

# Files of a known pattern, written by several buffered writers: fio
# stores a crc32c and the block's offset in every 4k block, so that a
# later --verify_only pass catches lost, stale or misplaced data.
#   fio_pattern DIR write|verify [extra fio options]
fio_pattern() {
	dir=$1 mode=$2
	shift 2
	if [ "$mode" = verify ]; then
		set -- --verify_only=1 --do_verify=1 "$@"
	else
		set -- --do_verify=0 "$@"
	fi
	fio --directory="$dir" --size="${FIO_SIZE:-12M}" --ioengine=psync \
	    --verify=crc32c --verify_fatal=1 --minimal "$@" \
	    --name=seq --rw=write --bs=64k --numjobs=2 \
	    --name=rand --rw=randwrite --bs=4k --numjobs=2 \
	    --name=fsync --rw=randwrite --bs=4k --fsync=16 \
	    --name=osync --rw=write --bs=16k --sync=1 \
	    --name=mmap --rw=randwrite --bs=4k --ioengine=mmap \
	    > /tmp/fio.out 2>&1 || { cat /tmp/fio.out; return 1; }
}

# The bdi directory of a block device: bdi_of ram0 -> /sys/class/bdi/1:0
bdi_of() { echo "/sys/class/bdi/$(basename "$(readlink "/sys/block/$1/bdi")")"; }

# Writeback shards of a bdi's wbs, one line each (see docs/design.md):
# wb shard home ran runs dirtied b_dirty b_io b_more_io b_dirty_time
# b_attached written_kB state; wb is the memcg's cgroup inode number
# (1: the root cgroup), dirtied the inodes the shard was given
wb_shards_table() { cat "/sys/kernel/debug/bdi/$(basename "$1")/wb_shards"; }
# shards_table BDI [WB]: the shard lines of one wb (default: the root's)
shards_table() { wb_shards_table "$1" | awk -v wb="${2:-1}" '$1 == wb'; }
# shards_wrote BEFORE AFTER [WB]: how many shards of wb WB (default the
# root's, 1) wrote back between two wb_shards_table snapshots (a delta: what
# earlier tests in the boot wrote does not count)
shards_wrote() {
	awk -v wb="${3:-1}" 'NR == FNR {if ($1 == wb) b[$2] = $12; next}
		$1 == wb && $12 > b[$2] + 0' "$1" "$2" | wc -l
}
# dirty_mb: the machine's dirty page cache (meminfo Dirty) in MiB
dirty_mb() { awk '/^Dirty:/ {print int($2 / 1024)}' /proc/meminfo; }
# dirty_inodes BDI: inodes still on some shard's b_dirty, b_io or b_more_io
dirty_inodes() { wb_shards_table "$1" | awk 'NR > 1 {s += $7 + $8 + $9} END {print s + 0}'; }

need_wb_shards() {
	[ -e "$(bdi_of ram0)/nr_wb_shards" ] ||
		fail "this kernel has no writeback shards (no nr_wb_shards in sysfs)"
}

# One shard per CPU on ram0; sets $bdi and $cpus.
all_shards() {
	need_wb_shards
	bdi=$(bdi_of ram0)
	cpus=$(grep -c ^processor /proc/cpuinfo)
	echo "$cpus" > "$bdi/nr_wb_shards"
}

# cgwb_slice SLICE: cgroup writeback as systemd sets it up (+memory +io at
# the root and in SLICE, under which the test makes its cgroups); sets $cg
cgwb_slice() {
	cg=/sys/fs/cgroup
	grep -qw memory $cg/cgroup.controllers || fail "no memory controller (CONFIG_MEMCG)"
	grep -qw io $cg/cgroup.controllers || fail "no io controller (CONFIG_BLK_CGROUP)"
	echo "+memory +io" > $cg/cgroup.subtree_control
	mkdir -p "$cg/$1"
	echo "+memory +io" > "$cg/$1/cgroup.subtree_control"
}

# vm_dirty_get > FILE / vm_dirty_put FILE: the vm.dirty_* sysctls
vm_dirty_get() {
	for k in dirty_bytes dirty_background_bytes dirty_ratio \
		 dirty_background_ratio dirty_writeback_centisecs \
		 dirty_expire_centisecs; do
		echo "$k $(cat /proc/sys/vm/$k)"
	done
}
vm_dirty_put() {
	# ratios after bytes: writing one of a pair zeroes the other
	grep -v _bytes "$1" | while read -r k v; do echo "$v" > /proc/sys/vm/$k; done
	grep _bytes "$1" | while read -r k v; do
		if [ "$v" != 0 ]; then echo "$v" > /proc/sys/vm/$k; fi
	done
}
# Save the vm.dirty_* sysctls and restore them when the test exits.
save_vm_dirty() {
	vm_dirty_get > /tmp/vm_dirty.saved
	trap restore_vm_dirty EXIT
}
# hold_dirty: keep what the test dirties dirty until it syncs (no
# background or periodic writeback); restored at exit as save_vm_dirty does
hold_dirty() {
	save_vm_dirty
	echo $((512 << 20)) > /proc/sys/vm/dirty_bytes
	echo $((256 << 20)) > /proc/sys/vm/dirty_background_bytes
	echo 0 > /proc/sys/vm/dirty_writeback_centisecs
}
restore_vm_dirty() { vm_dirty_put /tmp/vm_dirty.saved; }

# wb_ext (BPF writeback policies)
wbx=/sys/kernel/wb_ext
# stat_of / kfunc_of / wb_of FIELD FILE: a field of wbext_test's
# "stats ...", "kfunc ..." or "wb ..." output line
stat_of() { sed -n "s/^stats.* $1=\([^ ]*\).*/\1/p" "$2"; }
kfunc_of() { sed -n "s/^kfunc.* $1=\([^ ]*\).*/\1/p" "$2"; }
wb_of() { sed -n "s/^wb.* $1=\([^ ]*\).*/\1/p" "$2"; }
# wait_state STATE SECONDS: wait until /sys/kernel/wb_ext/state is STATE
wait_state() {
	i=0
	while [ "$(cat $wbx/state)" != "$1" ]; do
		i=$((i + 1)); [ $i -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}
# inodes each live shard of $bdi's root wb was given: "shard count" lines
shard_inodes() { shards_table "$bdi" | awk '$13 == "live" {print $2, $6}'; }
# two_writers DIR PREFIX N KB: N files of KB KiB (random bytes) from each
# of two writers pinned to CPUs 0 and 1: DIR/PREFIX0-i and DIR/PREFIX1-i
two_writers() {
	for _c in 0 1; do
		taskset -c $_c sh -c 'i=0; while [ $i -lt "$3" ]; do
			dd if=/dev/urandom of="$1/$2$0-$i" bs=1k count="$4" 2>/dev/null || exit 1
			i=$((i + 1)); done' $_c "$@" &
		eval "_w$_c=\$!"
	done
	wait $_w0 && wait $_w1 || fail "two_writers $*: a writer failed"
}
# placed CMD...: run CMD, leave in /tmp/placed the inodes each live shard
# of $bdi's root wb was given meanwhile ("shard count" lines)
placed() {
	shard_inodes > /tmp/placed.b
	"$@"
	shard_inodes > /tmp/placed.a
	shard_delta /tmp/placed.b /tmp/placed.a > /tmp/placed
	echo "new inodes per shard: $(tr '\n' ' ' < /tmp/placed)"
}
# shard_delta BEFORE AFTER: per shard "shard gained" (files of shard_inodes)
shard_delta() { awk 'NR == FNR {b[$1] = $2; next} {print $1, $2 - b[$1]}' "$1" "$2"; }
# chosen_of FILE: the totals of "chosen" in "wbctl stats -j" output, as
# "shard count" lines
chosen_of() {
	sed -n 's/^{"policy":"[^"]*","chosen":\[\([0-9,]*\)\].*/\1/p' "$1" |
		tr , '\n' | awk '{print NR - 1, $1}'
}
# step NAME CMD...: run CMD, then leave in /tmp/NAME.debugfs and
# /tmp/NAME.stats what the kernel (debugfs) and the policy (stats map)
# counted per shard meanwhile
step() {
	n=$1; shift
	shard_inodes > /tmp/b.dbg
	wbctl stats -j > /tmp/b.json || fail "wbctl stats -j failed"
	"$@"
	shard_inodes > /tmp/a.dbg
	wbctl stats -j > /tmp/a.json || fail "wbctl stats -j failed"
	shard_delta /tmp/b.dbg /tmp/a.dbg > /tmp/$n.debugfs
	chosen_of /tmp/b.json > /tmp/b.ch
	chosen_of /tmp/a.json > /tmp/a.ch
	shard_delta /tmp/b.ch /tmp/a.ch > /tmp/$n.stats
	echo "$n: debugfs $(tr '\n' ' ' < /tmp/$n.debugfs)| stats $(tr '\n' ' ' < /tmp/$n.stats)"
}
# json_valid FILE WHAT: FILE is JSON to python3 -m json.tool (the host's,
# through its / shared read only at /host)
json_valid() {
	[ -x /host/usr/bin/python3 ] || fail "no /host/usr/bin/python3: vm.sh shares the host's / for the JSON checks"
	chroot /host /usr/bin/python3 -m json.tool < "$1" > /dev/null 2> /tmp/json.err ||
		{ cat "$1" /tmp/json.err; fail "$2: not valid JSON"; }
}
# json_num FILE KEY: the total "KEY":N of "wbctl stats -j" output
json_num() { sed -e 's/,"per_cpu".*//' -n -e "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"; }

# nullb_create NAME SIZE_MB [MBPS]: a memory-backed null_blk device made
# through configfs (MBPS: bandwidth limit); sets $dev to its block device.
nullb_cfg=/sys/kernel/config/nullb
nullb_create() {
	mkdir $nullb_cfg/$1
	echo 1 > $nullb_cfg/$1/memory_backed
	echo "$2" > $nullb_cfg/$1/size
	[ -z "$3" ] || echo "$3" > $nullb_cfg/$1/mbps
	echo 1 > $nullb_cfg/$1/power
	# 6.12 names a configfs device after its directory; older kernels nullbN
	dev=/dev/$1
	[ -b $dev ] || dev=/dev/nullb$(cat $nullb_cfg/$1/index)
	[ -b "$dev" ] || { ls /dev/; fail "no block device for $nullb_cfg/$1"; }
}

# Data that must survive a crash.  The files hold random bytes, so that
# stale data, a hole (zeros) or another file's blocks all fail the check.
#   pattern_files SUMS DIR PREFIX N KB: N files DIR/PREFIXi of KB KiB each,
#     their md5sums appended to SUMS (read back from the page cache)
#   crash_remount FSTYPE DEV MNT [OPTS]: shut MNT down without flushing the
#     log (fstests' godown: whatever sync left in memory is lost),
#     unmount, mount again (log recovery) with OPTS
#   crash_verify SUMS: every file of SUMS reads back as written
# The caller syncs (sync, syncfs, fsync...) between the two: what it
# covered must be on disk.
pattern_files() {
	_i=0
	while [ $_i -lt "$4" ]; do
		dd if=/dev/urandom of="$2/$3$_i" bs=1k count="$5" 2>/dev/null ||
			fail "writing $2/$3$_i"
		_i=$((_i + 1))
	done
	md5sum "$2/$3"* >> "$1"
}
crash_remount() {
	xfs_io -x -c shutdown "$3" || fail "xfs_io shutdown of $3 ($1) failed"
	# a shut down filesystem takes no write: proof that it is down
	if touch "$3/.after-shutdown" 2>/dev/null; then
		fail "$3 ($1) still takes writes after the shutdown"
	fi
	umount "$3" || fail "umount of the shut down $3"
	mount -t "$1" ${4:+-o "$4"} "$2" "$3" || fail "mount $2 after the shutdown ($1)"
}
crash_verify() {
	md5sum -c "$1" > /tmp/crash_verify.out 2>&1 || {
		grep -v ': OK$' /tmp/crash_verify.out | head -n 20
		fail "$(grep -vc ': OK$' /tmp/crash_verify.out) of $(wc -l < "$1") files differ after the shutdown"
	}
	echo "$(wc -l < "$1") files intact after the shutdown"
}

# traced CMD...: run CMD with the shard choices (writeback_shard_select,
# one per clean->dirty transition of an inode put on a dirty list) of
# inodes other than /mnt/t's root directory and ext4's lost+found in
# /tmp/select.  The test's EXIT trap calls untrace.
tr=/sys/kernel/tracing
select_ev=$tr/events/writeback/writeback_shard_select/enable
traced() {
	[ -d $tr/events ] || mount -t tracefs none $tr
	_root=$(stat -c %i /mnt/t)
	echo > $tr/trace
	echo 1 > $select_ev
	"$@"
	echo 0 > $select_ev
	grep 'writeback_shard_select:' $tr/trace |
		grep -v -e " ino=$_root " -e ' ino=11 ' > /tmp/select || true
}
untrace() { [ -e $select_ev ] && echo 0 > $select_ev; }
