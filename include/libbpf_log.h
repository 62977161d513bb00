/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's messages for wbctl, wbstat and the test programs: on stderr when
 * libbpf_verbose is set (debug ones too when it is 2 or more), otherwise
 * kept in libbpf_log to show when something fails.  Userspace only.
 */
#ifndef WBEXT_LIBBPF_LOG_H
#define WBEXT_LIBBPF_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>

static int libbpf_verbose;
static char libbpf_log[64 << 10];
static size_t libbpf_log_len;

static int libbpf_log_print(enum libbpf_print_level level, const char *fmt,
			    va_list args)
{
	int n;

	if (libbpf_verbose)
		return level == LIBBPF_DEBUG && libbpf_verbose < 2 ? 0 :
			vfprintf(stderr, fmt, args);
	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_len,
		      sizeof(libbpf_log) - libbpf_log_len, fmt, args);
	if (n > 0)
		libbpf_log_len += n;
	if (libbpf_log_len > sizeof(libbpf_log) - 1)
		libbpf_log_len = sizeof(libbpf_log) - 1;
	return n;
}

/* What libbpf said, kept for a failure's report; nothing when verbose. */
static inline void libbpf_log_show(FILE *f)
{
	if (libbpf_log_len)
		fprintf(f, "libbpf:\n%s", libbpf_log);
}

#endif /* WBEXT_LIBBPF_LOG_H */
