#!/bin/bash
# make fstests: writeback-relevant fstests (xfstests) in the QEMU guest, on
# the patched test kernel and the stock kernel, per filesystem.
#
#   scripts/fstests.sh [TEST...]        (default: tests/fstests/tests.list)
# Environment:
#   FSTYP         filesystems, default "xfs ext4" (one boot per kernel and fs)
#   TESTS         the tests, instead of the list (same as the arguments)
#   KERNELS       default "patched stock": build/out/test (lockdep) and
#                 build/out/stock; PATCHED_KERNEL / STOCK_KERNEL override the
#                 bzImage paths
#   VM_CPUS       vCPUs, default 4 (the patched kernel: 4 shards per wb)
#   VM_MEM        guest MiB, default 6144
#   DEV_MB        size of each RAM disk (TEST_DEV, SCRATCH_DEV), default 2048
#   APPEND        extra kernel command line (e.g. nr_wb_shards=8)
#   TEST_TIMEOUT  kill the guest when its output has not changed for this
#                 many seconds (a hung test), default 1200; the rest of the
#                 list then runs in a new boot
#   BOOT_TIMEOUT  hard limit per boot, default 10800 s (a whole list on the
#                 lockdep kernel under a loaded host took 90 minutes)
#   JOBS          runs (kernel x filesystem) at a time, default 2: one TCG
#                 guest keeps about one host core busy (shell scripts)
#   OUT           results, default build/fstests-results/YYYYmmdd-HHMMSS
#   SKIP_DONE     1: keep the runs of OUT that have a status file (resume an
#                 interrupted run, or add kernels to it), run the others
#   FSTESTS_TARBALL  the fstests source, default
#                 /work/shared/fstests/xfstests-63a29724a85f.tar.gz
# The guest's root is the host's / over 9p, read only (the fstests build,
# xfsprogs, e2fsprogs and the shell tools are the host's); OUT/KERNEL-FSTYP
# is a writable 9p share with fstests' RESULT_BASE, guest-N.log (check's
# output) and console-N.log (one per boot), dmesg.txt and status (one line
# per test).
# OUT/summary.md is the table of all runs.  Exit status 0 when every run
# finished (test failures included: read the table), 1 otherwise.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
FSTESTS=$BUILD/fstests
tarball=${FSTESTS_TARBALL:-/work/shared/fstests/xfstests-63a29724a85f.tar.gz}
fstyps=${FSTYP:-xfs ext4}
kernels=${KERNELS:-patched stock}
cpus=${VM_CPUS:-4}
mem=${VM_MEM:-6144}
dev_mb=${DEV_MB:-2048}
test_timeout=${TEST_TIMEOUT:-1200}
jobs=${JOBS:-2}
boot_timeout=${BOOT_TIMEOUT:-10800}
out=${OUT:-$BUILD/fstests-results/$(date +%Y%m%d-%H%M%S)}
config=$top/tests/fstests/local.config

tests=${*:-${TESTS:-}}
if [ -z "$tests" ]; then
	tests=$(sed 's/#.*//' "$top/tests/fstests/tests.list" | xargs)
fi
[ -n "$tests" ] || { echo "fstests: no tests" >&2; exit 2; }

kernel_path() {
	case $1 in
	patched) echo "${PATCHED_KERNEL:-$BUILD/out/test/arch/x86/boot/bzImage}" ;;
	stock) echo "${STOCK_KERNEL:-$BUILD/out/stock/arch/x86/boot/bzImage}" ;;
	*) echo "$1" ;;
	esac
}
for k in $kernels; do
	[ -f "$(kernel_path "$k")" ] || {
		echo "fstests: no $(kernel_path "$k"): run 'make kernel kernel-stock'" >&2
		exit 2
	}
done

# fstests' build and run dependencies (their own stamp: make check does not
# need them).
deps_stamp=$BUILD/.fstests-deps-done
pkgs=(xfslibs-dev uuid-dev libtool-bin automake autoconf libattr1-dev
      libacl1-dev libaio-dev liburing-dev libgdbm-dev libinih-dev attr acl
      bsdextrautils psmisc xfsdump quota gawk build-essential
      qemu-system-x86 xfsprogs e2fsprogs busybox-static)
if [ ! -f "$deps_stamp" ]; then
	missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		[ "$(id -u)" = 0 ] || {
			echo "fstests: missing packages: ${missing[*]} (run as root)" >&2
			exit 1
		}
		echo "fstests: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null
		apt-get install -y -q "${missing[@]}" >/dev/null
	fi
	mkdir -p "$BUILD" && touch "$deps_stamp"
fi

