// SPDX-License-Identifier: GPL-2.0
/* The policies wbctl carries and their options; see bpf/ for each one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "wbctl.h"

/* bpf/common.bpf.h: every policy has these */
static const struct wbctl_opt opt_chunk_kb = {
	"chunk_kb", 0, 1 << 20, 0,
	"writeback chunk per inode in KiB (0: the kernel's)" };
static const struct wbctl_opt opt_pause_pct = {
	"pause_pct", 0, 100, 100,
	"each dirty pause as a percentage of the kernel's: shorter, more frequent sleeps, same rate" };
static const struct wbctl_opt opt_bg_early = {
	"bg_early", 0, 1, 0,
	"1: background writeback goes on while the wb has dirty pages" };
static const struct wbctl_opt opt_max_ctx = {
	"max_ctx", 0, WBEXT_MAX_CTX, 0,
	"shards to use (0: all, 1 on rotational devices)" };
static const struct wbctl_opt opt_by = {
	"by", 0, 1, 0,
	"what a stream is: 0 the writer's thread group, 1 its cgroup" };

#define COMMON_OPTS &opt_chunk_kb, &opt_pause_pct, &opt_bg_early

const struct wbctl_policy wbctl_policies[] = {
	{ "rr", "round robin over the shards (the original proposal)",
	  { COMMON_OPTS } },
	{ "affinity", "same inode, same shard (hash); 'wbctl assign' places files and trees",
	  { COMMON_OPTS } },
	{ "numa", "a shard on the NUMA node of the dirtying CPU",
	  { COMMON_OPTS } },
	{ "lb", "least-loaded shard, at most max_ctx; one on rotational devices",
	  { COMMON_OPTS, &opt_max_ctx } },
	{ "ino", "inode number modulo the shards (upstream v1)",
	  { COMMON_OPTS } },
	{ "ag", "the XFS allocation group / ext4 block group, modulo the shards (upstream v2, v3)",
	  { COMMON_OPTS } },
	{ "stream", "one shard per writer, homed on its CPU (the 2026 stream proposal)",
	  { COMMON_OPTS, &opt_by } },
};
const int wbctl_nr_policies = sizeof(wbctl_policies) / sizeof(wbctl_policies[0]);

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

	for (int i = 0; i < MAX_OPTS && p->opts[i]; i++) {
		const struct wbctl_opt *o = p->opts[i];

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
