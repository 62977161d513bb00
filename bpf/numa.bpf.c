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

__u32 cursor[MAX_NODES];

SEC("struct_ops/select_ctx")
s32 BPF_PROG(numa_select_ctx, struct inode *inode, s32 cpu, u32 nr_ctx)
{
	__u32 node = bpf_get_numa_node_id() & (MAX_NODES - 1);
	__u32 i, n = 0, k;

	for (i = 0; i < nr_ctx && i < WBEXT_MAX_CTX; i++)
		n += bpf_wb_ext_ctx_node(inode, i) == node;
	if (!n)
		return chosen(-1);
	k = __sync_fetch_and_add(&cursor[node], 1) % n;
	for (i = 0; i < nr_ctx && i < WBEXT_MAX_CTX; i++) {
		if (bpf_wb_ext_ctx_node(inode, i) != node)
			continue;
		if (!k--)
			return chosen(i);
	}
	return chosen(-1);	/* contexts changed under us */
}

SEC(".struct_ops.link")
struct wb_ext_ops numa = {
	.select_ctx = (void *)numa_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "numa",
};
