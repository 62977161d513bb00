// SPDX-License-Identifier: GPL-2.0
/*
 * numa: NUMA-local writeback.  An inode goes to a context whose worker
 * runs on the NUMA node of the CPU that dirtied it, round robin among the
 * node's contexts, so the worker reads page cache that is likely local
 * and the writer's node does its own writeback.  If the node has no
 * context, the kernel's round robin over all contexts decides.
 */
#include "common.bpf.h"

#define MAX_NODES	64

__u32 last[MAX_NODES];	/* context each node chose last */

/* The first context on @node after @from, or -1 if the node has none. */
static __always_inline s32 next_on_node(struct inode *inode, __u32 node,
					__u32 from, u32 nr_ctx)
{
	__u32 i;
	int j;

	bpf_for(j, 0, nr_ctx) {
		i = (from + 1 + j) % nr_ctx;
		if (bpf_wb_ext_ctx_node(inode, i) == node)
			return i;
	}
	return -1;
}

SEC("struct_ops/select_ctx")
s32 BPF_PROG(numa_select_ctx, struct inode *inode, s32 cpu, u32 nr_ctx)
{
	__u32 node = bpf_get_numa_node_id() & (MAX_NODES - 1);
	__u32 old = last[node], cur;
	s32 i = next_on_node(inode, node, old, nr_ctx);

	if (i < 0)
		return chosen(-1);
	/*
	 * Writers creating files at the same moment on one node must not
	 * both take the same turn (make bench saw two fio jobs land on one
	 * context): whoever loses the race takes the next context.
	 */
	cur = __sync_val_compare_and_swap(&last[node], old, i);
	if (cur != old) {
		i = next_on_node(inode, node, cur, nr_ctx);
		if (i < 0)
			return chosen(-1);
		last[node] = i;
	}
	return chosen(i);
}

SEC(".struct_ops.link")
struct wb_ext_ops numa = {
	.select_ctx = (void *)numa_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "numa",
};
