// SPDX-License-Identifier: GPL-2.0
/*
 * numa: NUMA-local writeback.  An inode goes to a shard whose worker
 * is homed on the NUMA node of the CPU that dirtied it, round robin among
 * the node's shards, so the worker reads page cache that is likely local
 * and the writer's node does its own writeback.  If the node has no
 * shard (among the WBEXT_SHARDS_PER_CALL after the node's last choice),
 * the kernel's round robin over all shards decides.  An inode dirtied
 * again while cached keeps its shard (prev) if that shard is on the
 * writer's node.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"

#define MAX_NODES	64

__u32 last[MAX_NODES];	/* shard each node chose last */

/* The first shard on @node after @from, or -1 if the view has none. */
static __always_inline s32 next_on_node(struct inode *inode, __u32 node,
					__u32 from)
{
	struct wb_ext_shard *sh, *view;
	int j;

	for_each_shard(sh, view, j, inode, from + 1)
		if (sh->node == node)
			return sh->idx;
	return -1;
}

SEC("struct_ops/select_shard")
s32 BPF_PROG(numa_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	__u32 node = bpf_get_numa_node_id();
	__u32 slot = node & (MAX_NODES - 1);
	__u32 old = last[slot], cur;
	struct wb_ext_shard *sh, *view;
	int j;
	s32 i;

	if (prev >= 0) {
		/* the view's first shard is prev's */
		for_each_shard(sh, view, j, inode, prev) {
			if (sh->node == node)
				return kept(prev);
			break;
		}
	}
	i = next_on_node(inode, node, old);

	if (i < 0)
		return chosen(-1);
	/*
	 * Writers creating files at the same moment on one node must not
	 * both take the same turn, or their files share one worker: whoever
	 * loses the race takes the next shard.
	 */
	cur = __sync_val_compare_and_swap(&last[slot], old, i);
	if (cur != old) {
		i = next_on_node(inode, node, cur);
		if (i < 0)
			return chosen(-1);
		last[slot] = i;
	}
	return chosen(i);
}

WBEXT_THROTTLE_POLICY(numa,
		      "a shard on the NUMA node of the dirtying CPU");
