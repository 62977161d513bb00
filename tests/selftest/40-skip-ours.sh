# runner self-test: a skip for a reason wbext controls (its own kernel
# config, its own tools) is a failure
echo "SKIP: this kernel lacks a wbext option"
exit 77
