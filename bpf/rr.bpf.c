// SPDX-License-Identifier: GPL-2.0
/*
 * rr: round robin over the shards.
 * Every newly placed inode goes to the next shard, so writeback of many
 * files spreads evenly over all the workers; an inode dirtied again while
 * it is cached keeps its shard (prev), as with the kernel's default.  Good for many independent
 * files on fast storage; it splits a device's sequential streams over
 * several workers, which rotational devices dislike (see lb).
 */
#include "common.bpf.h"
#include "throttle.bpf.h"

__u32 cursor;

SEC("struct_ops/select_shard")
s32 BPF_PROG(rr_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	if (prev >= 0)
		return kept(prev);
	return chosen(__sync_fetch_and_add(&cursor, 1) % wb->nr_shards);
}

WBEXT_THROTTLE_POLICY(rr,
		      "round robin over the shards");
