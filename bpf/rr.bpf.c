// SPDX-License-Identifier: GPL-2.0
/*
 * rr: round robin over the writeback contexts, the original proposal.
 * Every newly dirtied inode goes to the next context, so writeback of many
 * files spreads evenly over all the workers.  Good for many independent
 * files on fast storage; it splits a device's sequential streams over
 * several workers, which rotational devices dislike (see lb).
 */
#include "common.bpf.h"

__u32 cursor;

SEC("struct_ops/select_ctx")
s32 BPF_PROG(rr_select_ctx, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu)
{
	return chosen(__sync_fetch_and_add(&cursor, 1) % wb->nr_ctx);
}

SEC(".struct_ops.link")
struct wb_ext_ops rr
WBEXT_SUMMARY("round robin over the shards (the original proposal)") = {
	.select_ctx = (void *)rr_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "rr",
};
