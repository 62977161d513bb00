# timeout: 5
# runner self-test: runs past its time-out with a child of its own and
# changed settings; the runner must fail it, kill the child with it, let
# its EXIT trap run and put the vm.dirty_* sysctls back (35-after-timeout
# checks)
. /tests/lib/lib.sh
rm -f /tmp/selftest-trap
cat /proc/sys/vm/dirty_expire_centisecs > /tmp/selftest-expire
trap 'echo ran > /tmp/selftest-trap' EXIT
echo 4321 > /proc/sys/vm/dirty_expire_centisecs
sleep 1000 &
echo $! > /tmp/selftest-child
sleep 1000
