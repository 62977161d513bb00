// SPDX-License-Identifier: GPL-2.0
/*
 * wbstat: what the benchmark measures besides fio's own figures, from
 * start until SIGINT or SIGTERM.
 *
 *   wbstat [-d DEV] [-i MS] [-o SERIES.csv]
 *
 * Every MS milliseconds (default 250) one line of SERIES.csv:
 *   t_s,dev_write_mibps,wb_done_mibps,dirty_mib,writeback_mib
 * dev_write_mibps: sectors written by DEV in /proc/diskstats; wb_done_mibps:
 * pages whose writeback completed (/proc/vmstat nr_written), which is what
 * a device without I/O accounting (brd) can show.
 * On exit one line on stdout:
 *   wbstat seconds=S dev_write_mib=M wb_done_mib=M wb_cpu_s=S wb_runs=N
 *          pauses=N pause_s=S hz=HZ wb_cpu_by_cpu=S/S/...
 * wb_cpu_s is the CPU time spent in writeback work (wb_workfn), pauses the
 * dirty-throttle sleeps of balance_dirty_pages(); both come from BPF and
 * read "na" where BPF is not available (the reason goes to stderr).
 * "ready" goes to stdout once the counters are attached.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"
#include "wbstat.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sectors written by @dev, -1 when it is not in /proc/diskstats. */
static long long dev_sectors(const char *dev)
{
	unsigned long long v[7];
	long long ret = -1;
	char name[64], line[512];
	FILE *f = fopen("/proc/diskstats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*u %*u %63s %llu %llu %llu %llu %llu %llu %llu",
			   name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6]) == 8 && !strcmp(name, dev)) {
			ret = v[6];
			break;
		}
	}
	fclose(f);
	return ret;
}

static unsigned long long vmstat(const char *key)
{
	unsigned long long v = 0, x;
	char k[64];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", k, &x) == 2)
		if (!strcmp(k, key)) {
			v = x;
			break;
		}
	fclose(f);
	return v;
}

static void meminfo(double *dirty_mib, double *wb_mib)
{
	unsigned long long kb;
	char k[64], line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	*dirty_mib = *wb_mib = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu", k, &kb) != 2)
			continue;
		if (!strcmp(k, "Dirty:"))
			*dirty_mib = kb / 1024.0;
		else if (!strcmp(k, "Writeback:"))
			*wb_mib = kb / 1024.0;
	}
	fclose(f);
}

static struct wbstat_bpf *attach(void)
{
	struct wbstat_bpf *skel;
	int err;

	libbpf_set_print(libbpf_log_print);
	skel = wbstat_bpf__open();
	/* writeback shards run wb_shard_workfn; a stock kernel has none */
	if (skel && libbpf_find_vmlinux_btf_id("wb_shard_workfn",
					       BPF_TRACE_FENTRY) < 0) {
		bpf_program__set_autoload(skel->progs.shard_enter, false);
		bpf_program__set_autoload(skel->progs.shard_exit, false);
	}
	if (skel && wbstat_bpf__load(skel)) {
		wbstat_bpf__destroy(skel);
		skel = NULL;
	}
	if (!skel) {
		err = -errno;
		fprintf(stderr, "wbstat: cannot load the BPF counters (%s)%s; "
			"writeback CPU time and throttle pauses are not measured\n",
			strerror(-err), err == -EPERM ?
			": run as root" : ": the kernel needs BTF and BPF tracing");
		libbpf_log_show(stderr);
		return NULL;
	}
	err = wbstat_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "wbstat: cannot attach the BPF counters (%s); "
			"writeback CPU time and throttle pauses are not measured\n",
			strerror(-err));
		libbpf_log_show(stderr);
		wbstat_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

