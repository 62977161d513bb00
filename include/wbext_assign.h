/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The assignment maps: what "wbctl assign" writes and a policy that
 * honours assignments reads.  A policy declares them with
 * WBEXT_ASSIGN_MAP() (bpf/common.bpf.h) under these names; wbctl finds
 * them pinned under /sys/fs/bpf/wbext/<policy>/ by the same names, so a
 * user's policy that declares one takes assignments as the built-in ones
 * do.  Values are __u32.
 */
#ifndef WBEXT_ASSIGN_H
#define WBEXT_ASSIGN_H

/* entries of each map; wbctl assign says so when one is full */
#define WBEXT_ASSIGN_MAX	4096

/* wbext_assign_key -> shard: a file or tree on a shard (affinity) */
#define WBEXT_ASSIGN_SHARDS	assignments
/* wbext_assign_key -> stream id: a file or tree in a stream (stream) */
#define WBEXT_ASSIGN_STREAMS	ids
/* thread group id -> stream id: a process's stream (stream) */
#define WBEXT_ASSIGN_PROCS	procs

#define WBEXT_STR_(x)		#x
#define WBEXT_STR(x)		WBEXT_STR_(x)

/* a file or directory, as the kernel names it: sb->s_dev and i_ino */
struct wbext_assign_key {
	__u64 dev;		/* major << 20 | minor, as the kernel's sb->s_dev */
	__u64 ino;
};

#endif /* WBEXT_ASSIGN_H */
