/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The throttle callbacks of the policies in bpf/, driven by options that
 * wbctl sets (-o key=value):
 *
 *   chunk_kb   writeback chunk per inode, in KiB (0: the kernel's)
 *   pause_pct  each dirty pause cut to this percentage of the kernel's
 *              (100: unchanged).  It sets how long one sleep is, not how
 *              fast a writer may dirty: the kernel adds what a shorter
 *              sleep left out to the next pause and brings the writer
 *              back sooner, so it sleeps more often, for less each time
 *              (what is left out beyond the longest pause is forgiven).
 *              While a dirty limit is reached the kernel keeps its pause
 *   bg_early   1: background writeback goes on while the wb has dirty pages
 *
 * A policy that wants them includes this file after common.bpf.h and
 * lists them in its struct wb_ext_ops with WBEXT_THROTTLE_OPS; one that
 * does not leaves the kernel's throttling alone, at no cost.
 */
#ifndef WBEXT_THROTTLE_BPF_H
#define WBEXT_THROTTLE_BPF_H

#include "common.bpf.h"

WBEXT_OPTION(__u32, chunk_kb, 0, 0, 1048576,
	     "writeback chunk per inode in KiB (0: the kernel's)");
WBEXT_OPTION(__u32, pause_pct, 100, 0, 100,
	     "each dirty pause as a percentage of the kernel's: shorter, more frequent sleeps, same rate");
WBEXT_OPTION(__u32, bg_early, 0, 0, 1,
	     "1: background writeback goes on while the wb has dirty pages");

SEC("struct_ops/dirty_pause")
s64 BPF_PROG(wbext_dirty_pause, const struct wb_ext_wb *wb, s64 pause,
	     u64 pages_dirtied)
{
	struct wbext_stats *st = my_stats();
	s64 p = pause;

	if (pause_pct < 100)
		p = pause <= 0 ? 0 : (u64)pause * pause_pct / 100;
	if (st) {
		st->pause_calls++;
		st->pause_changed += p != pause;
	}
	return p;
}

SEC("struct_ops/writeback_chunk")
s64 BPF_PROG(wbext_writeback_chunk, const struct wb_ext_wb *wb,
	     struct inode *inode, s64 pages)
{
	struct wbext_stats *st = my_stats();
	s64 p = chunk_kb ? chunk_kb / 4 : pages;	/* 4 KiB pages */

	if (p < 1)
		p = 1;
	if (st) {
		st->chunk_calls++;
		st->chunk_changed += p != pages;
	}
	return p;
}

SEC("struct_ops/over_bg_thresh")
s32 BPF_PROG(wbext_over_bg_thresh, const struct wb_ext_wb *wb, s32 over)
{
	struct wbext_stats *st = my_stats();
	s32 r = over || (bg_early && wb->dirty);

	if (st) {
		st->bg_calls++;
		st->bg_changed += r != over;
	}
	return r;
}

#define WBEXT_THROTTLE_OPS					\
	.dirty_pause = (void *)wbext_dirty_pause,		\
	.writeback_chunk = (void *)wbext_writeback_chunk,	\
	.over_bg_thresh = (void *)wbext_over_bg_thresh

/*
 * The struct wb_ext_ops of a policy in bpf/: NAME_select_shard and the
 * callbacks above, named as its file (wbctl checks), with its summary.
 */
#define WBEXT_THROTTLE_POLICY(NAME, summary)			\
	SEC(".struct_ops.link")					\
	struct wb_ext_ops NAME WBEXT_SUMMARY(summary) = {	\
		.select_shard = (void *)NAME##_select_shard,	\
		WBEXT_THROTTLE_OPS,				\
		.name = #NAME,					\
	}

#endif /* WBEXT_THROTTLE_BPF_H */
