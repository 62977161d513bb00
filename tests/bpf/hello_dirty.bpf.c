// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest BPF program of the build: counts inodes marked dirty, through
 * the writeback_mark_inode_dirty tracepoint.  It proves that our clang, libbpf,
 * bpftool, vmlinux.h and skeleton rules fit together and load in the guest.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 nr_dirtied;
__u64 watch_ino;

SEC("tp_btf/writeback_mark_inode_dirty")
int BPF_PROG(count_dirty, struct inode *inode, int flags)
{
	if (!watch_ino || inode->i_ino == watch_ino)
		__sync_fetch_and_add(&nr_dirtied, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
