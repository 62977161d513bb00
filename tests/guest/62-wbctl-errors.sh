# timeout: 300
# wbctl's errors say what happened and what to do: no bpffs, unknown
# policy or option, a verifier rejection (log with -d), a policy already
# loaded by wbctl or by another program, a policy that went away under
# wbctl (detached with bpftool, or ejected by the kernel: status and stats
# say so and change nothing; load clears the pins), stats and assign
# without the right policy.  (No patch / not root: tests/host/wbctl-cli.)
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
trap 'wbctl unload > /dev/null 2>&1; rm -f /sys/fs/bpf/other' EXIT
# expect RC PATTERN CMD...: CMD exits RC and says PATTERN
expect() {
	rc=$1 pat=$2
	shift 2
	got=0
	"$@" > /tmp/out 2>&1 || got=$?
	if [ $got != "$rc" ] || ! grep -q -- "$pat" /tmp/out; then
		cat /tmp/out
		fail "$*: exit $got (expected $rc), output above should contain: $pat"
	fi
	echo "ok: $* -> $got: $(grep -m1 -- "$pat" /tmp/out)"
}

echo "== no bpffs"
umount /sys/fs/bpf || fail "cannot unmount /sys/fs/bpf"
expect 1 "no BPF filesystem at /sys/fs/bpf: mount -t bpf bpf /sys/fs/bpf" wbctl load rr
mount -t bpf bpf /sys/fs/bpf || fail "cannot mount bpffs again"

echo "== usage errors"
expect 2 "unknown policy 'fifo'; 'wbctl list' shows the policies" wbctl load fifo
expect 2 "policy numa has no option 'max_shards'" wbctl load numa -o max_shards=1
expect 1 "no policy is loaded: use 'wbctl load rr'" wbctl swap rr
expect 1 "no policy loaded: 'wbctl load POLICY' first" wbctl stats
expect 1 "assign needs the affinity or stream policy" wbctl assign / 0
expect 2 "'x' is not a process id" wbctl assign -p x 0

echo "== verifier rejection"
obj=/usr/local/lib/wbext/reject_write.bpf.o
[ -e $obj ] || fail "no $obj in the guest"
expect 1 "the kernel's verifier rejected policy .*run 'wbctl -d" wbctl load -f $obj
expect 1 "only read is supported" wbctl -d load -f $obj
[ "$(cat $wbx/state)" = disabled ] || fail "state after a rejected load: $(cat $wbx/state)"

echo "== already loaded by wbctl"
expect 0 "loaded rr" wbctl load rr
expect 1 "policy rr is already loaded; use 'wbctl swap lb' or 'wbctl unload'" wbctl load lb
expect 1 "assign needs the affinity or stream policy: 'wbctl load affinity'" wbctl assign / 0
expect 1 "assign -p needs the stream policy: 'wbctl load stream'" wbctl assign -p 1 0
expect 0 "unloaded rr" wbctl unload
expect 0 "loaded affinity" wbctl load affinity
expect 2 "shard '1024' is not a number in \[0, 1023\]" wbctl assign / 1024
expect 1 "unassigning /: not assigned" wbctl assign -r /
expect 0 "unloaded affinity" wbctl unload
expect 0 "no policy loaded" wbctl unload

echo "== loaded by another program"
wbext_test -n other -p /sys/fs/bpf/other > /dev/null || fail "wbext_test could not attach"
expect 1 "the kernel runs policy 'other', attached by another program" wbctl load rr
expect 1 "policy other was not loaded by wbctl" wbctl stats
expect 0 "other was not loaded by wbctl" wbctl status
rm /sys/fs/bpf/other
wait_state disabled 10 || fail "state '$(cat $wbx/state)' after removing the other pin"

echo "== stale pins: the policy was detached under wbctl"
expect 0 "loaded numa" wbctl load numa
id=$(bpftool link show | awk -F: '/struct_ops/ {print $1; exit}')
[ -n "$id" ] || { bpftool link show; fail "no struct_ops link in bpftool link show"; }
bpftool link detach id "$id" || fail "bpftool link detach id $id failed"
wait_state disabled 10 || fail "state '$(cat $wbx/state)' after bpftool link detach"
expect 1 "policy 'numa' no longer runs: it was detached outside wbctl (last exit: unreg" wbctl status
expect 1 "the policy wbctl loaded no longer runs: 'wbctl status' says why" wbctl stats
[ -e /sys/fs/bpf/wbext/link ] && [ -e /sys/fs/bpf/wbext/numa/stats ] ||
	fail "wbctl status or stats removed the stale pins: they must not change state"
expect 0 "removing stale pins left under /sys/fs/bpf/wbext" wbctl load lb
grep -qx "loaded lb" /tmp/out || fail "wbctl load lb removed the stale pins but did not load lb"
[ "$(cat $wbx/ops)" = lb ] || fail "after cleaning the stale pins, ops is '$(cat $wbx/ops)', expected lb"
[ ! -e /sys/fs/bpf/wbext/numa ] || fail "the stale numa maps are still pinned"
expect 0 "unloaded lb" wbctl unload

echo "== ejected by the kernel: -o sets a -f object's variables"
obj=/usr/local/lib/wbext/wbext_test.bpf.o
[ -e $obj ] || fail "no $obj in the guest"
expect 2 "declares no const volatile 'nosuch'; it has: mode, target_shard" wbctl load -f $obj -o nosuch=1
# a -f object's WBEXT_OPTIONs keep their bounds
expect 2 "lb.bpf.o: option max_shards: '5000' is not a number in \[0, 1024\]" wbctl load -f ${obj%/*}/lb.bpf.o -o max_shards=5000
expect 0 "loaded wbext_test" wbctl load -f $obj -o mode=1
all_shards
mkfs_mount xfs /dev/ram0 /mnt/t
# mode 1 (bad-shard): select_shard answers out of range for the first inode
for i in 1 2 3 4; do echo x > /mnt/t/eject$i; done
wait_state disabled 10 || fail "the bad-shard policy was not ejected: state '$(cat $wbx/state)'"
expect 1 "policy 'wbext_test' no longer runs: the kernel ejected it (last exit: error: wbext_test: .*dmesg" wbctl status
rc=0
wbctl -j status > /tmp/st.json || rc=$?
[ $rc = 1 ] || fail "wbctl -j status exits $rc after the ejection, expected 1"
json_valid /tmp/st.json "wbctl -j status after an ejection"
grep -q '"wbctl":{"state":"stale","policy":"wbext_test"}' /tmp/st.json || { cat /tmp/st.json; fail "wbctl -j status after the ejection"; }
expect 0 "removing stale pins" wbctl load -f $obj -o mode=0 -o target_shard=1
expect 0 "options:  .*target_shard=1" wbctl status
umount /mnt/t
