// SPDX-License-Identifier: GPL-2.0
/*
 * wbstat's counters: CPU time spent in writeback work (wb_workfn, the
 * function every flusher runs, and wb_shard_workfn, which the shards of a
 * wb run on a patched kernel) and the dirty-throttle pauses of
 * balance_dirty_pages().
 *
 * CPU time is accounted with bpf_ktime_get_ns() between wb_workfn's entry,
 * the worker's context switches and its exit, so that time a worker spends
 * preempted by writers or asleep on a lock is not counted: the scheduler's
 * own sum_exec_runtime is only brought up to date at ticks and switches,
 * which would under-count every short run by up to a tick.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define MAX_CPUS 256

struct wb_run {
	__u64 start;		/* ns, while on a CPU */
	__u32 on_cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct wb_run);
} running SEC(".maps");

__u64 wb_cpu_ns[MAX_CPUS];	/* by the CPU the time was spent on */
__u64 wb_runs;
__u64 pauses;			/* balance_dirty_pages() sleeps */
__u64 pause_jiffies;
/* jiffies against ns, to turn pause_jiffies into time (HZ is not known) */
__u64 j_first, ns_first, j_last, ns_last;

static void clock_mark(void)
{
	__u64 j = bpf_jiffies64(), ns = bpf_ktime_get_ns();

	if (!j_first) {
		j_first = j;
		ns_first = ns;
	}
	j_last = j;
	ns_last = ns;
}

static void charge(struct wb_run *r, __u64 now)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (r->on_cpu && cpu < MAX_CPUS)
		__sync_fetch_and_add(&wb_cpu_ns[cpu], now - r->start);
	r->on_cpu = 0;
}

static void run_enter(void)
{
	struct wb_run r = { .start = bpf_ktime_get_ns(), .on_cpu = 1 };
	__u32 pid = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&running, &pid, &r, BPF_ANY);
	__sync_fetch_and_add(&wb_runs, 1);
	clock_mark();
}

static void run_exit(void)
{
	__u32 pid = bpf_get_current_pid_tgid();
	struct wb_run *r = bpf_map_lookup_elem(&running, &pid);

	if (r) {
		charge(r, bpf_ktime_get_ns());
		bpf_map_delete_elem(&running, &pid);
	}
	clock_mark();
}

SEC("fentry/wb_workfn")
int BPF_PROG(wb_enter, struct work_struct *work)
{
	run_enter();
	return 0;
}

SEC("fexit/wb_workfn")
int BPF_PROG(wb_exit, struct work_struct *work)
{
	run_exit();
	return 0;
}

/* not loaded where the kernel has no wb_shard_workfn (see wbstat.c) */
SEC("fentry/wb_shard_workfn")
int BPF_PROG(shard_enter, struct work_struct *work)
{
	run_enter();
	return 0;
}

SEC("fexit/wb_shard_workfn")
int BPF_PROG(shard_exit, struct work_struct *work)
{
	run_exit();
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(wb_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 prev_pid = prev->pid, next_pid = next->pid;
	__u64 now = bpf_ktime_get_ns();
	struct wb_run *r;

	r = bpf_map_lookup_elem(&running, &prev_pid);
	if (r)
		charge(r, now);
	r = bpf_map_lookup_elem(&running, &next_pid);
	if (r) {
		r->start = now;
		r->on_cpu = 1;
	}
	return 0;
}

SEC("tp_btf/balance_dirty_pages")
int BPF_PROG(dirty_pause, struct bdi_writeback *wb, unsigned long thresh,
	     unsigned long bg_thresh, unsigned long dirty,
	     unsigned long bdi_thresh, unsigned long bdi_dirty,
	     unsigned long dirty_ratelimit, unsigned long task_ratelimit,
	     unsigned long dirtied, unsigned long period, long pause,
	     unsigned long start_time)
{
	if (pause > 0) {
		__sync_fetch_and_add(&pauses, 1);
		__sync_fetch_and_add(&pause_jiffies, pause);
	}
	clock_mark();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
