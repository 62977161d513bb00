# timeout: 300
# One policy at a time: a second attach fails with EBUSY and changes
# nothing; removing the pin of the first detaches it and a new attach
# works.  A policy held by a process goes away with the process, killed
# (SIGKILL: the kernel closes the link) or asked to stop (SIGTERM).  An
# attach without a BPF link is refused.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
expect() {	# expect STATE OPS WHEN
	state=$(cat $wbx/state) ops=$(cat $wbx/ops)
	[ "$state" = "$1" ] || fail "state is '$state' $3, expected '$1'"
	[ "$ops" = "$2" ] || fail "ops is '$ops' $3, expected '$2'"
}
# start_holder NAME: wbext_test NAME in the background until it attached
start_holder() {
	wbext_test -n "$1" > /tmp/$1.out 2>&1 &
	pid=$!
	i=0
	while ! grep -q "^attached $1" /tmp/$1.out; do
		kill -0 $pid 2>/dev/null || { cat /tmp/$1.out; fail "wbext_test -n $1 exited before attaching"; }
		i=$((i + 1)); [ $i -le 600 ] || fail "wbext_test -n $1 did not attach within 60 s"
		sleep 0.1
	done
}
pin=/sys/fs/bpf/wbext_busy
rm -f $pin
[ "$(cat $wbx/state)" = disabled ] || fail "a policy is already attached: $(cat $wbx/ops)"

echo "== second attach while one is pinned"
seq=$(cat $wbx/enable_seq)
wbext_test -n first -p $pin > /tmp/first.out 2>&1 || { cat /tmp/first.out; fail "attaching and pinning 'first' failed"; }
cat /tmp/first.out
grep -qx "pinned $pin" /tmp/first.out || fail "wbext_test -p did not say 'pinned $pin'"
[ -e $pin ] || fail "no pin at $pin"
expect enabled first "with 'first' pinned"
v=$(cat $wbx/enable_seq)
[ "$v" = $((seq + 1)) ] || fail "enable_seq went from $seq to $v on one attach, expected +1"
if wbext_test -n second -w 1 > /tmp/second.out 2>&1; then
	cat /tmp/second.out
	fail "a second policy attached while 'first' was attached"
fi
cat /tmp/second.out
grep -q 'attach failed: .*(EBUSY)' /tmp/second.out || fail "the second attach did not fail with EBUSY"
expect enabled first "after the refused second attach"
v=$(cat $wbx/enable_seq)
[ "$v" = $((seq + 1)) ] || fail "enable_seq is $v after a refused attach, expected $((seq + 1))"

echo "== unpin: the last reference, so a detach"
rm $pin
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' 10 s after removing the pin, expected disabled"
expect disabled "" "after removing the pin"
last=$(cat $wbx/last_exit)
case $last in unreg*) ;; *) fail "last_exit is '$last' after removing the pin, expected 'unreg...'" ;; esac
wbext_test -n again -- sh -c '[ "$(cat /sys/kernel/wb_ext/ops)" = again ]' > /tmp/again.out 2>&1 ||
	{ cat /tmp/again.out; fail "attaching 'again' after the unpin failed (or ops was not 'again')"; }
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after 'again' detached, expected disabled"

echo "== holder killed with SIGKILL"
start_holder holder
expect enabled holder "while wbext_test -n holder runs"
kill -KILL $pid
wait $pid || true
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' 10 s after the holder was killed, expected disabled"
expect disabled "" "after the holder was killed"
last=$(cat $wbx/last_exit)
case $last in unreg*) ;; *) fail "last_exit is '$last' after the holder was killed, expected 'unreg...'" ;; esac

echo "== holder stopped with SIGTERM"
start_holder polite
expect enabled polite "while wbext_test -n polite runs"
kill -TERM $pid
rc=0
wait $pid || rc=$?
cat /tmp/polite.out
[ $rc = 0 ] || fail "wbext_test -n polite exited $rc on SIGTERM, expected 0"
v=$(stat_of exit_kind /tmp/polite.out)
[ "$v" = 1 ] || fail "the stopped holder's policy saw exit_kind=$v, expected 1 (UNREG)"
wait_state disabled 10 || fail "state is '$(cat $wbx/state)' after the holder stopped, expected disabled"

echo "== no link, no policy: the legacy map-update attach is refused"
obj=/usr/local/lib/wbext/legacy_attach.bpf.o
[ -e $obj ] || fail "no $obj in the guest"
k0=$(dmesg | grep -c wb_ext || true)
if bpftool struct_ops register $obj > /tmp/legacy.out 2>&1; then
	cat /tmp/legacy.out
	fail "bpftool struct_ops register of a link-less wb_ext_ops map succeeded"
fi
cat /tmp/legacy.out
expect disabled "" "after the refused legacy attach"
dmesg | grep wb_ext | tail -n +$((k0 + 1)) | grep -q "legacy: attach it with a BPF link" ||
	fail "no dmesg line telling to attach legacy with a BPF link"
