/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics every wbext policy keeps, shared by the BPF policies (bpf/)
 * and wbctl (loader/).  One BPF_MAP_TYPE_PERCPU_ARRAY entry, map "stats",
 * pinned at /sys/fs/bpf/wbext/<policy>/stats:
 *
 *   bpftool map dump pinned /sys/fs/bpf/wbext/rr/stats
 */
#ifndef WBEXT_STATS_H
#define WBEXT_STATS_H

/* shards a policy tells apart: the kernel's most (nr_wb_shards), none folded */
#define WBEXT_MAX_SHARDS	1024

struct wbext_stats {
	__u64 chosen[WBEXT_MAX_SHARDS];	/* select_shard answers, per shard */
	__u64 fallbacks;	/* select_shard left the choice to the kernel */
	__u64 assigned;		/* affinity, stream: answers from wbctl assign */
	__u64 kept;		/* answers that kept the inode on its shard (prev) */
	__u64 pause_calls;	/* dirty_pause calls ... */
	__u64 pause_changed;	/* ... that changed the kernel's pause */
	__u64 chunk_calls;	/* writeback_chunk calls ... */
	__u64 chunk_changed;	/* ... that changed the kernel's chunk */
	__u64 bg_calls;		/* over_bg_thresh calls ... */
	__u64 bg_changed;	/* ... that changed the kernel's answer */
};

#endif /* WBEXT_STATS_H */
