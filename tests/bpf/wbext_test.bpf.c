// SPDX-License-Identifier: GPL-2.0
/*
 * The test policy: every wb_ext_ops callback, counted, with a mode that
 * makes one of them return a value the kernel must refuse (it ejects the
 * policy), and a fixed shard for select_shard.  wbext_test.c loads it; the
 * guest tests 51-55 drive it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "wbext_bpf.h"

/* Set by wbext_test before the load. */
enum {
	MODE_GOOD,
	MODE_BAD_SHARD,		/* select_shard returns nr_shards */
	MODE_BAD_PAUSE,		/* dirty_pause returns 1000000 jiffies */
	MODE_BAD_CHUNK,		/* writeback_chunk returns 0 */
	MODE_BAD_BG,		/* over_bg_thresh returns 2 */
	MODE_INIT_FAIL,		/* init returns -EINVAL */
	MODE_RR,		/* round robin, as the kernel default does */
	MODE_GREEDY,		/* valid but hostile: never pause a writer,
				 * never write in the background, 1-page chunks */
	MODE_QUARTER,		/* dirty_pause: a quarter of the kernel's pause */
};
const volatile int mode = MODE_GOOD;
const volatile int target_shard = -1;	/* negative: kernel default */
/* valid answers the kernel must follow, in good mode */
const volatile __u32 chunk_pages;	/* writeback_chunk; 0: the kernel's */
const volatile int bg_answer = -1;	/* over_bg_thresh; negative: the kernel's */

/* Read by wbext_test after the detach. */
__u64 nr_select, nr_pause, nr_chunk, nr_bg, nr_init, nr_exit;
__u64 shard_hits[64];			/* select_shard answers, per index */
/* select_shard calls told a kept shard (prev >= 0), and told target_shard */
__u64 nr_prev, nr_prev_target;
/* what select_shard saw of the inode's wb */
__u32 wb_nr_shards, wb_major, wb_minor;
__u64 wb_cgroup, wb_bdi_id;
/* bpf_wb_ext_shards(): entries from shard 0, then from shard nr_shards
 * (wraps to 0), then into 8 bytes (-EINVAL) */
struct wb_ext_shard kf_shards[WBEXT_SHARDS_PER_CALL];
int kf_n, kf_wrap_n, kf_small;
__u32 kf_wrap_idx;
/* what dirty_pause and over_bg_thresh saw */
__u64 pause_memcg, pause_thresh, pause_bg_thresh, bg_thresh_seen;
int exit_kind;
__u32 rr_cursor;
char exit_reason[128];

SEC("struct_ops/select_shard")
s32 BPF_PROG(wbext_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	u32 nr_shards = wb->nr_shards;
	s32 ret;

	__sync_fetch_and_add(&nr_select, 1);
	if (prev >= 0)
		__sync_fetch_and_add(&nr_prev, 1);
	if (prev >= 0 && prev == target_shard)
		__sync_fetch_and_add(&nr_prev_target, 1);
	if (mode == MODE_BAD_SHARD) {
		ret = nr_shards;
	} else if (mode == MODE_RR) {
		/* the same choices as the kernel's round robin, for overhead */
		return nr_shards ? __sync_fetch_and_add(&rr_cursor, 1) % nr_shards : -1;
	} else {
		wb_nr_shards = nr_shards;
		wb_major = wb->major;
		wb_minor = wb->minor;
		wb_cgroup = wb->cgroup_id;
		wb_bdi_id = wb->bdi_id;
		kf_wrap_n = bpf_wb_ext_shards(inode, nr_shards, kf_shards,
					      sizeof(kf_shards));
		kf_wrap_idx = kf_shards[0].idx;
		kf_small = bpf_wb_ext_shards(inode, 0, kf_shards, 8);
		kf_n = bpf_wb_ext_shards(inode, 0, kf_shards,
					 sizeof(kf_shards));
		if (target_shard < 0)
			return -1;
		ret = target_shard;
		/* a good policy never ejects itself */
		if ((u32)ret >= nr_shards)
			ret = nr_shards ? (u32)ret % nr_shards : 0;
	}
	if (ret >= 0 && ret < 64)
		__sync_fetch_and_add(&shard_hits[(u32)ret & 63], 1);
	return ret;
}

SEC("struct_ops/dirty_pause")
s64 BPF_PROG(wbext_dirty_pause, const struct wb_ext_wb *wb, s64 pause,
	     u64 pages_dirtied)
{
	__sync_fetch_and_add(&nr_pause, 1);
	if (wb->cgroup_id != 1)
		pause_memcg = wb->cgroup_id;
	if (wb->thresh > pause_thresh)
		pause_thresh = wb->thresh;
	if (wb->bg_thresh > pause_bg_thresh)
		pause_bg_thresh = wb->bg_thresh;
	if (mode == MODE_BAD_PAUSE)
		return 1000000;
	if (mode == MODE_GREEDY)
		return 0;
	if (mode == MODE_QUARTER)
		return pause >> 2;
	return pause;
}

SEC("struct_ops/writeback_chunk")
s64 BPF_PROG(wbext_writeback_chunk, const struct wb_ext_wb *wb,
	     struct inode *inode, s64 pages)
{
	__sync_fetch_and_add(&nr_chunk, 1);
	if (mode == MODE_BAD_CHUNK)
		return 0;
	if (mode == MODE_GREEDY)
		return 1;
	if (chunk_pages > 0)
		return chunk_pages;
	return pages > 0 ? pages : 1;
}

SEC("struct_ops/over_bg_thresh")
s32 BPF_PROG(wbext_over_bg_thresh, const struct wb_ext_wb *wb, s32 over)
{
	__sync_fetch_and_add(&nr_bg, 1);
	if (wb->bg_thresh > bg_thresh_seen)
		bg_thresh_seen = wb->bg_thresh;
	if (mode == MODE_BAD_BG)
		return 2;
	if (mode == MODE_GREEDY)
		return 0;
	if (bg_answer >= 0)
		return bg_answer;
	return over ? 1 : 0;
}

SEC("struct_ops/init")
s32 BPF_PROG(wbext_init)
{
	__sync_fetch_and_add(&nr_init, 1);
	if (mode == MODE_INIT_FAIL)
		return -22;	/* -EINVAL */
	return 0;
}

SEC("struct_ops/exit")
void BPF_PROG(wbext_exit, struct wb_ext_exit_info *info)
{
	__sync_fetch_and_add(&nr_exit, 1);
	exit_kind = info->kind;
	bpf_probe_read_kernel_str(exit_reason, sizeof(exit_reason),
				  info->reason);
}

SEC(".struct_ops.link")
struct wb_ext_ops wbext_test = {
	.select_shard = (void *)wbext_select_shard,
	.dirty_pause = (void *)wbext_dirty_pause,
	.writeback_chunk = (void *)wbext_writeback_chunk,
	.over_bg_thresh = (void *)wbext_over_bg_thresh,
	.init = (void *)wbext_init,
	.exit = (void *)wbext_exit,
	.flags = 0,
	.name = "wbext_test",
};

char LICENSE[] SEC("license") = "GPL";
