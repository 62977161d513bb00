# timeout: 600
# memcg foreign-dirty flush: a writer in a cgroup with a small memory.max
# writes into a file that the root cgroup created (its inode belongs to
# the root's wb).  The writer is not held up (generous bound), and the
# data is intact.
. /tests/lib/lib.sh
all_shards
cg=/sys/fs/cgroup
grep -qw memory $cg/cgroup.controllers || fail "no memory controller (CONFIG_MEMCG)"
echo "+memory +io" > $cg/cgroup.subtree_control
mkdir -p $cg/small
echo $((48 << 20)) > $cg/small/memory.max
mkfs_mount xfs /dev/ram0 /mnt/t
job="--name=shared --filename=/mnt/t/shared --rw=write --bs=64k --ioengine=psync --verify=crc32c --minimal"
fio $job --size=4M --do_verify=0 > /tmp/fio.out 2>&1 || { cat /tmp/fio.out; fail "root could not create the file"; }
sync
a=$(cut -d' ' -f1 /proc/uptime)
timeout 300 sh -c "echo \$\$ > $cg/small/cgroup.procs; exec fio $job --size=128M --do_verify=0" > /tmp/fio.out 2>&1 ||
	{ cat /tmp/fio.out; fail "the writer in the 48 MiB cgroup failed or took over 300 s"; }
b=$(cut -d' ' -f1 /proc/uptime)
echo "128 MiB into root's file from a 48 MiB memcg: $(echo "$a $b" | awk '{printf "%.1f", $2 - $1}') s"
grep -E '^(file_dirty|file_writeback) ' $cg/small/memory.stat
sync
drop_caches
fio $job --size=128M --verify_only=1 --do_verify=1 > /tmp/fio.out 2>&1 ||
	{ cat /tmp/fio.out; fail "data written from the memcg differs"; }
umount /mnt/t
rmdir $cg/small
