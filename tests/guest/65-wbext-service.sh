# timeout: 300
# The commands wbext.service runs, as systemd runs them (dist/: the unit
# with @SBINDIR@ where make install puts wbctl, the variables of
# /etc/default/wbext split on blanks): start loads the configured policy
# with its options, reload swaps to another atomically, a second stop is
# harmless, a policy the kernel refuses
# fails the start with wbctl's reason (what "systemctl status wbext"
# shows).  The udev example's attributes exist on a block device here.
. /tests/lib/lib.sh
[ -d $wbx ] || fail "no $wbx: this kernel has no wb_ext"
[ -d /dist ] || fail "no /dist in the guest (scripts/mkinitramfs.sh copies it)"
trap 'wbctl unload > /dev/null 2>&1' EXIT
cmd_of() {	# cmd_of ExecStart|ExecStop: the unit's command line
	sed -n "s|^$1=@SBINDIR@/|/usr/local/bin/|p" /dist/wbext.service
}
start=$(cmd_of ExecStart) stop=$(cmd_of ExecStop) reload=$(cmd_of ExecReload)
[ -n "$start" ] && [ -n "$stop" ] && [ -n "$reload" ] || fail "no ExecStart/ExecReload/ExecStop in dist/wbext.service"
grep -qx "ConditionPathIsDirectory=$wbx" /dist/wbext.service || fail "the unit does not require $wbx"
# systemd: Environment= first, then EnvironmentFile= overrides; $VAR
# unquoted is split into words
run() {	# run CMD with the unit's environment plus "$@" assignments
	( eval "$(sed -n 's/^Environment=//p' /dist/wbext.service)"
	  . /dist/wbext.default
	  for a in "$@"; do eval "$a"; done
	  eval "exec $cmd" )
}
cmd=$start
out=$(run 'WBEXT_OPTIONS="-o pause_pct=50 -o chunk_kb=1024"' 2>&1) || fail "ExecStart with the default policy: $out"
echo "start: $out"
pol=$(sed -n 's/^WBEXT_POLICY=//p' /dist/wbext.default)
[ "$(cat $wbx/ops)" = "$pol" ] || fail "after ExecStart the kernel runs '$(cat $wbx/ops)', /etc/default/wbext names $pol"
wbctl status > /tmp/st.out || { cat /tmp/st.out; fail "wbctl status after ExecStart"; }
grep -Eq "^options: .*pause_pct=50( |$)" /tmp/st.out && grep -Eq "^options: .*chunk_kb=1024( |$)" /tmp/st.out ||
	{ cat /tmp/st.out; fail "WBEXT_OPTIONS did not reach the policy"; }
# reload after /etc/default/wbext changed: an atomic swap
cmd=$reload
s0=$(cat $wbx/enable_seq)
out=$(run 'WBEXT_POLICY=rr' 2>&1) || fail "ExecReload: $out"
echo "reload: $out"
[ "$(cat $wbx/ops)" = rr ] && [ "$(cat $wbx/state)" = enabled ] || fail "after ExecReload: ops '$(cat $wbx/ops)', state '$(cat $wbx/state)'"
[ "$(cat $wbx/enable_seq)" = $((s0 + 1)) ] || fail "ExecReload was not one swap: enable_seq $s0 -> $(cat $wbx/enable_seq)"
cmd=$stop
out=$(run 2>&1) || fail "ExecStop: $out"
echo "stop: $out"
[ "$(cat $wbx/state)" = disabled ] || fail "state '$(cat $wbx/state)' after ExecStop"
out=$(run 2>&1) || fail "a second ExecStop failed: $out"
# a policy that the verifier refuses: the start fails and says why
cmd=$start
if out=$(run 'WBEXT_POLICY="-f /usr/local/lib/wbext/reject_write.bpf.o"' 2>&1); then
	fail "ExecStart with a policy the verifier refuses succeeded: $out"
fi
echo "refused: $out"
echo "$out" | grep -q "verifier rejected" || fail "the failed start does not say why: $out"
[ "$(cat $wbx/state)" = disabled ] || fail "state '$(cat $wbx/state)' after a refused start"

# the udev example: every attribute it reads or writes exists on a disk
for a in $(grep -o 'ATTR{[^}]*}' /dist/60-wbext.rules | sed 's/ATTR{\(.*\)}/\1/' | sort -u) \
	 $(grep -o 'TEST=="[^"]*"' /dist/60-wbext.rules | sed 's/TEST=="\(.*\)"/\1/' | sort -u); do
	[ -e "/sys/block/ram0/$a" ] || fail "the udev example uses $a, not under /sys/block/ram0"
done
old=$(cat /sys/block/ram0/bdi/nr_wb_shards)
echo 1 > /sys/block/ram0/bdi/nr_wb_shards || fail "cannot write nr_wb_shards through /sys/block/ram0/bdi"
[ "$(cat /sys/block/ram0/bdi/nr_wb_shards)" = 1 ] || fail "nr_wb_shards did not become 1"
echo "$old" > /sys/block/ram0/bdi/nr_wb_shards
echo "udev example: its attributes exist and nr_wb_shards is writable through bdi/"
