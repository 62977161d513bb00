// SPDX-License-Identifier: GPL-2.0
/*
 * ino: the shard is the inode number modulo the shards.  No shared state
 * at all, and a file is written back by the same worker every time it is
 * dirtied, even after eviction.  It spreads files evenly where inode
 * numbers are handed out in sequence (ext4); on XFS an inode number
 * encodes the allocation group and cluster, so the files of one directory
 * can fold onto a few shards (see ag).  For where per-file stability
 * matters more than balance.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"

SEC("struct_ops/select_shard")
s32 BPF_PROG(ino_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	return chosen(inode->i_ino % wb->nr_shards);
}

WBEXT_THROTTLE_POLICY(ino,
		      "inode number modulo the shards");
