# runner self-test: a skip for a reason outside wbext is a skip
. /tests/lib/lib.sh
skip_env "the self-test's stand-in for a missing device"
