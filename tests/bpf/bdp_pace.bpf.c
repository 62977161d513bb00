// SPDX-License-Identifier: GPL-2.0
/*
 * The pace of a throttled writer, from the balance_dirty_pages tracepoint:
 * the time the control loop allowed for the pages the writer dirtied (the
 * sum of the periods, HZ * pages / task_ratelimit) against the time that
 * passed.  Events after the first only: each period covers the pages
 * dirtied since the previous event.  The event's pause is the kernel's;
 * where a policy was asked, wb_ext_dirty_pause, just before it in the
 * same call, has the sleep after the policy's answer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile char comm[16];	/* the writer's name, set before the load */

__u64 events, pages, period, sleeps, sleep, asked, first_j, last_j;
static long ext_sleep = -1;	/* the policy's, for the next event */

static bool is_writer(void)
{
	char c[16];
	int i;

	bpf_get_current_comm(c, sizeof(c));
	for (i = 0; i < sizeof(c); i++) {
		if (c[i] != comm[i])
			return false;
		if (!c[i])
			break;
	}
	return true;
}

SEC("tp_btf/balance_dirty_pages")
int BPF_PROG(bdp_pace, struct bdi_writeback *wb, unsigned long thresh,
	     unsigned long bg_thresh, unsigned long dirty,
	     unsigned long bdi_thresh, unsigned long bdi_dirty,
	     unsigned long dirty_ratelimit, unsigned long task_ratelimit,
	     unsigned long dirtied, unsigned long p, long pause,
	     unsigned long start_time)
{
	__u64 now = bpf_jiffies64();

	if (!is_writer())
		return 0;
	if (events++) {
		pages += dirtied;
		period += p;
	} else {
		first_j = now;
	}
	last_j = now;
	if (ext_sleep >= 0) {
		pause = ext_sleep;
		ext_sleep = -1;
	}
	if (pause > 0) {
		sleeps++;
		sleep += pause;
	}
	return 0;
}

SEC("tp_btf/wb_ext_dirty_pause")
int BPF_PROG(bdp_pace_ext, struct bdi_writeback *wb, long pause, s64 answer,
	     long slept, bool over_limit)
{
	if (!is_writer())
		return 0;
	asked++;
	ext_sleep = slept;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
