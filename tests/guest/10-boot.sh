# The guest runs our kernel, with BTF and the NUMA layout the host asked for.
. /tests/lib/lib.sh
uname -a
case $(uname -r) in 6.12.*) ;; *) fail "kernel is $(uname -r), expected 6.12" ;; esac
[ -s /sys/kernel/btf/vmlinux ] || fail "no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF?)"
echo "BTF: $(wc -c < /sys/kernel/btf/vmlinux) bytes"
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
cpus=$(grep -c ^processor /proc/cpuinfo)
echo "cpus=$cpus nodes=$nodes"
[ "$cpus" = "$WBEXT_CPUS" ] || fail "$cpus CPUs, host asked for $WBEXT_CPUS"
[ "$nodes" = "$WBEXT_NODES" ] || fail "$nodes NUMA nodes, host asked for $WBEXT_NODES"
for n in /sys/devices/system/node/node[0-9]*; do
	echo "${n##*/}: cpus $(cat "$n/cpulist")"
	[ -n "$(cat "$n/cpulist")" ] || fail "${n##*/} has no CPU"
done
[ -b /dev/nullb0 ] || fail "no /dev/nullb0"
[ -b /dev/ram0 ] || fail "no /dev/ram0"
