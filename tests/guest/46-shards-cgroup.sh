# timeout: 900
# Writers in a cgroup v2 hierarchy as systemd builds it (+memory +io,
# services under system.slice) and in the root cgroup: every wb they use
# (the root's and each service's) spreads its inodes over its shards and
# the shards write; the data is intact after sync and a shutdown without
# log flush (lib.sh's crash_remount), and after a clean remount.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs for 2 shards (VM_CPUS=$cpus)"
cgwb_slice system.slice
mkdir -p $cg/system.slice/a.service $cg/system.slice/b.service
mkfs_mount xfs /dev/ram0 /mnt/t
mkdir -p /mnt/t/a /mnt/t/b /mnt/t/root
in_cg() {	# in_cg CGROUP DIR: the fio pattern writers, in CGROUP
	sh -c "echo \$\$ > $cg/$1/cgroup.procs; . /tests/lib/lib.sh
		i=0; while [ \$i -lt 8 ]; do dd if=/dev/zero of=$2/warm\$i bs=4k count=4 2>/dev/null; i=\$((i + 1)); done
		FIO_SIZE=8M fio_pattern $2 write"
}
wb_shards_table "$bdi" > /tmp/shards0
in_cg system.slice/a.service /mnt/t/a & a=$!
in_cg system.slice/b.service /mnt/t/b & b=$!
in_cg . /mnt/t/root & r=$!
wait $a || fail "writers in a.service failed"
wait $b || fail "writers in b.service failed"
wait $r || fail "writers in the root cgroup failed"
sync
wb_shards_table "$bdi" | tee /tmp/shards
for svc in a b; do
	ino=$(stat -c %i $cg/system.slice/$svc.service)
	n=$(awk -v w=$ino '$1 == w && $12 > 0' /tmp/shards | wc -l)
	echo "$svc.service (wb $ino): $n shards wrote"
	[ "$n" -ge 2 ] || fail "the wb of $svc.service wrote from $n shard(s), expected >= 2 of its $cpus"
done
n=$(shards_wrote /tmp/shards0 /tmp/shards)
[ "$n" -ge 2 ] || fail "the root cgroup's wb wrote from $n shard(s), expected >= 2"
crash_remount xfs /dev/ram0 /mnt/t
for d in a b root; do
	FIO_SIZE=8M fio_pattern /mnt/t/$d verify || fail "data written in $d differs after sync and a shutdown"
done
umount /mnt/t
mount -t xfs /dev/ram0 /mnt/t
for d in a b root; do
	FIO_SIZE=8M fio_pattern /mnt/t/$d verify || fail "data written in $d differs after a remount"
done
umount /mnt/t
rmdir $cg/system.slice/a.service $cg/system.slice/b.service $cg/system.slice
