# nr_wb_ctx: one context per possible CPU by default, changeable at run time
# within [1, CPUs], bad values refused; debugfs lists one line per context.
. /tests/lib/lib.sh
need_wb_ctx
bdi=$(bdi_of ram0)
cpus=$(grep -c ^processor /proc/cpuinfo)
nr=$(cat "$bdi/nr_wb_ctx")
echo "default nr_wb_ctx=$nr, $cpus CPUs"
[ "$nr" = "$cpus" ] || fail "default nr_wb_ctx is $nr, expected one per CPU ($cpus)"
for bad in 0 $((cpus + 1)) abc -1; do
	if echo "$bad" > "$bdi/nr_wb_ctx" 2>/dev/null; then
		fail "nr_wb_ctx accepted '$bad'"
	fi
done
for n in 1 2 "$cpus" 3 1 "$cpus"; do
	[ "$n" -le "$cpus" ] || continue
	echo "$n" > "$bdi/nr_wb_ctx" || fail "cannot set nr_wb_ctx=$n"
	[ "$(cat "$bdi/nr_wb_ctx")" = "$n" ] || fail "nr_wb_ctx reads $(cat "$bdi/nr_wb_ctx") after writing $n"
	live=$(wb_ctx_table "$bdi" | awk '$NF == "live"' | wc -l)
	exp=$n; [ "$n" = 1 ] && exp=0
	[ "$live" = "$exp" ] || { wb_ctx_table "$bdi"; fail "nr_wb_ctx=$n but $live live contexts in debugfs"; }
done
wb_ctx_table "$bdi"
# contexts are bound to distinct CPUs
dups=$(wb_ctx_table "$bdi" | awk '$NF == "live" {print $2}' | sort | uniq -d)
[ -z "$dups" ] || fail "two contexts share CPU $dups"
