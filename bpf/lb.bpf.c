// SPDX-License-Identifier: GPL-2.0
/*
 * lb: least-loaded shard, and no more shards than the device wants.
 *
 * Reviewers of the per-CPU writeback proposal objected that the number of
 * CPUs has nothing to do with the concurrency a device or filesystem can
 * take, and that too many writers break large sequential I/O into small
 * pieces: sequential writes on HDD lost 15 %.  lb uses at most max_ctx
 * shards (-o max_ctx=N; default: all of them on SSDs, one on rotational
 * devices, where a single stream is what the disk wants), and sends each
 * newly dirtied inode to the one that holds the fewest inodes, so a burst
 * of files does not pile up behind one worker while others idle, as round
 * robin may when some inodes are cleaned sooner than others.
 */
#include "common.bpf.h"
#include <bpf/bpf_core_read.h>

#define BLK_FEAT_ROTATIONAL	(1u << 2)	/* include/linux/blkdev.h */

WBEXT_OPTION(__u32, max_ctx, 0, 0, WBEXT_MAX_CTX,
	     "shards to use (0: all, 1 on rotational devices)");

__u32 cursor;

static __always_inline bool rotational(struct inode *inode)
{
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);
	struct block_device *bdev = BPF_CORE_READ(sb, s_bdev);

	if (!bdev)
		return false;
	return BPF_CORE_READ(bdev, bd_disk, queue, limits.features) &
	       BLK_FEAT_ROTATIONAL;
}

SEC("struct_ops/select_ctx")
s32 BPF_PROG(lb_select_ctx, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu)
{
	__u32 n = max_ctx, best = 0, best_load = 0, start, k;
	struct wb_ext_shard *sh;
	bool found = false;
	int j, got;

	if (!n)
		n = rotational(inode) ? 1 : wb->nr_ctx;
	if (n > wb->nr_ctx)
		n = wb->nr_ctx;
	if (n <= 1)
		return chosen(0);
	/*
	 * One look at up to WBEXT_SHARDS_PER_CALL shards from a rotating
	 * start: the loads are read without the shards' locks, and equals
	 * take turns.
	 */
	start = __sync_fetch_and_add(&cursor, 1) % n;
	sh = view_shards(inode, start, &got);
	if (!sh)
		return chosen(-1);
	bpf_for(j, 0, got) {
		k = j;	/* unsigned, for the verifier's bounds */
		if (k >= WBEXT_SHARDS_PER_CALL)
			break;
		if (sh[k].idx >= n)
			continue;
		if (!found || sh[k].nr_inodes < best_load) {
			best = sh[k].idx;
			best_load = sh[k].nr_inodes;
			found = true;
		}
	}
	return chosen(found ? best : -1);
}

SEC(".struct_ops.link")
struct wb_ext_ops lb
WBEXT_SUMMARY("least-loaded shard, at most max_ctx; one on rotational devices") = {
	.select_ctx = (void *)lb_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "lb",
};
