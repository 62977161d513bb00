# timeout: 5
# runner self-test: ignores the SIGTERM of its time-out; the runner must
# kill it 10 s later all the same and fail it
trap '' TERM
sleep 1000
