// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of wbctl's option parsing, policy table and output
 * formatting (loader/policies.c, loader/format.c).  No BPF, no root.
 */
#include <stdlib.h>
#include <string.h>
#include "wbctl.h"

static int failed, passed;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
	}								\
} while (0)

#define STARTS(s, lit)	(!strncmp((s), (lit), sizeof(lit) - 1))

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	static char buf[1 << 16];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fn(f, arg);
	fclose(f);
	return buf;
}

static void opt_ok(const char *policy, const char *kv, const char *key,
		   unsigned long want)
{
	const struct wbctl_policy *p = wbctl_find_policy(policy);
	struct wbctl_setting s = {};
	char err[256] = "";

	CHECK(p && !wbctl_parse_opt(p, kv, &s, err, sizeof(err)) &&
	      !strcmp(s.opt->key, key) && s.value == want,
	      "%s -o %s: expected %s=%lu, got error '%s'", policy, kv, key,
	      want, err);
}

static void opt_bad(const char *policy, const char *kv, const char *msg)
{
	const struct wbctl_policy *p = wbctl_find_policy(policy);
	struct wbctl_setting s = {};
	char err[256] = "";

	CHECK(p && wbctl_parse_opt(p, kv, &s, err, sizeof(err)) &&
	      strstr(err, msg),
	      "%s -o %s: expected an error containing '%s', got '%s'",
	      policy, kv, msg, err);
}

static void list_text(FILE *f, void *arg) { wbctl_print_list(f); }
static void list_json(FILE *f, void *arg)
{
	struct jw w;

	jw_init(&w, f, arg != NULL);
	wbctl_print_list_json(&w);
}

static struct wbext_stats v[2];
static void table(FILE *f, void *arg) { wbctl_print_stats_table(f, "rr", v, 2, 3, false); }
static void table_cpu(FILE *f, void *arg) { wbctl_print_stats_table(f, "rr", v, 2, 3, true); }
static void json(FILE *f, void *arg)
{
	struct jw w;

	jw_init(&w, f, false);
	wbctl_print_stats_json(&w, "rr", v, 2, 3, arg != NULL);
}
static void pretty(FILE *f, void *arg)
{
	struct jw w;

	jw_init(&w, f, true);
	jw_open(&w, NULL, '{');
	jw_str(&w, "a", "q\"b\\");
	jw_open(&w, "l", '[');
	jw_u64(&w, NULL, 1);
	jw_u64(&w, NULL, 2);
	jw_close(&w, ']');
	jw_open(&w, "e", '{');
	jw_close(&w, '}');
	jw_bool(&w, "t", true);
	jw_close(&w, '}');
}

