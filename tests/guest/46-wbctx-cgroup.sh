# timeout: 600
# Writes from a non-root memory cgroup: they get the cgroup's own wb (not a
# context), and the data is intact.
. /tests/lib/lib.sh
need_wb_ctx
cg=/sys/fs/cgroup
grep -qw memory $cg/cgroup.controllers || skip "no memory controller"
echo "+memory +io" > $cg/cgroup.subtree_control
mkdir -p $cg/wbtest
mkfs_mount xfs /dev/ram0 /mnt/t
sh -c "echo \$\$ > $cg/wbtest/cgroup.procs; . /tests/lib/lib.sh; FIO_SIZE=16M fio_pattern /mnt/t write" ||
	fail "write from the cgroup failed"
grep -E '^file_dirty|^file_writeback' $cg/wbtest/memory.stat || true
sync
drop_caches
FIO_SIZE=16M fio_pattern /mnt/t verify || fail "data written from a cgroup differs"
umount /mnt/t
rmdir $cg/wbtest
