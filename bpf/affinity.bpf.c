// SPDX-License-Identifier: GPL-2.0
/*
 * affinity: the same inode always goes to the same shard.  By default
 * the shard is a hash of the inode number and device, so a file that is
 * evicted and rewritten is written back by the same worker again, and
 * files spread evenly.  A user assigns a file, or a directory tree, to a
 * shard with "wbctl assign PATH SHARD": the map "assignments" is looked up for
 * the inode and then for up to 16 of its ancestor directories.  An
 * assignment to a shard the device does not have falls back to the hash.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"

WBEXT_ASSIGN_MAP(WBEXT_ASSIGN_SHARDS, struct wbext_assign_key);

SEC("struct_ops/select_shard")
s32 BPF_PROG(affinity_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu, s32 prev)
{
	u32 nr_shards = wb->nr_shards;
	__u64 dev = BPF_CORE_READ(inode, i_sb, s_dev);
	__u32 *shard = assignment_of(&WBEXT_ASSIGN_SHARDS, inode);
	__u64 h;

	if (shard && *shard < nr_shards) {
		count_assigned();
		return chosen(*shard);
	}
	h = (inode->i_ino ^ (dev << 32)) * 0x9e3779b97f4a7c15ULL;
	return chosen((h >> 32) % nr_shards);
}

WBEXT_THROTTLE_POLICY(affinity,
		      "same inode, same shard (hash); 'wbctl assign' places files and trees");
