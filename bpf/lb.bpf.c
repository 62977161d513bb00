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

const volatile __u32 max_ctx;	/* 0: all, or 1 on a rotational device */

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
s32 BPF_PROG(lb_select_ctx, struct inode *inode, s32 cpu, u32 nr_ctx)
{
	__u32 n = max_ctx, i, start, best = 0;
	s64 load, best_load = -1;
	int j;

	if (!n)
		n = rotational(inode) ? 1 : nr_ctx;
	if (n > nr_ctx)
		n = nr_ctx;
	/* the load is read without the shard's lock: equals take turns */
	start = __sync_fetch_and_add(&cursor, 1);
	bpf_for(j, 0, n) {
		i = (start + j) % n;
		load = bpf_wb_ext_ctx_load(inode, i);
		if (load >= 0 && (best_load < 0 || load < best_load)) {
			best = i;
			best_load = load;
		}
	}
	return chosen(best);
}

SEC(".struct_ops.link")
struct wb_ext_ops lb = {
	.select_ctx = (void *)lb_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "lb",
};
