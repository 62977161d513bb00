// SPDX-License-Identifier: GPL-2.0
/*
 * wbext_reject NAME EXPECTED: load reject_NAME.bpf.o (NAME: sleepable,
 * write, kfunc, scx or tcp), which the verifier must refuse, and check that its log
 * says why.
 *   exit 0, "rejected NAME: <log line>": the load failed and a line of the
 *           verifier log contains EXPECTED
 *   exit 1: it loaded, or failed for another reason (the log is printed)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"
#include "reject_sleepable.skel.h"
#include "reject_write.skel.h"
#include "reject_kfunc.skel.h"
#include "reject_scx.skel.h"
#include "reject_tcp.skel.h"

#define LOG_SIZE (1 << 20)

/*
 * Open with the verifier log going to @log, load, close.  Returns the
 * load's result (0: it loaded); *opened is false when even the open failed.
 */
#define TRY_LOAD(sk, opts, opened) ({					\
	struct sk##_bpf *__s = sk##_bpf__open_opts(opts);		\
	int __err;							\
									\
	*(opened) = !!__s;						\
	if (!__s) {							\
		__err = -errno;						\
	} else {							\
		__err = sk##_bpf__load(__s);				\
		sk##_bpf__destroy(__s);					\
	}								\
	__err;								\
})

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	const char *name, *expected;
	char *log, *line, *eol;
	bool opened;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: wbext_reject sleepable|write|kfunc|scx|tcp EXPECTED_SUBSTRING\n");
		return 2;
	}
	name = argv[1];
	expected = argv[2];
	log = calloc(1, LOG_SIZE);
	if (!log) {
		perror("wbext_reject");
		return 1;
	}
	opts.kernel_log_buf = log;
	opts.kernel_log_size = LOG_SIZE;
	opts.kernel_log_level = 1;
	libbpf_set_print(libbpf_log_print);

	if (!strcmp(name, "sleepable")) {
		err = TRY_LOAD(reject_sleepable, &opts, &opened);
	} else if (!strcmp(name, "write")) {
		err = TRY_LOAD(reject_write, &opts, &opened);
	} else if (!strcmp(name, "kfunc")) {
		err = TRY_LOAD(reject_kfunc, &opts, &opened);
	} else if (!strcmp(name, "scx")) {
		err = TRY_LOAD(reject_scx, &opts, &opened);
	} else if (!strcmp(name, "tcp")) {
		err = TRY_LOAD(reject_tcp, &opts, &opened);
	} else {
		fprintf(stderr, "wbext_reject: unknown program '%s', expected sleepable, write, kfunc, scx or tcp\n",
			name);
		return 2;
	}

	if (!err) {
		printf("%s: loaded, expected a verifier rejection\n", name);
		printf("verifier log:\n%s\n", log);
		return 1;
	}
	line = strstr(log, expected);
	if (line) {
		while (line > log && line[-1] != '\n')
			line--;
		eol = strchr(line, '\n');
		if (eol)
			*eol = '\0';
		printf("rejected %s: %s\n", name, line);
		return 0;
	}
	printf("%s: %s failed (%s) but the verifier log does not say '%s'\n",
	       name, opened ? "load" : "open", strerror(-err), expected);
	printf("verifier log:\n%s\n", log);
	libbpf_log_show(stdout);
	return 1;
}
