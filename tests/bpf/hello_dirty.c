// SPDX-License-Identifier: GPL-2.0
/*
 * hello_dirty FILE: load and attach hello_dirty.bpf.o, append to FILE, print
 * how many times the kernel marked FILE's inode dirty, then stay attached
 * until SIGTERM/SIGINT so that a test can look at "bpftool prog list".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hello_dirty.skel.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

int main(int argc, char **argv)
{
	struct hello_dirty_bpf *skel;
	char buf[4096];
	struct stat st;
	int fd, err, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	skel = hello_dirty_bpf__open();
	if (!skel) {
		fprintf(stderr, "open BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->bss->watch_ino = st.st_ino;
	err = hello_dirty_bpf__load(skel);
	if (!err)
		err = hello_dirty_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "load/attach: %s\n", strerror(-err));
		return 1;
	}
	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < 16; i++) {
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror("write");
			return 1;
		}
		if (fsync(fd)) {	/* clean again, so the next write re-dirties */
			perror("fsync");
			return 1;
		}
	}
	printf("dirtied %llu\n", (unsigned long long)skel->bss->nr_dirtied);
	fflush(stdout);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		pause();
	hello_dirty_bpf__destroy(skel);
	close(fd);
	return 0;
}
