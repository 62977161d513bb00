# A BPF program built by our rules loads with our libbpf, sees the kernel
# dirty an inode, and shows up in our bpftool.
. /tests/lib/lib.sh
mkfs_mount xfs /dev/nullb0 /mnt/t
hello_dirty /mnt/t/f > /tmp/hello.out 2>&1 &
pid=$!
i=0
while ! grep -q dirtied /tmp/hello.out; do
	kill -0 $pid 2>/dev/null || { cat /tmp/hello.out; fail "hello_dirty exited"; }
	i=$((i + 1)); [ $i -lt 300 ] || fail "hello_dirty did not report"
	sleep 0.1
done
cat /tmp/hello.out
bpftool prog list > /tmp/progs
kill $pid; wait $pid || true
grep -q 'name count_dirty' /tmp/progs || { cat /tmp/progs; fail "count_dirty not in bpftool prog list"; }
grep -A2 count_dirty /tmp/progs
n=$(sed -n 's/^dirtied //p' /tmp/hello.out)
[ "$n" -ge 16 ] || fail "the tracepoint saw the inode dirtied $n times, expected >= 16"
