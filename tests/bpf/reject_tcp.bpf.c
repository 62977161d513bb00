// SPDX-License-Identifier: GPL-2.0
/*
 * Must not load: a wb_ext_ops policy may not call TCP congestion
 * control's kfuncs, which share the struct_ops kfunc hook with ours.  The
 * wb_ext kfunc filter refuses the call before its arguments are checked.
 * Loaded by wbext_reject (guest test 55).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern u32 tcp_slow_start(struct tcp_sock *tp, u32 acked) __ksym;

SEC("struct_ops/select_shard")
s32 BPF_PROG(tcp_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	return tcp_slow_start(NULL, 1) % wb->nr_shards;
}

SEC(".struct_ops.link")
struct wb_ext_ops reject_tcp = {
	.select_shard = (void *)tcp_select_shard,
	.name = "reject_tcp",
};

char LICENSE[] SEC("license") = "GPL";