static void report(struct wbstat_bpf *skel, double secs, long long sectors,
		   unsigned long long pages)
{
	long page = sysconf(_SC_PAGESIZE), ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct wbstat_bpf__bss *b;
	double cpu = 0, hz = 0;
	int i, last = 0;

	printf("wbstat seconds=%.3f", secs);
	if (sectors >= 0)
		printf(" dev_write_mib=%.1f", sectors / 2048.0);
	else
		printf(" dev_write_mib=na");
	printf(" wb_done_mib=%.1f", (double)pages * page / (1 << 20));
	if (!skel) {
		printf(" wb_cpu_s=na wb_runs=na pauses=na pause_s=na hz=na\n");
		return;
	}
	b = skel->bss;
	for (i = 0; i < (int)(sizeof(b->wb_cpu_ns) / sizeof(b->wb_cpu_ns[0])); i++) {
		cpu += b->wb_cpu_ns[i] / 1e9;
		if (b->wb_cpu_ns[i])
			last = i;
	}
	/* HZ from jiffies against ns, rounded to a value Kconfig offers */
	if (b->ns_last - b->ns_first > 500000000ULL) {
		static const int hzs[] = { 100, 250, 300, 1000 };
		double m = (b->j_last - b->j_first) * 1e9 / (b->ns_last - b->ns_first);

		hz = hzs[0];
		for (i = 1; i < 4; i++)
			if (abs(hzs[i] - (int)m) < abs((int)hz - (int)m))
				hz = hzs[i];
	}
	printf(" wb_cpu_s=%.3f wb_runs=%llu pauses=%llu", cpu,
	       (unsigned long long)b->wb_runs, (unsigned long long)b->pauses);
	if (hz)
		printf(" pause_s=%.3f hz=%.0f", b->pause_jiffies / hz, hz);
	else
		printf(" pause_s=%s hz=na", b->pause_jiffies ? "na" : "0");
	printf(" wb_cpu_by_cpu=");
	if (last < ncpu - 1)
		last = ncpu - 1;
	for (i = 0; i <= last; i++)
		printf("%s%.3f", i ? "/" : "", b->wb_cpu_ns[i] / 1e9);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *dev = "ram0", *series = NULL;
	unsigned long long pages0, pages, prev_pages;
	long long sect0, sect, prev_sect;
	struct wbstat_bpf *skel;
	double t0, t, prev_t;
	int interval_ms = 250, opt;
	struct sigaction sa = { .sa_handler = on_signal };
	FILE *out = NULL;

	while ((opt = getopt(argc, argv, "d:i:o:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'i': interval_ms = atoi(optarg); break;
		case 'o': series = optarg; break;
		default:
			fprintf(stderr, "usage: wbstat [-d DEV] [-i MS] [-o SERIES.csv]\n");
			return 2;
		}
	}
	if (interval_ms < 10 || interval_ms > 60000) {
		fprintf(stderr, "wbstat: -i %d: the interval is 10 to 60000 ms\n",
			interval_ms);
		return 2;
	}
	sect0 = dev_sectors(dev);
	if (sect0 < 0)
		fprintf(stderr, "wbstat: no %s in /proc/diskstats; device "
			"bandwidth is not measured (see -d)\n", dev);
	if (series) {
		out = fopen(series, "w");
		if (!out) {
			fprintf(stderr, "wbstat: %s: %s\n", series, strerror(errno));
			return 1;
		}
		fprintf(out, "t_s,dev_write_mibps,wb_done_mibps,dirty_mib,writeback_mib\n");
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	skel = attach();
	printf("ready\n");
	fflush(stdout);

	pages0 = prev_pages = vmstat("nr_written");
	prev_sect = sect0;
	t0 = prev_t = now_s();
	while (!stop) {
		struct timespec ts = { interval_ms / 1000,
				       (interval_ms % 1000) * 1000000L };
		double dirty, wb, dt;

		nanosleep(&ts, NULL);
		t = now_s();
		dt = t - prev_t;
		sect = dev_sectors(dev);
		pages = vmstat("nr_written");
		meminfo(&dirty, &wb);
		if (out && dt > 0)
			fprintf(out, "%.3f,%.1f,%.1f,%.1f,%.1f\n", t - t0,
				sect0 < 0 ? 0 : (sect - prev_sect) / 2048.0 / dt,
				(double)(pages - prev_pages) *
				sysconf(_SC_PAGESIZE) / (1 << 20) / dt, dirty, wb);
		prev_t = t;
		prev_sect = sect;
		prev_pages = pages;
	}
	if (out)
		fclose(out);
	report(skel, now_s() - t0, sect0 < 0 ? -1 : dev_sectors(dev) - sect0,
	       vmstat("nr_written") - pages0);
	wbstat_bpf__destroy(skel);
	return 0;
}
