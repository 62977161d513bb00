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

SEC("struct_ops/select_ctx")
s32 BPF_PROG(numa_select_ctx, struct inode *inode, s32 cpu, u32 nr_ctx)
{
	__u32 node = bpf_get_numa_node_id() & (MAX_NODES - 1);
	__u32 start = last[node] + 1, i;
	int j;

	/* the node's next context after the last one it chose */
	bpf_for(j, 0, nr_ctx) {
		i = (start + j) % nr_ctx;
		if (bpf_wb_ext_ctx_node(inode, i) == node) {
			last[node] = i;
			return chosen(i);
		}
	}
	return chosen(-1);
}

SEC(".struct_ops.link")
struct wb_ext_ops numa = {
	.select_ctx = (void *)numa_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "numa",
};
