# timeout: 600
# wbctl tune: on a device limited to 16 MiB/s (null_blk mbps) one shard is
# already the device's limit, so it keeps one; on brd it keeps a count
# whose bandwidth is within its tolerance of the best and never below one
# shard's; a rotational device gets one shard without measuring; an idle
# device keeps its count.
. /tests/lib/lib.sh
need_wb_shards
cpus=$(grep -c ^processor /proc/cpuinfo)
save_vm_dirty
echo $((128 << 20)) > /proc/sys/vm/dirty_bytes
echo $((16 << 20)) > /proc/sys/vm/dirty_background_bytes
[ -d $nullb_cfg ] || fail "no null_blk configfs"
writer=
cleanup() {
	restore_vm_dirty
	kill $writer 2>/dev/null || true
	wait 2>/dev/null || true
	umount /mnt/t 2>/dev/null || true
	umount /mnt/u 2>/dev/null || true
	for n in tslow trot; do
		if [ -d $nullb_cfg/$n ]; then
			echo 0 > $nullb_cfg/$n/power
			rmdir $nullb_cfg/$n
		fi
	done
}
trap cleanup EXIT
num() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p" /tmp/tune.json; }
bw_of() { sed -n "s/.*\"mibps\":{[^}]*\"$1\":\\([0-9]*\\).*/\\1/p" /tmp/tune.json; }

echo "== idle: nothing written, nothing dirty"
sync
echo 2 > /sys/block/ram0/bdi/nr_wb_shards
wbctl tune -i 300 ram0 > /tmp/tune.out 2>&1 || { cat /tmp/tune.out; fail "wbctl tune on an idle device failed"; }
cat /tmp/tune.out
grep -q "idle" /tmp/tune.out || fail "tune did not say the device is idle"
[ "$(cat /sys/block/ram0/bdi/nr_wb_shards)" = 2 ] || fail "tune changed an idle device's count to $(cat /sys/block/ram0/bdi/nr_wb_shards)"

echo "== rotational"
nullb_create trot 256
echo 1 > /sys/block/${dev#/dev/}/queue/rotational
echo 4 > /sys/block/${dev#/dev/}/bdi/nr_wb_shards
wbctl tune ${dev#/dev/} > /tmp/tune.out 2>&1 || { cat /tmp/tune.out; fail "wbctl tune on a rotational device failed"; }
cat /tmp/tune.out
[ "$(cat /sys/block/${dev#/dev/}/bdi/nr_wb_shards)" = 1 ] || fail "a rotational device kept $(cat /sys/block/${dev#/dev/}/bdi/nr_wb_shards) shards"

echo "== a device limited to 16 MiB/s"
nullb_create tslow 1024 16
slow=${dev#/dev/}
echo 4 > /sys/block/$slow/bdi/nr_wb_shards
mkfs_mount xfs "$dev" /mnt/u
dd if=/dev/zero of=/mnt/u/f bs=1M count=700 2>/dev/null &
writer=$!
sleep 3
wbctl -j tune -i 1000 -t 15 -m 4 $slow > /tmp/tune.json 2> /tmp/tune.err || { cat /tmp/tune.json /tmp/tune.err; fail "wbctl tune on the slow device failed"; }
cat /tmp/tune.json /tmp/tune.err
json_valid /tmp/tune.json "wbctl -j tune"
[ "$(num chosen)" = 1 ] || fail "on a device whose limit one shard reaches, tune chose $(num chosen) shards"
[ "$(cat /sys/block/$slow/bdi/nr_wb_shards)" = 1 ] || fail "tune said 1 but nr_wb_shards is $(cat /sys/block/$slow/bdi/nr_wb_shards)"
b1=$(bw_of 1)
[ "${b1:-0}" -ge 8 ] && [ "$b1" -le 24 ] || fail "one shard measured ${b1} MiB/s on a 16 MiB/s device: the meter is wrong"
kill $writer; wait $writer 2>/dev/null || true
umount /mnt/u

echo "== brd, writers faster than one shard writes back"
mkfs_mount xfs /dev/ram0 /mnt/t
fio --name=w --directory=/mnt/t --rw=write --bs=64k --size=$((384 / cpus))M --numjobs=$cpus \
    --ioengine=psync --time_based --runtime=60 --minimal > /dev/null 2>&1 &
writer=$!
sleep 3
wbctl -j tune -i 1000 ram0 > /tmp/tune.json 2> /tmp/tune.err || { cat /tmp/tune.json /tmp/tune.err; fail "wbctl tune on brd failed"; }
cat /tmp/tune.json /tmp/tune.err
json_valid /tmp/tune.json "wbctl -j tune"
kill $writer; wait $writer 2>/dev/null || true
chosen=$(num chosen) b1=$(bw_of 1) bc=$(bw_of "$chosen")
[ -n "$chosen" ] && [ -n "$b1" ] && [ -n "$bc" ] || fail "tune's JSON lacks chosen or bandwidths"
[ "$bc" -ge "$b1" ] || fail "tune chose $chosen shards at $bc MiB/s, below one shard's $b1 MiB/s"
# The choice follows the measurements: the fewest shards within 5 % of the
# best (1 MiB/s of slack for the JSON's rounding).  A tuner that always
# keeps one shard fails here whenever more shards measured better.
sed -n 's/.*"mibps":{\([^}]*\)}.*/\1/p' /tmp/tune.json | tr ',' '\n' | tr -d '"' | tr ':' ' ' > /tmp/bw
best=$(sort -k2 -n /tmp/bw | tail -n1 | cut -d' ' -f2)
awk -v c="$bc" -v b="$best" 'BEGIN {exit !(c >= b * 0.95 - 1)}' ||
	fail "tune chose $chosen shards at $bc MiB/s, not within 5 % of the best measured ($best MiB/s)"
fewer=$(awk -v c="$chosen" -v b="$best" '$1 < c && $2 >= b * 0.95 + 1' /tmp/bw)
[ -z "$fewer" ] || fail "tune chose $chosen shards although fewer were within 5 % of the best ($best MiB/s): $fewer"
[ "$(cat /sys/block/ram0/bdi/nr_wb_shards)" = "$chosen" ] || fail "tune chose $chosen, nr_wb_shards is $(cat /sys/block/ram0/bdi/nr_wb_shards)"
echo "brd: chose $chosen shards ($bc MiB/s; one shard $b1 MiB/s)"
