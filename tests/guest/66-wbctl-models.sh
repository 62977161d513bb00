# timeout: 600
# The upstream models as policies choose what their rule predicts, file by
# file, as the kernel's per-shard debugfs counts it: ino puts a file on
# i_ino % shards; ag on its XFS allocation group (mkfs.xfs -d agcount=8,
# one directory per AG) or ext4 block group (no flex_bg), modulo the
# shards, and leaves btrfs to the kernel (counted as fallbacks); stream
# puts all files of one writer on the shard homed on its CPU (by=0: per
# thread group; by=1: two writers of one cgroup share one), and all files
# of one stream id set with wbctl assign (on trees, on processes) on the
# shard homed where the stream's first file was dirtied.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
[ "$cpus" -ge 4 ] || skip_env "needs 4 CPUs (VM_CPUS=$cpus)"
nr=$(cat "$bdi/nr_wb_shards")
w1= w2=
trap 'kill $w1 $w2 2>/dev/null || :; wbctl unload > /dev/null 2>&1; umount /mnt/t 2>/dev/null' EXIT
load() {
	wbctl load "$@" > /dev/null || fail "wbctl load $* failed"
	[ "$(cat $wbx/ops)" = "$1" ] || fail "ops is '$(cat $wbx/ops)' after wbctl load $1"
}
# predicted NAME: /tmp/NAME.want holds one shard per new inode; compare its
# per-shard counts with what debugfs and the stats map counted in step NAME
predicted() {
	sort -n /tmp/$1.want | uniq -c | awk '{print $2, $1}' > /tmp/$1.wantc
	awk '$2 > 0' /tmp/$1.debugfs | sort -n > /tmp/$1.got
	diff /tmp/$1.wantc /tmp/$1.got > /dev/null ||
		fail "$1: the rule predicts $(tr '\n' ' ' < /tmp/$1.wantc)(shard count), debugfs counted $(tr '\n' ' ' < /tmp/$1.got)"
	awk '$2 > 0' /tmp/$1.stats | sort -n | diff - /tmp/$1.got > /dev/null ||
		fail "$1: the stats map ($(tr '\n' ' ' < /tmp/$1.stats)) and debugfs disagree"
	echo "$1: as predicted, shard count: $(tr '\n' ' ' < /tmp/$1.got)"
}
# mkfiles DIR...: two files of 64 KiB in each DIR (created beforehand and
# synced, so that only the new files' inodes are chosen: XFS and ext4
# journal a directory's new entries, they do not dirty its VFS inode)
mkfiles() {
	for d in "$@"; do
		for i in 0 1; do
			dd if=/dev/zero of="$d/f$i" bs=64k count=1 2>/dev/null || fail "writing $d/f$i"
		done
	done
}
# want RULE PATH...: the shard RULE (a shell arithmetic expression of $i,
# the inode number, and $nr) predicts for each PATH
want() {
	rule=$1; shift
	for p in "$@"; do
		i=$(stat -c %i "$p")
		eval "echo \$(( $rule ))"
	done
}

echo "== ino: i_ino % $nr"
mkfs_mount xfs /dev/ram0 /mnt/t
mkdir -p /mnt/t/ino
sync
load ino
step ino mkfiles /mnt/t/ino
want '$i % $nr' /mnt/t/ino/f0 /mnt/t/ino/f1 > /tmp/ino.want
predicted ino
wbctl unload > /dev/null
umount /mnt/t

echo "== ag: XFS, 8 allocation groups, one directory per AG"
mkfs.xfs -q -f -d agcount=8 /dev/ram0 || fail "mkfs.xfs -d agcount=8"
mkdir -p /mnt/t && mount -t xfs /dev/ram0 /mnt/t
set -- $(xfs_db -r -c "sb 0" -c "p inopblog" -c "p agblklog" /dev/ram0 | awk '{print $3}')
shift_bits=$(($1 + $2))
i=0
while [ $i -lt 8 ]; do mkdir /mnt/t/d$i; i=$((i + 1)); done
sync
ags=$(for d in /mnt/t/d*; do echo $(( $(stat -c %i $d) >> shift_bits )); done | sort -u | wc -l)
echo "xfs: agino_log $shift_bits, the 8 directories are in $ags AGs"
[ "$ags" -ge 4 ] || fail "the 8 directories landed in only $ags AGs: the test would prove little"
load ag
step ag mkfiles /mnt/t/d*
want '($i >> $shift_bits) % $nr' /mnt/t/d*/f* > /tmp/ag.want
predicted ag
wbctl unload > /dev/null
umount /mnt/t

