# nr_wb_shards: changeable at run time within [1, 1024], bad values
# refused; debugfs lists the root wb's shards, the ones in use "live",
# homed on distinct CPUs while there are enough CPUs.  The default is
# 40-shards-default's.
. /tests/lib/lib.sh
need_wb_shards
bdi=$(bdi_of ram0)
cpus=$(grep -c ^processor /proc/cpuinfo)
echo "nr_wb_shards=$(cat "$bdi/nr_wb_shards") before, $cpus CPUs"
for bad in 0 1025 abc -1; do
	if echo "$bad" > "$bdi/nr_wb_shards" 2>/dev/null; then
		fail "nr_wb_shards accepted '$bad'"
	fi
done
for n in 1 2 "$cpus" 3 1 64 "$cpus"; do
	echo "$n" > "$bdi/nr_wb_shards" || fail "cannot set nr_wb_shards=$n"
	[ "$(cat "$bdi/nr_wb_shards")" = "$n" ] || fail "nr_wb_shards reads $(cat "$bdi/nr_wb_shards") after writing $n"
	live=$(shards_table "$bdi" | awk '$13 == "live"' | wc -l)
	[ "$live" = "$n" ] || { wb_shards_table "$bdi"; fail "nr_wb_shards=$n but $live live shards of the root wb in debugfs"; }
done
wb_shards_table "$bdi"
# the homes of the first CPUs shards are distinct CPUs
dups=$(shards_table "$bdi" | awk -v c=$cpus '$13 == "live" && $2 < c {print $3}' | sort | uniq -d)
[ -z "$dups" ] || fail "two shards share home CPU $dups"
