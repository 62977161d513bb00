# timeout: 5
# runner self-test: runs past its time-out with a child of its own; the
# runner must fail it and kill the child with it (35-after-timeout checks)
sleep 1000 &
echo $! > /tmp/selftest-child
sleep 1000
