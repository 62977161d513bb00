# runner self-test: the guest dies (panic) and never reports this test
echo c > /proc/sysrq-trigger
