// SPDX-License-Identifier: GPL-2.0
/*
 * manyfiles DIR N: create N files DIR/<i> of one byte each, as fast as one
 * process can, and print "files=N secs=S max_us=M", where M is the longest
 * single create+write+close: the worst a writer beside the run was held up.
 * Exits 1 at the first file it cannot create.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double start, t, max = 0;
	char path[4096];
	long i, n;
	int fd;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: manyfiles DIR N\n");
		return 2;
	}
	start = now();
	for (i = 0; i < n; i++) {
		t = now();
		snprintf(path, sizeof(path), "%s/%ld", argv[1], i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, "x", 1) != 1 || close(fd)) {
			perror(path);
			return 1;
		}
		t = now() - t;
		if (t > max)
			max = t;
	}
	printf("files=%ld secs=%.2f max_us=%.0f\n", n, now() - start, max * 1e6);
	return 0;
}
