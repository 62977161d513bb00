// SPDX-License-Identifier: GPL-2.0
/*
 * lb: least-loaded shard, and no more shards than the device wants.
 *
 * The number of CPUs says nothing of the concurrency a device or
 * filesystem can take, and too many writers break large sequential I/O
 * into small pieces, which a disk pays for in seeks.  lb uses at most
 * max_shards shards (-o max_shards=N; default: all of them on SSDs, one
 * on rotational devices, where a single stream is what the disk wants),
 * and sends each newly dirtied inode to the one that holds the fewest
 * inodes, so a burst of files does not pile up behind one worker while
 * others idle, as round robin may when some inodes are cleaned sooner
 * than others.  An inode dirtied again while cached stays on its shard
 * (prev) unless that shard holds more than twice the least-loaded one's
 * inodes, plus one (itself): a move is made only where it evens the load.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"
#include <bpf/bpf_core_read.h>

#define BLK_FEAT_ROTATIONAL	(1u << 2)	/* include/linux/blkdev.h */

WBEXT_OPTION(__u32, max_shards, 0, 0, WBEXT_MAX_SHARDS,
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

SEC("struct_ops/select_shard")
s32 BPF_PROG(lb_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	__u32 n = max_shards, best = 0, best_load = 0, prev_load = 0, start;
	struct wb_ext_shard *sh, *view;
	bool found = false, prev_seen = false;
	int j;

	if (!n)
		n = rotational(inode) ? 1 : wb->nr_shards;
	if (n > wb->nr_shards)
		n = wb->nr_shards;
	if (n <= 1)
		return chosen(0);
	/* equals take turns: each look starts one shard later */
	start = __sync_fetch_and_add(&cursor, 1) % n;
	for_each_shard(sh, view, j, inode, start) {
		if (sh->idx >= n)
			continue;
		if (sh->idx == prev) {
			prev_load = sh->nr_inodes;
			prev_seen = true;
		}
		if (!found || sh->nr_inodes < best_load) {
			best = sh->idx;
			best_load = sh->nr_inodes;
			found = true;
		}
	}
	if (prev_seen && prev_load <= 2 * best_load + 1)
		return kept(prev);
	return chosen(found ? best : -1);
}

WBEXT_THROTTLE_POLICY(lb,
		      "least-loaded shard, at most max_shards; one on rotational devices");
