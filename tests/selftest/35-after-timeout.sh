# runner self-test: what 30-timeout started must be gone
pid=$(cat /tmp/selftest-child)
if kill -0 "$pid" 2>/dev/null; then
	echo "FAIL: 30-timeout's child $pid still runs"
	exit 1
fi
