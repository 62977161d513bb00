// SPDX-License-Identifier: GPL-2.0
/*
 * stream: one writer, one shard: a bounded set of shards mapped onto CPUs
 * as blk-mq maps its queues, and a stream id per writer, so that one
 * stream's pages stay together and are written in the order they were
 * dirtied.  A stream is, first match wins:
 *  - a stream id a user set on the file or a directory above it
 *    ("wbctl assign PATH ID", map "ids", 16 directories up);
 *  - a stream id a user set on the dirtying process ("wbctl assign -p PID
 *    ID", map "procs"; its children are not included: put a process tree
 *    in a cgroup and use by=1);
 *  - the dirtying task's thread group (by=0, the default) or its cgroup
 *    (by=1: one stream per cgroup; under cgroup v2 with the memory
 *    controller a service's cgroup is its wb, so by=1 writes each such wb
 *    back on one shard).  Inodes dirtied by kernel threads form one
 *    stream per thread group as well.
 * A stream's first inode in a wb picks the shard homed on the
 * writing CPU, else one on its NUMA node, else the least loaded of the
 * view; every later inode of the stream in that wb goes to the same
 * shard, so a writer's files are written back by one worker in the order
 * they were dirtied, and writers on different CPUs take different
 * workers.  An inode follows its stream: one dirtied again by another
 * writer moves to that writer's shard (prev is not kept).  Streams are remembered in an LRU map; a forgotten one chooses
 * again.  Right for a few large writers (databases, backups, VMs); rr or
 * lb spread one writer's many small files better.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"

WBEXT_OPTION(__u32, by, 0, 0, 1,
	     "what a stream is: 0 the writer's thread group, 1 its cgroup");

/* a user's stream ids, apart from thread group and cgroup ids */
#define USER_STREAM	(1ULL << 63)

WBEXT_ASSIGN_MAP(WBEXT_ASSIGN_STREAMS, struct wbext_assign_key);
WBEXT_ASSIGN_MAP(WBEXT_ASSIGN_PROCS, __u32);	/* thread group id */

struct stream_key {
	__u64 bdi_id;
	__u64 memcg;		/* the wb's cgroup: shards are per wb */
	__u64 stream;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct stream_key);
	__type(value, __u32);
} streams SEC(".maps");

/* The shard homed on @cpu, else on this node, else the least loaded. */
static __always_inline s32 place(struct inode *inode, s32 cpu)
{
	__u32 node = bpf_get_numa_node_id();
	s32 local = -1, least = -1;
	__u64 load = ~0ULL;
	struct wb_ext_shard *sh, *view;
	int j;

	for_each_shard(sh, view, j, inode, cpu) {
		if (sh->cpu == cpu)
			return sh->idx;
		if (local < 0 && sh->node == node)
			local = sh->idx;
		if (sh->nr_inodes < load) {
			load = sh->nr_inodes;
			least = sh->idx;
		}
	}
	return local >= 0 ? local : least;
}

SEC("struct_ops/select_shard")
s32 BPF_PROG(stream_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu, s32 prev)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct stream_key key = {
		.bdi_id = wb->bdi_id,
		.memcg = wb->cgroup_id,
		.stream = by ? bpf_get_current_cgroup_id() : tgid,
	};
	__u32 *id = assignment_of(&WBEXT_ASSIGN_STREAMS, inode), *shard;
	s32 i;

	if (!id)
		id = bpf_map_lookup_elem(&WBEXT_ASSIGN_PROCS, &tgid);
	if (id)
		key.stream = USER_STREAM | *id;
	shard = bpf_map_lookup_elem(&streams, &key);
	if (shard && *shard < wb->nr_shards) {
		i = *shard;
	} else {
		i = place(inode, cpu);
		/* the view may hold more shards than wb->nr_shards if they just grew */
		if (i < 0 || i >= wb->nr_shards)
			return chosen(-1);
		bpf_map_update_elem(&streams, &key, &i, BPF_ANY);
	}
	if (id)
		count_assigned();
	return chosen(i);
}

WBEXT_THROTTLE_POLICY(stream,
		      "one shard per writer, homed on its CPU");
