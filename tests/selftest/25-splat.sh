# runner self-test: exits 0 but the kernel log shows a warning
echo "WARNING: CPU: 0 PID: 1 at wbext runner self-test" > /dev/kmsg
