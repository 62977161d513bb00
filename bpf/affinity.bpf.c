// SPDX-License-Identifier: GPL-2.0
/*
 * affinity: the same inode always goes to the same shard.  By default
 * the shard is a hash of the inode number and device, so a file that is
 * evicted and rewritten is written back by the same worker again, and
 * files spread evenly.  A user assigns a file, or a directory tree, to a
 * shard with "wbctl assign PATH SHARD": the map "pins" is looked up for
 * the inode and then for up to 16 of its ancestor directories.  An
 * assignment to a shard the device does not have falls back to the hash.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct wbext_pin_key);
	__type(value, __u32);
} pins SEC(".maps");

SEC("struct_ops/select_ctx")
s32 BPF_PROG(affinity_select_ctx, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	u32 nr_ctx = wb->nr_ctx;
	__u64 dev = BPF_CORE_READ(inode, i_sb, s_dev);
	__u32 *pin = assigned(&pins, inode);
	__u64 h;

	if (pin && *pin < nr_ctx) {
		count_assigned();
		return chosen(*pin);
	}
	h = (inode->i_ino ^ (dev << 32)) * 0x9e3779b97f4a7c15ULL;
	return chosen((h >> 32) % nr_ctx);
}

SEC(".struct_ops.link")
struct wb_ext_ops affinity
WBEXT_SUMMARY("same inode, same shard (hash); 'wbctl assign' places files and trees") = {
	.select_ctx = (void *)affinity_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "affinity",
};
