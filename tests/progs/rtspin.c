// SPDX-License-Identifier: GPL-2.0
/*
 * rtspin CPU SECONDS: a SCHED_FIFO busy loop pinned to CPU for SECONDS,
 * the CPU that an RT task or an isolated workload keeps busy on a real
 * machine.  Run it with /proc/sys/kernel/sched_rt_runtime_us = -1.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct timespec start, now;
	cpu_set_t set;
	long secs;

	if (argc != 3) {
		fprintf(stderr, "usage: rtspin CPU SECONDS\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	secs = atol(argv[2]);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("rtspin: sched_setaffinity");
		return 1;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		perror("rtspin: sched_setscheduler(SCHED_FIFO)");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while (now.tv_sec - start.tv_sec < secs);
	return 0;
}
