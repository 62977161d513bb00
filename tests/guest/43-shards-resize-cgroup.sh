# timeout: 900
# nr_wb_shards changes while cgroup wbs (two services, as systemd runs
# them) hold dirty inodes on several shards, on XFS and ext4:
#  - a shrink moves every inode of every wb, not only the root's, off
#    the retired shards (a cgroup wb's inode left there would never be
#    written by a worker: retired shards have none), and loses none from
#    the lists on the way;
#  - a grow gives every cgroup wb the new shards at once, and their new
#    inodes go there;
#  - changes while the services write, ending on one shard, leave no
#    inode on a retired shard (sync would still write one there, so this
#    is checked before it) and lose nothing: every file reads back after
#    sync and a shutdown without log flush.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for a shrink (VM_CPUS=$cpus)"
hold_dirty
cgwb_slice system.slice
mkdir -p $cg/system.slice/a.service $cg/system.slice/b.service
trap 'restore_vm_dirty; echo "$cpus" > "$bdi/nr_wb_shards"' EXIT
wa=$(stat -c %i $cg/system.slice/a.service)
wb_b=$(stat -c %i $cg/system.slice/b.service)
# in_svc SVC DIR PREFIX N KB: pattern files written from SVC by two
# writers pinned to CPUs 0 and 1 (md5sums in /tmp/sums)
in_svc() {
	for c in 0 1; do
		taskset -c $c sh -c "echo \$\$ > $cg/system.slice/$1.service/cgroup.procs
			. /tests/lib/lib.sh; pattern_files /tmp/sums.$1$c $2 $3$c- $4 $5" &
		eval "w$c=\$!"
	done
	wait $w0 && wait $w1 || fail "writers in $1.service"
	cat /tmp/sums.$1? >> /tmp/sums
	rm -f /tmp/sums.$1?
}
# on_shards WB FROM: inodes (any list) of wb WB on shards >= FROM
on_shards() {
	wb_shards_table "$bdi" | awk -v w="$1" -v f="$2" \
		'$1 == w && $2 >= f {s += $7 + $8 + $9 + $10 + $11} END {print s + 0}'
}
# none_retired FS WHEN: no inode of any wb on a shard above 0 (nr_wb_shards 1)
none_retired() {
	for w in 1 $wa $wb_b; do
		left=$(on_shards $w 1)
		[ "$left" = 0 ] || { wb_shards_table "$bdi"; fail "$1: $left inodes of wb $w left on retired shards $2"; }
	done
}
# live WB: the live shards of wb WB
live() { wb_shards_table "$bdi" | awk -v w="$1" '$1 == w && $13 == "live"' | wc -l; }
for fs in xfs ext4; do
	echo "== $fs"
	echo "$cpus" > "$bdi/nr_wb_shards"
	mkfs_mount $fs /dev/ram0 /mnt/t
	spread_ext4 $fs
	mkdir /mnt/t/a /mnt/t/b
	: > /tmp/sums
	in_svc a /mnt/t/a x 16 64
	in_svc b /mnt/t/b x 16 64
	for w in $wa $wb_b; do
		n=$(wb_shards_table "$bdi" | awk -v w=$w '$1 == w && $2 > 0 && $7 > 0' | wc -l)
		[ "$n" -ge 1 ] || { wb_shards_table "$bdi"; fail "$fs: wb $w has no dirty inode above shard 0: the shrink proves nothing"; }
	done
	before=$(for w in 1 $wa $wb_b; do on_shards $w 0; done | tr '\n' ' ')
	echo 1 > "$bdi/nr_wb_shards"
	none_retired $fs "after nr_wb_shards=1"
	after=$(for w in 1 $wa $wb_b; do on_shards $w 0; done | tr '\n' ' ')
	[ "$before" = "$after" ] || { wb_shards_table "$bdi"; fail "$fs: inodes per wb (root a b) $before before the shrink, $after after"; }
	echo "$fs: nr_wb_shards=1 moved the inodes of every wb to shard 0 ($after)"

	echo "$cpus" > "$bdi/nr_wb_shards"
	for w in $wa $wb_b; do
		n=$(live $w)
		[ "$n" = "$cpus" ] || { wb_shards_table "$bdi"; fail "$fs: wb $w has $n live shards right after nr_wb_shards=$cpus"; }
	done
	wb_shards_table "$bdi" > /tmp/grown
	in_svc a /mnt/t/a y 8 64
	# $6: the inodes each shard was given
	n=$(wb_shards_table "$bdi" | awk -v w=$wa 'NR == FNR {if ($1 == w) b[$2] = $6; next}
		$1 == w && $2 > 0 && $6 > b[$2] + 0' /tmp/grown - | wc -l)
	[ "$n" -ge 1 ] || { wb_shards_table "$bdi"; fail "$fs: after the grow, a.service's new inodes all went to shard 0"; }
	echo "$fs: after the grow, a.service's wb gave inodes to $n shards above 0"

	# changes while both services write, the last one to a single shard
	in_svc a /mnt/t/a z 16 512 &
	sa=$!
	in_svc b /mnt/t/b z 16 512 &
	sb=$!
	n=0
	while kill -0 $sa 2>/dev/null || kill -0 $sb 2>/dev/null; do
		for nr in 1 "$cpus" 2 "$cpus"; do
			echo "$nr" > "$bdi/nr_wb_shards" || fail "$fs: setting nr_wb_shards=$nr while the services wrote"
			n=$((n + 1))
			sleep 0.2
		done
	done
	wait $sa || fail "$fs: a.service's writers during the changes"
	wait $sb || fail "$fs: b.service's writers during the changes"
	[ $n -ge 4 ] || fail "$fs: the writers finished after $n changes: the check proves little"
	echo 1 > "$bdi/nr_wb_shards"
	none_retired $fs "after $n changes while the services wrote"
	echo "$fs: $n changes while the services wrote, then none left on retired shards"
	echo "$cpus" > "$bdi/nr_wb_shards"
	sync
	crash_remount $fs /dev/ram0 /mnt/t
	crash_verify /tmp/sums
	umount /mnt/t
done
rmdir $cg/system.slice/a.service $cg/system.slice/b.service
