# timeout: 600
# A SCHED_FIFO busy loop pinned to CPU 1 (sched_rt_runtime_us = -1) while
# files on every shard, some homed on CPU 1, are rewritten: sync finishes
# about as fast as without the loop, since the shards' workers are unbound
# and run on the other CPUs.  Reports the ratio, asserts a generous bound.
. /tests/lib/lib.sh
all_shards
[ "$cpus" -ge 2 ] || skip_env "needs 2 CPUs (VM_CPUS=$cpus)"
rt=$(cat /proc/sys/kernel/sched_rt_runtime_us)
trap 'echo $rt > /proc/sys/kernel/sched_rt_runtime_us' EXIT
mkfs_mount xfs /dev/ram0 /mnt/t
homes=$(shards_table "$bdi" | awk '$13 == "live" {printf "%s ", $3}')
echo "shard homes: $homes"
case " $homes " in *" 1 "*) ;; *) fail "no shard homed on CPU 1" ;; esac
i=0
while [ $i -lt 32 ]; do
	dd if=/dev/zero of=/mnt/t/f$i bs=64k count=32 2>/dev/null
	i=$((i + 1))
done
sync
timed_sync() {	# rewrite the files, print the seconds sync takes
	i=0
	while [ $i -lt 32 ]; do
		dd if=/dev/urandom of=/mnt/t/f$i bs=64k count=32 conv=notrunc 2>/dev/null
		i=$((i + 1))
	done
	a=$(cut -d' ' -f1 /proc/uptime)
	sync
	b=$(cut -d' ' -f1 /proc/uptime)
	echo "$a $b" | awk '{printf "%.2f", $2 - $1}'
}
t0=$(timed_sync)
echo -1 > /proc/sys/kernel/sched_rt_runtime_us
rtspin 1 120 & spin=$!
sleep 1
t1=$(timed_sync)
# the loop ran through the measurement, as SCHED_FIFO, on CPU 1 (a failed
# sched_setscheduler() would leave nothing to measure against)
kill -0 $spin 2>/dev/null || fail "rtspin exited before the measurement ended"
set -- $(cat /proc/$spin/stat)
[ "${41}" = 1 ] || fail "rtspin's policy is ${41}, not SCHED_FIFO (1)"
[ "${39}" = 1 ] || fail "rtspin last ran on CPU ${39}, not 1"
kill $spin 2>/dev/null
wait $spin 2>/dev/null || true	# killed: 143
echo "sync: ${t0} s idle, ${t1} s with CPU 1 running a SCHED_FIFO loop ($(echo "$t0 $t1" | awk '{printf "%.1fx", $2 / ($1 > 0.01 ? $1 : 0.01)}'))"
echo "$t0 $t1" | awk '{exit !($2 <= 4 * $1 + 5)}' ||
	fail "sync took ${t1} s next to the RT loop, ${t0} s without it"
