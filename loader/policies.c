// SPDX-License-Identifier: GPL-2.0
/*
 * The policies wbctl carries and their options, as their objects declare
 * them (wbctl_read_policies() in policy.c fills the table): finding one,
 * parsing -o KEY=VALUE against it.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "wbctl.h"

struct wbctl_policy wbctl_policies[MAX_POLICIES];
int wbctl_nr_policies;

const struct wbctl_policy *wbctl_find_policy(const char *name)
{
	for (int i = 0; i < wbctl_nr_policies; i++)
		if (!strcmp(wbctl_policies[i].name, name))
			return &wbctl_policies[i];
	return NULL;
}

int wbctl_parse_opt(const struct wbctl_policy *p, const char *kv,
		    struct wbctl_setting *out, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	unsigned long v;
	char *end;

	for (int i = 0; i < p->nopts; i++) {
		const struct wbctl_opt *o = &p->opts[i];

		if (strlen(o->key) != klen || strncmp(o->key, kv, klen))
			continue;
		if (!eq || !eq[1]) {
			snprintf(err, errlen, "option %s needs a value: -o %s=N",
				 o->key, o->key);
			return -1;
		}
		errno = 0;
		v = strtoul(eq + 1, &end, 0);
		if (errno || *end || eq[1] == '-' || v < o->min || v > o->max) {
			snprintf(err, errlen,
				 "option %s: '%s' is not a number in [%lu, %lu]",
				 o->key, eq + 1, o->min, o->max);
			return -1;
		}
		out->opt = o;
		out->key = o->key;
		out->value = v;
		return 0;
	}
	snprintf(err, errlen, "policy %s has no option '%.*s' (see 'wbctl list')",
		 p->name, (int)klen, kv);
	return -1;
}

int wbctl_opt_from_tag(const char *tag, struct wbctl_opt *o)
{
	static const char prefix[] = "wbext_opt:";
	char *end;

	if (strncmp(tag, prefix, sizeof(prefix) - 1))
		return -1;
	tag += sizeof(prefix) - 1;
	errno = 0;
	o->min = strtoul(tag, &end, 10);
	if (errno || end == tag || *end != ':' || *tag == '-')
		return -1;
	tag = end + 1;
	o->max = strtoul(tag, &end, 10);
	if (errno || end == tag || *end != ':' || *tag == '-' || o->max < o->min)
		return -1;
	snprintf(o->help, sizeof(o->help), "%s", end + 1);
	return 0;
}
