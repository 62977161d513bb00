# timeout: 300
# The example policies of docs/policies.md load with "wbctl load -f" and do
# what the text says: "first" puts every new inode on shard 0, "local"
# on the shard of the CPU that dirtied it; the data survives.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
all_shards
[ "$cpus" -ge 3 ] || skip_env "needs 3 CPUs to tell the CPU's shard from shard 0 (VM_CPUS=$cpus)"
lib=/usr/local/lib/wbext
mkfs_mount xfs /dev/ram0 /mnt/t
sync
trap 'wbctl unload > /dev/null 2>&1' EXIT

# check NAME SHARD [taskset -c CPU]: 8 new files written under the policy
# all land on shard SHARD
check() {
	name=$1 want=$2
	shift 2
	wbctl load -f $lib/doc_$name.bpf.o || fail "wbctl load -f doc_$name.bpf.o"
	[ "$(cat $wbx/ops)" = "$name" ] || fail "ops is '$(cat $wbx/ops)', expected $name"
	shard_inodes > /tmp/before
	"$@" fio --name=$name --directory=/mnt/t --rw=write --bs=64k --size=2m \
		--nrfiles=8 --filesize=256k --do_verify=1 --verify=crc32c \
		--minimal > /dev/null || fail "$name: fio write + verify"
	sync
	shard_inodes > /tmp/after
	shard_delta /tmp/before /tmp/after > /tmp/delta
	got=$(awk -v c="$want" '$1 == c {print $2}' /tmp/delta)
	[ "${got:-0}" -ge 8 ] || { cat /tmp/delta; fail "$name: shard $want gained ${got:-0} inodes, expected >= 8"; }
	others=$(awk -v c="$want" '$1 != c && $2 > 0 {printf " shard %s +%s", $1, $2}' /tmp/delta)
	[ -z "$others" ] || fail "$name: new inodes on other shards:$others"
	grep -q '^none' $wbx/last_exit || grep -q "^unreg" $wbx/last_exit ||
		fail "$name: last_exit '$(cat $wbx/last_exit)'"
	wbctl unload > /dev/null || fail "wbctl unload"
}

check first 0
cpu=2
shard=$(shards_table "$bdi" | awk -v c=$cpu '$3 == c && $13 == "live" {print $2; exit}')
[ -n "$shard" ] || fail "no shard on CPU $cpu in $(wb_shards_table "$bdi")"
check local "$shard" taskset -c $cpu
