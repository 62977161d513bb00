// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of wbctl: the policies as their embedded objects
 * describe themselves, option parsing and .rodata settings
 * (loader/options.c), output formatting (loader/list.c, loader/stats.c)
 * and tune's decision.  libbpf opens the objects; nothing is loaded: no kernel, no
 * root.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wbctl.h"
#include "policies.gen.h"

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

/* -o @kv for @policy, or for a -f object when @policy is NULL */
static void opt_ok(const char *policy, const char *kv, const char *key,
		   unsigned long want)
{
	const struct wbctl_policy *p = policy ? wbctl_find_policy(policy) : NULL;
	struct wbctl_setting s = {};
	char err[256] = "";

	CHECK((p || !policy) && !wbctl_parse_opt(p, kv, &s, err, sizeof(err)) &&
	      !strcmp(s.key, key) && s.value == want && !s.opt == !p,
	      "%s -o %s: expected %s=%lu, got error '%s'", policy ?: "-f", kv,
	      key, want, err);
}

static void opt_bad(const char *policy, const char *kv, const char *msg)
{
	const struct wbctl_policy *p = policy ? wbctl_find_policy(policy) : NULL;
	struct wbctl_setting s = {};
	char err[256] = "";

	CHECK((p || !policy) && wbctl_parse_opt(p, kv, &s, err, sizeof(err)) &&
	      strstr(err, msg),
	      "%s -o %s: expected an error containing '%s', got '%s'",
	      policy ?: "-f", kv, msg, err);
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

/* The value of .rodata's @key in @obj, as set_rodata() left it */
static long long rodata_value(struct bpf_object *obj, const char *key)
{
	struct wbctl_policy d = {};
	char msg[256];

	if (wbctl_describe(obj, &d, msg, sizeof(msg)))
		return -1;
	for (int i = 0; i < d.nopts; i++)
		if (!strcmp(d.opts[i].key, key))
			return d.opts[i].def;
	return -1;
}

static void objects(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct wbctl_setting set;
	struct wbctl_opt o;
	struct bpf_object *obj;
	char known[512];
	const void *elf;
	size_t sz;

	/* WBEXT_OPTION's tag */
	CHECK(!wbctl_opt_from_tag("wbext_opt:0:100:a: b", &o) && o.min == 0 &&
	      o.max == 100 && !strcmp(o.help, "a: b"), "tag: %lu %lu '%s'",
	      o.min, o.max, o.help);
	CHECK(wbctl_opt_from_tag("wbext_opt:5:1:lo > hi", &o), "min > max taken");
	CHECK(wbctl_opt_from_tag("wbext_opt:(1 << 20):0:x", &o), "an expression taken");
	CHECK(wbctl_opt_from_tag("wbext_opt:-1:3:x", &o), "a negative bound taken");
	CHECK(wbctl_opt_from_tag("wbext_opt:1:3", &o), "no help taken");
	CHECK(wbctl_opt_from_tag("wbext_summary:x", &o), "a summary taken");

	/* every embedded policy describes itself and has the common options */
	CHECK(!wbctl_read_policies() && wbctl_nr_policies == (int)NR_EMBEDDED,
	      "read %d of %zu policies", wbctl_nr_policies, NR_EMBEDDED);
	for (int i = 0; i < wbctl_nr_policies; i++) {
		const struct wbctl_policy *p = &wbctl_policies[i];
		struct wbctl_setting st;
		char e[256] = "";

		CHECK(p->summary[0], "%s: no WBEXT_SUMMARY", p->name);
		CHECK(!wbctl_parse_opt(p, "pause_pct=100", &st, e, sizeof(e)) &&
		      st.opt->def == 100 && st.opt->max == 100,
		      "%s: pause_pct: %s", p->name, e);
		CHECK(!wbctl_parse_opt(p, "chunk_kb=1048576", &st, e, sizeof(e)) &&
		      st.opt->def == 0, "%s: chunk_kb: %s", p->name, e);
		CHECK(!wbctl_parse_opt(p, "bg_early=1", &st, e, sizeof(e)),
		      "%s: bg_early: %s", p->name, e);
	}

	/* set_rodata: a value lands in the object's .rodata, or is refused */
	elf = embedded[0].elf_bytes(&sz);
	obj = bpf_object__open_mem(elf, sz, &opts);
	CHECK(obj, "open %s: %s", embedded[0].name, strerror(errno));
	if (!obj)
		return;
	CHECK(!set_rodata(obj, "pause_pct", 25, known, sizeof(known)) &&
	      rodata_value(obj, "pause_pct") == 25, "pause_pct not set: %lld",
	      rodata_value(obj, "pause_pct"));
	CHECK(set_rodata(obj, "pause_pct", 1ULL << 32, known, sizeof(known)) == -ERANGE,
	      "2^32 fit a __u32");
	CHECK(set_rodata(obj, "nosuch", 1, known, sizeof(known)) == -ENOENT &&
	      strstr(known, "chunk_kb") && strstr(known, "bg_early"),
	      "nosuch: known '%s'", known);
	/* a -f object's settings meet its own WBEXT_OPTION bounds */
	snprintf(set.key, sizeof(set.key), "pause_pct");
	set.opt = NULL;
	set.value = 101;
	CHECK(apply_settings(obj, "x.bpf.o", &set, 1) == -1,
	      "pause_pct=101 applied to a -f object");
	set.value = 40;
	CHECK(!apply_settings(obj, "x.bpf.o", &set, 1) &&
	      rodata_value(obj, "pause_pct") == 40, "pause_pct=40: %lld",
	      rodata_value(obj, "pause_pct"));
	bpf_object__close(obj);
}

/* The shard count file of a bdi: nr_wb_shards, else an old kernel's nr_wb_ctx */
static void knob(void)
{
	char dir[] = "/tmp/wbctl_unit.XXXXXX", path[256], f[300];

	if (!mkdtemp(dir))
		return;
	shards_knob(path, sizeof(path), dir);
	CHECK(strstr(path, "/nr_wb_shards"), "no knob at all: %s", path);
	snprintf(f, sizeof(f), "%s/nr_wb_ctx", dir);
	fclose(fopen(f, "w"));
	shards_knob(path, sizeof(path), dir);
	CHECK(strstr(path, "/nr_wb_ctx"), "an old kernel's knob: %s", path);
	snprintf(path, sizeof(path), "%s/nr_wb_shards", dir);
	fclose(fopen(path, "w"));
	shards_knob(path, sizeof(path), dir);
	CHECK(strstr(path, "/nr_wb_shards"), "both: %s", path);
	unlink(path);
	unlink(f);
	rmdir(dir);
}

/* The struct_ops value layout a swap writes, from a wbext kernel's BTF */
static void layout(const char *vmlinux)
{
	const struct btf_type *kt;
	__u32 off, size;
	struct btf *b = btf__parse(vmlinux, NULL);

	if (!b) {
		printf("note: no BTF in %s: the struct_ops layout is not checked\n",
		       vmlinux);
		return;
	}
	CHECK(!ops_layout(b, &off, &size, &kt) && off > 0 && size > off &&
	      !strcmp(btf__name_by_offset(b, kt->name_off), "wb_ext_ops") &&
	      off + kt->size <= size, "ops_layout of %s", vmlinux);
	btf__free(b);
}

int main(int argc, char **argv)
{
	char *out;

	objects();
	knob();
	if (argc > 1)
		layout(argv[1]);
	/* the policy table: names from bpf/, in the Makefile's order */
	for (size_t i = 0; i < NR_EMBEDDED; i++)
		CHECK(wbctl_find_policy(embedded[i].name), "policy %s missing",
		      embedded[i].name);
	CHECK(wbctl_find_policy("lb") && wbctl_find_policy("rr"), "lb or rr missing");
	CHECK(!wbctl_find_policy("nosuch"), "found a policy 'nosuch'");
	CHECK(!wbctl_find_policy("r"), "a prefix matched a policy");

	/* options: values, bounds, keys per policy */
	opt_ok("rr", "chunk_kb=512", "chunk_kb", 512);
	opt_ok("rr", "chunk_kb=0x10", "chunk_kb", 16);
	opt_ok("numa", "pause_pct=0", "pause_pct", 0);
	opt_ok("affinity", "bg_early=1", "bg_early", 1);
	opt_ok("lb", "max_shards=2", "max_shards", 2);
	opt_bad("rr", "max_shards=2", "has no option 'max_shards'");
	opt_bad("rr", "chunk", "has no option 'chunk'");
	opt_bad("rr", "chunk_kb", "needs a value");
	opt_bad("rr", "chunk_kb=", "needs a value");
	opt_bad("rr", "chunk_kb=abc", "not a number in [0, 1048576]");
	opt_bad("rr", "chunk_kb=12k", "not a number");
	opt_bad("rr", "chunk_kb=-1", "not a number");
	opt_bad("rr", "pause_pct=101", "not a number in [0, 100]");
	opt_bad("lb", "bg_early=2", "not a number in [0, 1]");
	opt_bad("lb", "max_shards=1025", "not a number in [0, 1024]");
	opt_bad("lb", "max_shards=99999999999999999999", "not a number");
	/* a -f object: any key, bounded once the object is open */
	opt_ok(NULL, "mode=3", "mode", 3);
	opt_ok(NULL, "max_shards=5000", "max_shards", 5000);
	opt_bad(NULL, "nokey", "-o wants KEY=VALUE, not 'nokey'");
	opt_bad(NULL, "=1", "-o wants KEY=VALUE");
	opt_bad(NULL, "k=", "-o wants KEY=VALUE");
	opt_bad(NULL, "k=x", "option k: 'x' is not a number");
	opt_bad(NULL, "k=-1", "option k: '-1' is not a number");

	/* list: one line per policy, then its options with bounds */
	out = capture(list_text, NULL);
	CHECK(strstr(out, "rr ") && strstr(out, "affinity ") &&
	      strstr(out, "numa ") && strstr(out, "lb "), "list: %s", out);
	CHECK(strstr(out, "    -o max_shards=N  shards to use") &&
	      strstr(out, "[0..1024, default 0]"), "list: %s", out);
	out = capture(list_json, NULL);
	CHECK(STARTS(out, "[{\"name\":\"affinity\",\"summary\":") &&
	      strstr(out, "{\"key\":\"max_shards\",\"min\":0,\"max\":1024,\"default\":0,") &&
	      !strcmp(out + strlen(out) - 4, "]}]\n"), "list -j: %s", out);
	out = capture(list_json, out);
	CHECK(STARTS(out, "[\n  {\n    \"name\": \"affinity\",\n"), "list -p: %s", out);
	/* the JSON writer: escapes, nesting, empty containers, indent */
	out = capture(pretty, NULL);
	CHECK(!strcmp(out, "{\n  \"a\": \"q\\\"b\\\\\",\n  \"l\": [\n    1,\n    2\n  ],\n"
			   "  \"e\": {},\n  \"t\": true\n}\n"), "pretty:\n%s", out);
	/* stats: per-shard rows summed over CPUs, counters, JSON */
	v[0].chosen[0] = 3; v[1].chosen[0] = 4;
	v[0].chosen[2] = 5;
	v[1].fallbacks = 7;
	v[0].pause_calls = 10; v[1].pause_calls = 1; v[1].pause_changed = 1;
	v[0].chosen[3] = 99;	/* beyond the 3 shards shown */
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
		"{\"policy\":\"rr\",\"chosen\":[7,0,5],\"fallbacks\":7,\"assigned\":0,\"kept\":0,"
		"\"pause_calls\":11,\"pause_changed\":1,\"chunk_calls\":0,\"chunk_changed\":0,"
		"\"bg_calls\":0,\"bg_changed\":0}\n"),
	      "json:\n%s", out);
	out = capture(json, out);
	CHECK(!strcmp(out,
		"{\"policy\":\"rr\",\"chosen\":[7,0,5],\"fallbacks\":7,\"assigned\":0,\"kept\":0,"
		"\"pause_calls\":11,\"pause_changed\":1,\"chunk_calls\":0,\"chunk_changed\":0,"
		"\"bg_calls\":0,\"bg_changed\":0,\"per_cpu\":["
		"{\"cpu\":0,\"chosen\":[3,0,5],\"fallbacks\":0,\"assigned\":0,\"kept\":0,\"pause_calls\":10,"
		"\"pause_changed\":0,\"chunk_calls\":0,\"chunk_changed\":0,\"bg_calls\":0,\"bg_changed\":0},"
		"{\"cpu\":1,\"chosen\":[4,0,0],\"fallbacks\":7,\"assigned\":0,\"kept\":0,\"pause_calls\":1,"
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