# fstests itself, built in place in build/fstests (about 5 minutes).
if [ ! -f "$FSTESTS/.wbext-built" ]; then
	if [ ! -f "$FSTESTS/check" ]; then
		[ -f "$tarball" ] || {
			echo "fstests: no source: $tarball (set FSTESTS_TARBALL)" >&2
			exit 1
		}
		echo "fstests: extracting $tarball into $FSTESTS"
		mkdir -p "$FSTESTS"
		tar xzf "$tarball" -C "$FSTESTS" --strip-components=1
	fi
	echo "fstests: building in $FSTESTS (log: $BUILD/fstests-make.log)"
	make -C "$FSTESTS" -j"$(nproc)" > "$BUILD/fstests-make.log" 2>&1 || {
		tail -n 20 "$BUILD/fstests-make.log" >&2
		exit 1
	}
	touch "$FSTESTS/.wbext-built"
fi

# status RUNDIR: one line per test of the list, "TEST STATUS [REASON]",
# STATUS pass, fail, notrun, hang (the guest stopped answering during
# it), timeout (BOOT_TIMEOUT ran out during it), crash (the guest died
# during it) or missing (never started), from
# check's output in RUNDIR/guest*.log.
status() {
	local dir=$1
	cat "$dir"/guest-*.log 2>/dev/null | tr -d '\r' | awk -v tests="$tests" '
	BEGIN {
		n = split(tests, t, " "); for (i = 1; i <= n; i++) want[t[i]] = 1
		bad = "_check_dmesg|inconsistent|output mismatch|\\[failed|dumped core|no qualified output"
	}
	/^fstests-vm: (hung|died|timeout)/ {
		if (cur != "") end[cur] = ($2 == "hung") ? "hang" : ($2 == "timeout") ? "timeout" : "crash"
		cur = ""; next
	}
	/^Failures:/ { for (i = 2; i <= NF; i++) failed[$i] = 1; cur = ""; next }
	/^(Ran|Not run|Passed all|Failed [0-9])/ { cur = ""; next }
	{
		split($1, f, " ")
		if (f[1] in want) {
			cur = f[1]; seen[cur] = 1; text[cur] = $0
			if ($0 ~ /\[not run\]/) {
				r = $0; sub(/.*\[not run\] */, "", r); notrun[cur] = r
			} else if ($0 ~ / [0-9]+s$/) {
				done[cur] = 1
			}
			if ($0 ~ bad) { failed[cur] = 1; r = $0; sub(/^[^ ]* */, "", r); why[cur] = r }
			next
		}
		if (cur != "" && $0 ~ bad) {
			failed[cur] = 1
			if (!(cur in why)) why[cur] = $0
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			x = t[i]
			if (x in failed) s = "fail " (x in why ? why[x] : "")
			else if (x in notrun) s = "notrun " notrun[x]
			else if (x in done) s = "pass"
			else if (x in end) s = end[x]
			else if (x in seen) s = "hang"
			else s = "missing"
			gsub(/^ +| +$/, "", s)
			print x " " s
		}
	}'
}

# boot KERNEL RUNDIR N TESTS...: one boot of the guest running check on
# TESTS; its output in RUNDIR/guest-N.log, the console in console-N.log.
# Returns 0 when check finished, 1 when the guest hung or died.
boot() {
	local kernel=$1 dir=$2 n=$3; shift 3
	local log=$dir/guest-$n.log console=$dir/console-$n.log
	cat > "$dir/run.env" <<-EOF
	FSTYP=$fstyp
	TESTS="$*"
	FSTESTS=$FSTESTS
	CONFIG=$config
	EOF
	local cmdline="console=ttyS0 panic=-1 oops=panic loglevel=4 printk.devkmsg=on"
	cmdline+=" root=/dev/root rootfstype=9p ro"
	cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
	cmdline+=" init=$top/scripts/fstests-guest.sh"
	cmdline+=" brd.rd_nr=2 brd.rd_size=$((dev_mb * 1024)) ${APPEND:-}"
	: > "$log"; : > "$console"
	timeout -s KILL "$boot_timeout" qemu-system-x86_64 \
		-accel "${WBEXT_ACCEL:-tcg,thread=multi}" -nodefaults \
		-display none -no-reboot -monitor none \
		-smp "$cpus" -m "${mem}M" \
		-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
		-fsdev "local,id=res,path=$dir,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=res,mount_tag=results \
		-kernel "$kernel" -append "$cmdline" \
		-serial "file:$console" -serial "file:$log" &
	local qpid=$! size=-1 still=0 now
	# Stream the guest's output and watch it: no change for TEST_TIMEOUT
	# seconds is a hung test.
	tail -n +1 -f --pid=$qpid "$log" | sed -u "s/\r\$//; s|^|  $k-$fstyp: |" &
	while kill -0 $qpid 2>/dev/null; do
		sleep 10
		now=$(stat -c %s "$log")
		if [ "$now" = "$size" ]; then
			still=$((still + 10))
			if [ $still -ge "$test_timeout" ]; then
				kill -KILL $qpid 2>/dev/null || true
				printf '\nfstests-vm: hung (no output for %ss)\n' "$test_timeout" >> "$log"
				break
			fi
		else
			size=$now still=0
		fi
	done
	local qrc=0
	wait $qpid 2>/dev/null || qrc=$?
	wait
	if grep -q '^fstests-vm: done rc=' "$log"; then
		return 0
	fi
	if grep -q '^fstests-vm: hung' "$log"; then
		:
	elif [ $qrc = 137 ]; then
		printf '\nfstests-vm: timeout (BOOT_TIMEOUT %ss)\n' "$boot_timeout" >> "$log"
	else
		printf '\nfstests-vm: died (qemu exit %s; console in %s)\n' "$qrc" "$console" >> "$log"
	fi
	echo "fstests: $k $fstyp: the guest stopped before the end; console $console:" >&2
	tail -n 30 "$console" | sed 's/^/  | /' >&2
	return 1
}

