#!/bin/sh
# Guest side of the test runner: runs /tests/NAME.sh for each NAME given,
# prints TAP on stdout (the host reads it from the second serial port).
# A test passes when it exits 0 AND the kernel logged no warning, BUG,
# lockdep report, list corruption or filesystem error while it ran.
#  - Each test runs in a session of its own: at its "# timeout:" (default
#    600 s) its process group gets SIGTERM (lib.sh turns it into an exit,
#    so that the test's EXIT trap restores what it changed), 10 s later
#    SIGKILL; when it ends, everything it started is killed.
#  - The vm.dirty_* sysctls are put back after each test, whatever it did.
#  - Exit 77 is a skip only with a "SKIP: ... (outside wbext)" line
#    (skip_env); any other skip is a failure: the kernel config is ours.
# After the last test: a final sync, and the kernel log checked once more.
# Exits with the number of failures.
. /tests/lib/lib.sh
n=0
fails=0
echo "1..$#"
dmesg -c > /tmp/dmesg.boot
vm_dirty_get > /tmp/vm_dirty.runner
for name in "$@"; do
	n=$((n + 1))
	t=/tests/$name.sh
	limit=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$t")
	echo "# --- $name"
	start=$(date +%s)
	rm -f /tmp/pgid /tmp/timedout /tmp/rc
	# the watchdog stops the test's whole process group
	(sleep "${limit:-600}"
	 : > /tmp/timedout
	 kill -TERM -"$(cat /tmp/pgid)" 2>/dev/null
	 sleep 10
	 kill -KILL -"$(cat /tmp/pgid)" 2>/dev/null) &
	dog=$!
	{
		# $! is the group: ash has no job control here, so the child
		# is no group leader and setsid does not fork
		setsid sh -e "$t" 2>&1 < /dev/null &
		echo $! > /tmp/pgid
		wait $!
		echo $? > /tmp/rc
		# what it left running (fio, dd, sync...), so that it cannot
		# run on into the next test; gone before the next one starts
		kill -KILL -"$(cat /tmp/pgid)" 2>/dev/null
		i=0
		while kill -0 -"$(cat /tmp/pgid)" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
	} | tee /tmp/out.t | awk '{print "# " $0; fflush()}'
	kill $dog 2>/dev/null
	rc=$(cat /tmp/rc)
	vm_dirty_put /tmp/vm_dirty.runner
	# a policy the test left attached (spread_ext4)
	wbctl unload > /dev/null 2>&1 || true
	# what the test left mounted, before its kernel log is read
	cleanup_mounts
	dmesg -c > /tmp/dmesg.$n
	if [ "$n" = 1 ]; then cat /tmp/dmesg.boot /tmp/dmesg.$n > /tmp/dmesg.t; else cp /tmp/dmesg.$n /tmp/dmesg.t; fi
	splat=$(grep -E "$KERNEL_SPLAT" /tmp/dmesg.t | head -n 5)
	took=$(( $(date +%s) - start ))
	if [ -n "$splat" ]; then
		echo "# kernel reported during $name:"
		grep -E -A 30 "$KERNEL_SPLAT" /tmp/dmesg.t | head -n 60 | sed 's/^/#   /'
		echo "not ok $n - $name (kernel splat, ${took}s)"
		fails=$((fails + 1))
	elif [ -e /tmp/timedout ]; then
		echo "not ok $n - $name (timed out after ${limit:-600}s, its processes killed)"
		fails=$((fails + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok $n - $name (${took}s)"
	elif [ "$rc" = 77 ] && grep -q '^SKIP: .* (outside wbext)$' /tmp/out.t; then
		echo "ok $n - $name # SKIP $(sed -n 's/^SKIP: //p' /tmp/out.t | head -n1)"
	elif [ "$rc" = 77 ]; then
		echo "not ok $n - $name (skipped for a reason wbext controls: a failure)"
		fails=$((fails + 1))
	else
		echo "not ok $n - $name (exit $rc, ${took}s)"
		fails=$((fails + 1))
	fi
done
# on the console, where the host looks for what the guest cannot report
echo "<2>wbext-runner: tests done" > /dev/kmsg
# the runner self-test's stand-ins for a kernel that fails after the last test
case ${WBEXT_LATE:-} in
panic) echo c > /proc/sysrq-trigger ;;
warn) echo "WARNING: CPU: 0 PID: 1 at wbext runner self-test (late)" > /dev/kmsg ;;
esac
sync
dmesg -c > /tmp/dmesg.end
if grep -qE "$KERNEL_SPLAT" /tmp/dmesg.end; then
	echo "# kernel reported after the last test:"
	grep -E -A 30 "$KERNEL_SPLAT" /tmp/dmesg.end | head -n 60 | sed 's/^/#   /'
	echo "# late-splat"
	fails=$((fails + 1))
fi
exit $fails
