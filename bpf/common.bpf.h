/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every wbext policy shares: the per-CPU "stats" map, and the three
 * throttle callbacks, driven by options that wbctl sets (-o key=value):
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
 * A policy includes this file, defines its select_ctx and lists the
 * callbacks in its struct wb_ext_ops with WBEXT_THROTTLE_OPS.
 */
#ifndef WBEXT_COMMON_BPF_H
#define WBEXT_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "wbext_bpf.h"
#include "wbext_stats.h"

char LICENSE[] SEC("license") = "GPL";

WBEXT_OPTION(__u32, chunk_kb, 0, 0, 1048576,
	     "writeback chunk per inode in KiB (0: the kernel's)");
WBEXT_OPTION(__u32, pause_pct, 100, 0, 100,
	     "each dirty pause as a percentage of the kernel's: shorter, more frequent sleeps, same rate");
WBEXT_OPTION(__u32, bg_early, 0, 0, 1,
	     "1: background writeback goes on while the wb has dirty pages");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wbext_stats);
} stats SEC(".maps");

static __always_inline struct wbext_stats *my_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

/*
 * Scratch for bpf_wb_ext_shards(): too large for the stack, per CPU since
 * callbacks run with preemption off and do not nest.
 */
struct shard_view {
	struct wb_ext_shard sh[WBEXT_SHARDS_PER_CALL];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct shard_view);
} shard_views SEC(".maps");

/*
 * The shards of @inode's wb from @first on (wrapping around), at most
 * WBEXT_SHARDS_PER_CALL of them: sets *@n to how many, 0 on failure.
 */
static __always_inline struct wb_ext_shard *view_shards(struct inode *inode,
							__u32 first, int *n)
{
	__u32 zero = 0;
	struct shard_view *v = bpf_map_lookup_elem(&shard_views, &zero);

	*n = 0;
	if (!v)
		return NULL;
	*n = bpf_wb_ext_shards(inode, first, v->sh, sizeof(v->sh));
	if (*n < 0)
		*n = 0;
	return v->sh;
}

#define ASSIGN_DEPTH	16

/*
 * What "wbctl assign" put in @map (key struct wbext_pin_key) for @inode,
 * else for the nearest of its ASSIGN_DEPTH ancestor directories, walking
 * up from the inode's first dentry; NULL if none.
 */
static __always_inline __u32 *assigned(void *map, struct inode *inode)
{
	struct wbext_pin_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = inode->i_ino,
	};
	struct hlist_node *alias;
	struct dentry *d, *parent;
	__u32 *v;
	int i;

	v = bpf_map_lookup_elem(map, &key);
	if (v)
		return v;
	alias = BPF_CORE_READ(inode, i_dentry.first);
	if (!alias)
		return NULL;
	d = container_of(alias, struct dentry, d_u.d_alias);
	for (i = 0; i < ASSIGN_DEPTH; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d)
			break;
		d = parent;
		key.ino = BPF_CORE_READ(d, d_inode, i_ino);
		v = bpf_map_lookup_elem(map, &key);
		if (v)
			return v;
	}
	return NULL;
}

/* Count an answer that came from "wbctl assign". */
static __always_inline void count_assigned(void)
{
	struct wbext_stats *st = my_stats();

	if (st)
		st->pinned++;
}

/* Count a select_ctx answer and return it. */
static __always_inline s32 chosen(s32 ctx)
{
	struct wbext_stats *st = my_stats();

	if (st) {
		if (ctx < 0)
			st->fallbacks++;
		else
			st->chosen[(__u32)ctx & (WBEXT_MAX_CTX - 1)]++;
	}
	return ctx;
}

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

#endif /* WBEXT_COMMON_BPF_H */
