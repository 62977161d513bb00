// SPDX-License-Identifier: GPL-2.0
/*
 * bdp_pace COMM CMD [ARGS...]: run CMD while counting the throttle events
 * of the tasks named COMM (bdp_pace.bpf.c), then print one line:
 *
 *   pace events=N pages=P period=J elapsed=J sleeps=N sleep=J asked=N
 *
 * in pages and jiffies: period is the time the control loop allowed for
 * the pages dirtied, elapsed the time between the first and last event,
 * sleeps the events that slept and sleep the sum of their sleeps (the
 * policy's where one was asked), asked the wb_ext_dirty_pause events: a
 * wb_ext_ops policy asked for the pause.
 * Exits with CMD's status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bdp_pace.skel.h"

int main(int argc, char **argv)
{
	struct bdp_pace_bpf *skel;
	int err, status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: %s COMM CMD [ARGS...]\n", argv[0]);
		return 2;
	}
	skel = bdp_pace_bpf__open();
	if (!skel) {
		fprintf(stderr, "open BPF object: %s\n", strerror(errno));
		return 1;
	}
	strncpy((char *)skel->rodata->comm, argv[1], sizeof(skel->rodata->comm) - 1);
	err = bdp_pace_bpf__load(skel);
	if (!err)
		err = bdp_pace_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "load/attach the balance_dirty_pages tracer: %s\n",
			strerror(-err));
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("fork/wait");
		return 1;
	}
	printf("pace events=%llu pages=%llu period=%llu elapsed=%llu sleeps=%llu sleep=%llu asked=%llu\n",
	       (unsigned long long)skel->bss->events,
	       (unsigned long long)skel->bss->pages,
	       (unsigned long long)skel->bss->period,
	       (unsigned long long)(skel->bss->last_j - skel->bss->first_j),
	       (unsigned long long)skel->bss->sleeps,
	       (unsigned long long)skel->bss->sleep,
	       (unsigned long long)skel->bss->asked);
	bdp_pace_bpf__destroy(skel);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
