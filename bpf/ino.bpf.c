// SPDX-License-Identifier: GPL-2.0
/*
 * ino: the shard is the inode number modulo the shards, the rule of the
 * first upstream series (v1, May 2025: i_ino % nr_wb_ctx).  No shared
 * state at all, and a file is written back by the same worker every time
 * it is dirtied, even after eviction.  It spreads files evenly where inode
 * numbers are handed out in sequence (ext4); on XFS an inode number
 * encodes the allocation group and cluster, so the files of one directory
 * can fold onto a few shards (see ag).  Use it to reproduce v1's figures,
 * or where per-file stability matters more than balance.
 */
#include "common.bpf.h"

SEC("struct_ops/select_ctx")
s32 BPF_PROG(ino_select_ctx, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu)
{
	return chosen(inode->i_ino % wb->nr_ctx);
}

SEC(".struct_ops.link")
struct wb_ext_ops ino
WBEXT_SUMMARY("inode number modulo the shards (upstream v1)") = {
	.select_ctx = (void *)ino_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "ino",
};