int main(void)
{
	const char *names[] = { "rr", "affinity", "numa", "lb" };
	char *out;

	/* the policy table */
	for (int i = 0; i < 4; i++)
		CHECK(wbctl_find_policy(names[i]), "policy %s missing", names[i]);
	CHECK(!wbctl_find_policy("nosuch"), "found a policy 'nosuch'");
	CHECK(!wbctl_find_policy("r"), "a prefix matched a policy");

	/* options: values, bounds, keys per policy */
	opt_ok("rr", "chunk_kb=512", "chunk_kb", 512);
	opt_ok("rr", "chunk_kb=0x10", "chunk_kb", 16);
	opt_ok("numa", "pause_pct=0", "pause_pct", 0);
	opt_ok("affinity", "bg_early=1", "bg_early", 1);
	opt_ok("lb", "max_ctx=2", "max_ctx", 2);
	opt_bad("rr", "max_ctx=2", "has no option 'max_ctx'");
	opt_bad("rr", "chunk", "has no option 'chunk'");
	opt_bad("rr", "chunk_kb", "needs a value");
	opt_bad("rr", "chunk_kb=", "needs a value");
	opt_bad("rr", "chunk_kb=abc", "not a number in [0, 1048576]");
	opt_bad("rr", "chunk_kb=12k", "not a number");
	opt_bad("rr", "chunk_kb=-1", "not a number");
	opt_bad("rr", "pause_pct=101", "not a number in [0, 100]");
	opt_bad("lb", "bg_early=2", "not a number in [0, 1]");
	opt_bad("lb", "max_ctx=1025", "not a number in [0, 1024]");
	opt_bad("lb", "max_ctx=99999999999999999999", "not a number");

	/* list: one line per policy, then its options with bounds */
	out = capture(list_text, NULL);
	CHECK(strstr(out, "rr ") && strstr(out, "affinity ") &&
	      strstr(out, "numa ") && strstr(out, "lb "), "list: %s", out);
	CHECK(strstr(out, "    -o max_ctx=N  shards to use") &&
	      strstr(out, "[0..1024, default 0]"), "list: %s", out);
	out = capture(list_json, NULL);
	CHECK(STARTS(out, "[{\"name\":\"rr\",\"summary\":") &&
	      strstr(out, "{\"key\":\"max_ctx\",\"min\":0,\"max\":1024,\"default\":0,") &&
	      !strcmp(out + strlen(out) - 4, "]}]\n"), "list -j: %s", out);
	out = capture(list_json, out);
	CHECK(STARTS(out, "[\n  {\n    \"name\": \"rr\",\n"), "list -p: %s", out);
	/* the JSON writer: escapes, nesting, empty containers, indent */
	out = capture(pretty, NULL);
	CHECK(!strcmp(out, "{\n  \"a\": \"q\\\"b\\\\\",\n  \"l\": [\n    1,\n    2\n  ],\n"
			   "  \"e\": {},\n  \"t\": true\n}\n"), "pretty:\n%s", out);
	/* stats: per-context rows summed over CPUs, counters, JSON */
	v[0].chosen[0] = 3; v[1].chosen[0] = 4;
	v[0].chosen[2] = 5;
	v[1].fallbacks = 7;
	v[0].pause_calls = 10; v[1].pause_calls = 1; v[1].pause_changed = 1;
	v[0].chosen[3] = 99;	/* beyond the 3 contexts shown */
	out = capture(table, NULL);
	CHECK(strstr(out, "policy rr: inodes chosen per shard, summed over CPUs\n") &&
	      strstr(out, "\n0                       7\n") &&
	      strstr(out, "\n1                       0\n") &&
	      strstr(out, "\n2                       5\n") &&
	      strstr(out, "\nfallbacks               7\n") &&
	      strstr(out, "\npause_calls            11\n") &&
	      !strstr(out, "\n3 ") && !strstr(out, "cpu0"), "table:\n%s", out);
	out = capture(table_cpu, NULL);
	CHECK(strstr(out, "\n0                       7          3          4\n") &&
	      strstr(out, "\n1                       0          0          0\n") &&
	      strstr(out, "\n2                       5          5          0\n") &&
	      strstr(out, "\nfallbacks               7          0          7\n") &&
	      strstr(out, "\npause_calls            11         10          1\n") &&
	      !strstr(out, "\n3 "), "table --per-cpu:\n%s", out);
	CHECK(strstr(out, "       cpu0       cpu1\n"), "table header:\n%s", out);
	out = capture(json, NULL);
	CHECK(!strcmp(out,
		"{\"policy\":\"rr\",\"chosen\":[7,0,5],\"fallbacks\":7,\"pinned\":0,"
		"\"pause_calls\":11,\"pause_changed\":1,\"chunk_calls\":0,\"chunk_changed\":0,"
		"\"bg_calls\":0,\"bg_changed\":0}\n"),
	      "json:\n%s", out);
	out = capture(json, out);
	CHECK(!strcmp(out,
		"{\"policy\":\"rr\",\"chosen\":[7,0,5],\"fallbacks\":7,\"pinned\":0,"
		"\"pause_calls\":11,\"pause_changed\":1,\"chunk_calls\":0,\"chunk_changed\":0,"
		"\"bg_calls\":0,\"bg_changed\":0,\"per_cpu\":["
		"{\"cpu\":0,\"chosen\":[3,0,5],\"fallbacks\":0,\"pinned\":0,\"pause_calls\":10,"
		"\"pause_changed\":0,\"chunk_calls\":0,\"chunk_changed\":0,\"bg_calls\":0,\"bg_changed\":0},"
		"{\"cpu\":1,\"chosen\":[4,0,0],\"fallbacks\":7,\"pinned\":0,\"pause_calls\":1,"
		"\"pause_changed\":1,\"chunk_calls\":0,\"chunk_changed\":0,\"bg_calls\":0,\"bg_changed\":0}]}\n"),
	      "json --per-cpu:\n%s", out);
	/* wbctl tune's decision: the fewest shards within tol of the best */
	{
		const double flat[] = { 12, 12.5, 12.2 };	/* a device's limit */
		const double gain[] = { 21, 30, 22 };
		const double late[] = { 10, 20, 30, 31 };
		const double none[] = { 0.1, 0.2, 0 };
		const double dip[] = { 30, 10, 29 };

		CHECK(wbctl_tune_pick(flat, 3, 5) == 0, "flat: %d", wbctl_tune_pick(flat, 3, 5));
		CHECK(wbctl_tune_pick(gain, 3, 5) == 1, "gain: %d", wbctl_tune_pick(gain, 3, 5));
		CHECK(wbctl_tune_pick(late, 4, 5) == 2, "late: %d", wbctl_tune_pick(late, 4, 5));
		CHECK(wbctl_tune_pick(late, 4, 0) == 3, "late, tol 0: %d", wbctl_tune_pick(late, 4, 0));
		CHECK(wbctl_tune_pick(late, 4, 50) == 1, "late, tol 50: %d", wbctl_tune_pick(late, 4, 50));
		CHECK(wbctl_tune_pick(none, 3, 5) == -1, "nothing written: %d", wbctl_tune_pick(none, 3, 5));
		CHECK(wbctl_tune_pick(dip, 3, 5) == 0, "one shard best: %d", wbctl_tune_pick(dip, 3, 5));
	}
	printf("wbctl unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
