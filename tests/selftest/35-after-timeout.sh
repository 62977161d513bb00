# runner self-test: what 30-timeout started must be gone, its EXIT trap
# must have run and the sysctl it changed must be back
pid=$(cat /tmp/selftest-child)
if kill -0 "$pid" 2>/dev/null; then
	echo "FAIL: 30-timeout's child $pid still runs"
	exit 1
fi
if [ ! -e /tmp/selftest-trap ]; then
	echo "FAIL: 30-timeout's EXIT trap did not run"
	exit 1
fi
v=$(cat /proc/sys/vm/dirty_expire_centisecs)
if [ "$v" != "$(cat /tmp/selftest-expire)" ]; then
	echo "FAIL: vm.dirty_expire_centisecs is $v after 30-timeout, not $(cat /tmp/selftest-expire)"
	exit 1
fi
