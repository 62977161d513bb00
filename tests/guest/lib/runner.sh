#!/bin/sh
# Guest side of the test runner: runs /tests/NAME.sh for each NAME given,
# prints TAP on stdout (the host reads it from the second serial port).
# A test passes when it exits 0 (77: skipped) AND the kernel logged no
# warning, BUG, lockdep report or list corruption while it ran.
. /tests/lib/lib.sh
n=0
fails=0
echo "1..$#"
dmesg -c > /tmp/dmesg.boot
for name in "$@"; do
	n=$((n + 1))
	t=/tests/$name.sh
	limit=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$t")
	echo "# --- $name"
	start=$(date +%s)
	{ timeout -s KILL "${limit:-600}" sh -e "$t" 2>&1; echo $? > /tmp/rc; } |
		sed 's/^/# /'
	rc=$(cat /tmp/rc)
	dmesg -c > /tmp/dmesg.$n
	if [ "$n" = 1 ]; then cat /tmp/dmesg.boot /tmp/dmesg.$n > /tmp/dmesg.t; else cp /tmp/dmesg.$n /tmp/dmesg.t; fi
	splat=$(grep -E "$KERNEL_SPLAT" /tmp/dmesg.t | head -n 5)
	took=$(( $(date +%s) - start ))
	if [ -n "$splat" ]; then
		echo "# kernel reported during $name:"
		grep -E -A 30 "$KERNEL_SPLAT" /tmp/dmesg.t | head -n 60 | sed 's/^/#   /'
		echo "not ok $n - $name (kernel splat, ${took}s)"
		fails=$((fails + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok $n - $name (${took}s)"
	elif [ "$rc" = 77 ]; then
		echo "ok $n - $name # SKIP"
	else
		echo "not ok $n - $name (exit $rc, ${took}s)"
		fails=$((fails + 1))
	fi
	cleanup_mounts
done
exit $fails
