#!/bin/sh
# PID 1 of the wbext guest.  Mounts the usual filesystems, runs
# /etc/wbext-run.sh with its output on the second serial port (the host
# reads results there; the kernel console stays on the first), then says
# how it ended and powers off.  With no run script: a shell on the console.
/bin/busybox --install -s /bin
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t configfs configfs /sys/kernel/config
mkdir -p /host
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host 2>/dev/null || rmdir /host
hostname wbext
ulimit -l unlimited

if [ -s /etc/wbext-run.sh ] && [ "$(cat /etc/wbext-run.sh)" != "" ]; then
	cd /root
	sh /etc/wbext-run.sh > /dev/ttyS1 2>&1 < /dev/null
	echo "wbext-vm: done rc=$?" > /dev/ttyS1
else
	echo "wbext guest: 'poweroff -f' to leave"
	setsid cttyhack sh -l
fi
sync
poweroff -f