echo "== ag: ext4 without flex_bg, 8 block groups"
mkfs.ext4 -F -O ^flex_bg /dev/ram0 > /tmp/mkfs.out 2>&1 || { cat /tmp/mkfs.out; fail "mkfs.ext4 -O ^flex_bg"; }
# "Creating filesystem with B 4k blocks and I inodes": 32768 blocks of 4k
# (8 x the block size in bits) per group
set -- $(sed -n 's/.* with \([0-9]*\) 4k blocks and \([0-9]*\) inodes.*/\1 \2/p' /tmp/mkfs.out)
[ $# = 2 ] || { cat /tmp/mkfs.out; fail "mkfs.ext4 did not say its blocks and inodes"; }
ipg=$(($2 / (($1 + 32767) / 32768)))
mount -t ext4 /dev/ram0 /mnt/t
i=0
while [ $i -lt 8 ]; do mkdir /mnt/t/d$i; i=$((i + 1)); done
sync
groups=$(for d in /mnt/t/d*; do echo $(( ($(stat -c %i $d) - 1) / ipg )); done | sort -u | wc -l)
echo "ext4: $ipg inodes per group, the 8 directories are in $groups groups"
[ "$groups" -ge 2 ] || fail "the 8 directories landed in one block group: the test would prove little"
load ag
step ag4 mkfiles /mnt/t/d*
want '(($i - 1) / $ipg) % $nr' /mnt/t/d*/f* > /tmp/ag4.want
predicted ag4
wbctl unload > /dev/null
umount /mnt/t

echo "== ag: btrfs, neither XFS nor ext4: the kernel's choice, counted"
grep -qw btrfs /proc/filesystems || fail "no btrfs in this kernel (the test kernel has BTRFS_FS)"
mkfs.btrfs -q -f /dev/ram0 > /tmp/mkfs.out 2>&1 || { cat /tmp/mkfs.out; fail "mkfs.btrfs"; }
mount -t btrfs /dev/ram0 /mnt/t || fail "cannot mount btrfs"
mkdir /mnt/t/m
sync
# btrfs writes back through a bdi of its own, not the device's
xbdi=$bdi bdi=/sys/class/bdi/$(basename "$(readlink -f /sys/fs/btrfs/*/bdi)")
[ -e "$bdi/nr_wb_shards" ] || fail "no btrfs bdi with shards: $bdi"
echo 4 > "$bdi/nr_wb_shards" || fail "nr_wb_shards=4 refused on the btrfs bdi"
load ag
step agbtrfs mkfiles /mnt/t/m
dirtied=$(awk '{s += $2} END {print s + 0}' /tmp/agbtrfs.debugfs)
chose=$(awk '{s += $2} END {print s + 0}' /tmp/agbtrfs.stats)
fb=$(( $(json_num /tmp/a.json fallbacks) - $(json_num /tmp/b.json fallbacks) ))
echo "btrfs ($(cat $bdi/nr_wb_shards) shards): $dirtied inodes dirtied, ag chose $chose, fell back $fb times"
[ "$dirtied" -ge 2 ] || fail "btrfs: only $dirtied inodes dirtied on $bdi"
[ "$chose" = 0 ] || fail "ag chose a shard $chose times on btrfs"
# (>= 2, not >= dirtied: an inode btrfs dirties between step's two
# snapshots may be counted by one and not the other)
[ "$fb" -ge 2 ] || fail "ag counted $fb fallbacks for $dirtied inodes dirtied on btrfs"
bdi=$xbdi
wbctl unload > /dev/null
umount /mnt/t

echo "== stream: one writer, one shard, homed on its CPU"
mkfs_mount xfs /dev/ram0 /mnt/t
mkdir -p /mnt/t/a /mnt/t/b
sync
home_of() { shards_table "$bdi" | awk -v c=$1 '$3 == c && $13 == "live" {print $2; exit}'; }
ha=$(home_of 1) hb=$(home_of 3)
[ -n "$ha" ] && [ -n "$hb" ] || { shards_table "$bdi"; fail "no shard homed on CPU 1 or 3"; }
load stream
# each writer one shell (one thread group) writing 6 files with a builtin
step stream sh -c "taskset -c 1 sh -c 'for i in 0 1 2 3 4 5; do echo data > /mnt/t/a/f\$i; done'; taskset -c 3 sh -c 'for i in 0 1 2 3 4 5; do echo data > /mnt/t/b/f\$i; done'"
# 6 files per writer
{ for i in 1 2 3 4 5 6; do echo $ha; echo $hb; done; } > /tmp/stream.want
predicted stream
wbctl unload > /dev/null
rm -rf /mnt/t/a/* /mnt/t/b/*
sync
echo "== stream by=1: two writers of one cgroup, one stream"
load stream -o by=1
step streamcg sh -c "taskset -c 1 sh -c 'for i in 0 1 2; do echo data > /mnt/t/a/g\$i; done'; taskset -c 3 sh -c 'for i in 0 1 2; do echo data > /mnt/t/b/g\$i; done'"
n=$(awk '$2 > 0' /tmp/streamcg.debugfs | wc -l)
[ "$n" = 1 ] || fail "stream by=1: two writers of the root cgroup used $n shards ($(tr '\n' ' ' < /tmp/streamcg.debugfs)), expected one"
echo "streamcg: one shard for both writers: $(awk '$2 > 0' /tmp/streamcg.debugfs)"
wbctl unload > /dev/null
rm -rf /mnt/t/a/* /mnt/t/b/*
sync

echo "== stream: ids set with wbctl assign on two trees, then on two processes"
load stream
wbctl assign /mnt/t/a 7 > /dev/null || fail "wbctl assign /mnt/t/a 7"
wbctl assign /mnt/t/b 7 > /dev/null || fail "wbctl assign /mnt/t/b 7"
# the two trees are one stream: the first file, from CPU 1, places it
step streamid sh -c "taskset -c 1 sh -c 'for i in 0 1 2; do echo data > /mnt/t/a/h\$i; done'; taskset -c 3 sh -c 'for i in 0 1 2; do echo data > /mnt/t/b/h\$i; done'"
for i in 1 2 3 4 5 6; do echo $ha; done > /tmp/streamid.want
predicted streamid
n=$(( $(json_num /tmp/a.json assigned) - $(json_num /tmp/b.json assigned) ))
[ "$n" -ge 6 ] || fail "the stats map counted $n assigned answers, expected 6 or more"
wbctl assign -r /mnt/t/a > /dev/null && wbctl assign -r /mnt/t/b > /dev/null ||
	fail "wbctl assign -r"
# two writers waiting for /tmp/go, both made stream 9 by pid: the first
# to write (CPU 3) places the stream, the second (CPU 1) follows it
rm -f /tmp/go*
# waitfor FILE, for the writers' shells: gives up after 20 s, so that a
# failure cannot leave them behind
waitfor='n=0; while [ ! -e "$0" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done'
taskset -c 3 sh -c "$waitfor"'
	for i in 0 1 2; do echo data > /mnt/t/b/p$i; done; touch /tmp/go2' /tmp/go1 &
w1=$!
taskset -c 1 sh -c "$waitfor"'
	for i in 0 1 2; do echo data > /mnt/t/a/p$i; done; touch /tmp/go3' /tmp/go2 &
w2=$!
wbctl assign -p $w1 9 > /dev/null && wbctl assign -p $w2 9 > /dev/null ||
	fail "wbctl assign -p"
step streampid sh -c "touch /tmp/go1; $waitfor" /tmp/go3
wait
for i in 1 2 3 4 5 6; do echo $hb; done > /tmp/streampid.want
predicted streampid
wbctl assign -r -p $w1 > /dev/null || fail "wbctl assign -r -p"
w1= w2=
