// SPDX-License-Identifier: GPL-2.0
/*
 * Must not load: the wb_ext kfuncs belong to wb_ext_ops programs; another
 * struct_ops type (here a TCP congestion control, with the callbacks it
 * requires: ssthresh, cong_avoid, undo_cwnd) may not call them.  The
 * kfunc set's filter refuses the call before its arguments are checked.
 * Loaded by wbext_reject (guest test 55).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "wbext_bpf.h"

SEC("struct_ops/ssthresh")
__u32 BPF_PROG(wbx_ssthresh, struct sock *sk)
{
	struct wb_ext_shard buf[1];

	return bpf_wb_ext_shards(NULL, 0, buf, sizeof(buf)) + 2;
}

SEC("struct_ops/cong_avoid")
void BPF_PROG(wbx_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/undo_cwnd")
__u32 BPF_PROG(wbx_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops reject_kfunc = {
	.ssthresh = (void *)wbx_ssthresh,
	.cong_avoid = (void *)wbx_cong_avoid,
	.undo_cwnd = (void *)wbx_undo_cwnd,
	.name = "wbx_reject",
};

char LICENSE[] SEC("license") = "GPL";