mkdir -p "$out"
echo "fstests: tests: $tests"
echo "fstests: results in $out"
# run_one KERNEL FSTYP: the list on one kernel and filesystem, in
# OUT/KERNEL-FSTYP; a new boot for the tests left after a hang or crash.
run_one() {
	local k=$1 fstyp=$2 dir=$out/$1-$2 start left n=1
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "fstests: == $k kernel, $fstyp"
	# The kernel, copied: every boot of this run (after a hang) boots the
	# same one even if make kernel replaces it meanwhile.
	local kp
	kp=$(kernel_path "$k")
	cp "$kp" "$dir/bzImage"
	{ echo "$kp"; stat -c 'mtime %y' "$kp"; sha256sum < "$kp"; } > "$dir/kernel.txt"
	start=$(date +%s)
	left=$tests
	while :; do
		# shellcheck disable=SC2086
		boot "$dir/bzImage" "$dir" $n $left && { left=""; break; }
		# After a hang or crash: the tests not yet started, in a new
		# boot (at most 3 boots per run).
		left=$(status "$dir" | awk '$2 == "missing" {printf "%s ", $1}')
		n=$((n + 1))
		[ -z "$left" ] && break
		if [ $n -gt 3 ]; then
			echo "fstests: $k $fstyp: giving up after 3 boots" >&2
			break
		fi
		echo "fstests: $k $fstyp: resuming with: $left"
	done
	echo "$(( $(date +%s) - start ))" > "$dir/seconds"
	status "$dir" > "$dir/status"
	echo "fstests: $k $fstyp: $(awk '{print $2}' "$dir/status" | sort | uniq -c | xargs) in $(cat "$dir/seconds") s"
	[ -z "$left" ]
}

rc=0 running=0
for k in $kernels; do
	for fstyp in $fstyps; do
		if [ "${SKIP_DONE:-0}" = 1 ] && [ -s "$out/$k-$fstyp/status" ]; then
			echo "fstests: == $k kernel, $fstyp: kept from before"
			continue
		fi
		if [ "$jobs" -le 1 ]; then
			run_one "$k" "$fstyp" || rc=1
			continue
		fi
		if [ $running -ge "$jobs" ]; then
			wait -n || rc=1
			running=$((running - 1))
		fi
		run_one "$k" "$fstyp" &
		running=$((running + 1))
	done
done
while [ $running -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done

# The table: one column per kernel and filesystem.
{
	echo "# fstests: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	printf '| test |'
	for fstyp in $fstyps; do for k in $kernels; do printf ' %s %s |' "$fstyp" "$k"; done; done
	echo
	printf '| --- |'
	for fstyp in $fstyps; do for k in $kernels; do printf ' --- |'; done; done
	echo
	for t in $tests; do
		printf '| %s |' "$t"
		for fstyp in $fstyps; do for k in $kernels; do
			printf ' %s |' "$(awk -v t="$t" '$1 == t {print $2}' "$out/$k-$fstyp/status" 2>/dev/null)"
		done; done
		echo
	done
	echo
	printf '| run time (s) |'
	for fstyp in $fstyps; do for k in $kernels; do printf ' %s |' "$(cat "$out/$k-$fstyp/seconds" 2>/dev/null)"; done; done
	echo
	echo
	echo "Failures and not-run reasons:"
	echo
	for fstyp in $fstyps; do for k in $kernels; do
		awk -v run="$fstyp $k" '$2 != "pass" {print "- " run ": " $0}' "$out/$k-$fstyp/status" 2>/dev/null || true
	done; done
} > "$out/summary.md"
cat "$out/summary.md"
exit $rc
