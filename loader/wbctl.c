// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: load, swap and observe wbext writeback policies (wb_ext_ops).
 * See wbctl(8), docs/wbctl.8.rst.  A loaded policy outlives wbctl: its link is pinned
 * at /sys/fs/bpf/wbext/link and its maps at /sys/fs/bpf/wbext/<policy>/.
 * This file: the commands that load, swap, unload and read a policy, and
 * the dispatch; pins.c, policy.c, status.c and assign.c the rest.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "wbctl_bpf.h"

#ifndef WBCTL_VERSION
#define WBCTL_VERSION	"unknown"
#endif

bool wbctl_json, wbctl_pretty;

/*
 * -o KEY=VALUE for a policy wbctl carries (checked against its table) or
 * for -f FILE (any integer const volatile the object declares, checked
 * when it is opened).
 */
static int parse_settings(const struct wbctl_policy *p, int argc,
			  char **argv, struct wbctl_setting *set, int *nset,
			  const char **file)
{
	char msg[256], *eq, *end;
	int c;

	*nset = 0;
	optind = 0;	/* glibc: a full reset after main's scan */
	while ((c = getopt(argc, argv, "+o:f:h")) != -1) {
		switch (c) {
		case 'o':
			if (*nset >= MAX_SETTINGS) {
				wbctl_err("too many options (at most %d)", MAX_SETTINGS);
				return -1;
			}
			if (p) {
				if (wbctl_parse_opt(p, optarg, &set[*nset], msg,
						    sizeof(msg))) {
					wbctl_err("%s", msg);
					return -1;
				}
				set[*nset].key = set[*nset].opt->key;
			} else {
				eq = strchr(optarg, '=');
				if (!eq || eq == optarg || !eq[1]) {
					wbctl_err("-o wants KEY=VALUE, not '%s'", optarg);
					return -1;
				}
				*eq = 0;
				errno = 0;
				set[*nset].key = optarg;
				set[*nset].opt = NULL;
				set[*nset].value = strtoull(eq + 1, &end, 0);
				if (errno || *end || eq[1] == '-') {
					wbctl_err("option %s: '%s' is not a number", optarg,
					    eq + 1);
					return -1;
				}
			}
			(*nset)++;
			break;
		case 'f':
			*file = optarg;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct jw w;

	if (argc > 1 && strcmp(argv[1], "-v")) {	/* -v: what list was */
		wbctl_err("list takes no arguments");
		return 2;
	}
	if (wbctl_read_policies())
		return 1;
	if (wbctl_json) {
		jw_init(&w, stdout, wbctl_pretty);
		wbctl_print_list_json(&w);
	} else {
		wbctl_print_list(stdout);
	}
	return 0;
}

static int prepare(int argc, char **argv, const char *cmd,
		   struct policy_obj *po)
{
	struct wbctl_setting set[MAX_SETTINGS];
	const struct wbctl_policy *p = NULL;
	const char *file = NULL, *name = NULL;
	int nset, ret;

	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		if (wbctl_read_policies())
			return 1;
		p = wbctl_find_policy(name);
		if (!p) {
			wbctl_err("unknown policy '%s'; 'wbctl list' shows the policies", name);
			return 2;
		}
		argc--, argv++;
	}
	if (parse_settings(p, argc, argv, set, &nset, &file))
		return 2;
	if (optind < argc) {
		wbctl_err("%s: unexpected argument '%s'", cmd, argv[optind]);
		return 2;
	}
	if (!name && !file) {
		wbctl_err("%s: which policy? 'wbctl list' shows them (or -f FILE.bpf.o)",
		    cmd);
		return 2;
	}
	if (name && file) {
		wbctl_err("%s: give a policy name or -f FILE, not both", cmd);
		return 2;
	}
	if (preflight())
		return 1;
	lock_state();
	ret = open_policy(po, name, file, set, nset);
	return ret > 0 ? ret : ret ? 1 : 0;
}

static int cmd_load(int argc, char **argv)
{
	struct policy_obj po = {};
	struct bpf_link *link;
	char state[64], ops[64];
	int ret;

	ret = prepare(argc, argv, "load", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (clear_stale_pins(false)) {
	case 1:
		kernel_state(state, ops, sizeof(state));
		wbctl_err("policy %s is already loaded; use 'wbctl swap %s' or 'wbctl unload'",
		    ops, po.name);
		goto out;
	case -1:
		foreign_policy_error();
		goto out;
	}
	/* EAGAIN: the kernel is still ejecting a policy, for microseconds */
	for (int tries = 0; tries < 100; tries++) {
		link = bpf_map__attach_struct_ops(po.ops);
		if (link || errno != EAGAIN)
			break;
		usleep(10 * 1000);
	}
	if (!link) {
		ret = -errno;
		if (ret == -EBUSY) {
			kernel_state(state, ops, sizeof(state));
			wbctl_err("cannot attach %s: the kernel already runs policy '%s' (EBUSY)",
			    po.name, ops);
		} else {
			wbctl_err("cannot attach %s: %s (see dmesg)", po.name,
			    strerror(-ret));
		}
		ret = 1;
		goto out;
	}
	/* maps first, link last: a half-done load leaves no live link */
	if (pin_maps(&po) || bpf_link__pin(link, WBEXT_LINK_PIN)) {
		wbctl_err("cannot pin %s under %s: detaching it again", po.name,
		    WBEXT_PIN_DIR);
		bpf_link__destroy(link);
		unpin_dir(po.name);
		goto out;
	}
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	printf("loaded %s\n", po.name);
	ret = 0;
out:
	bpf_object__close(po.obj);
	return ret;
}

static int cmd_swap(int argc, char **argv)
{
	struct policy_obj po = {};
	char state[64], ops[64];
	int ret, fd = -1;

	ret = prepare(argc, argv, "swap", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (clear_stale_pins(false)) {
	case 0:
		wbctl_err("no policy is loaded: use 'wbctl load %s'", po.name);
		goto out;
	case -1:
		foreign_policy_error();
		goto out;
	}
	kernel_state(state, ops, sizeof(state));
	fd = bpf_obj_get(WBEXT_LINK_PIN);
	if (fd < 0) {
		wbctl_err("cannot open the pinned link %s: %s", WBEXT_LINK_PIN,
		    strerror(errno));
		goto out;
	}
	ret = fill_struct_ops_value(&po);
	if (!ret)
		ret = bpf_link_update(fd, bpf_map__fd(po.ops), NULL);
	if (ret) {
		wbctl_err("cannot swap %s for %s: %s (the old policy still runs; see dmesg)",
		    ops, po.name, strerror(-ret));
		ret = 1;
		goto out;
	}
	/* the new maps replace the old ones; the link pin stays */
	unpin_dirs_except(NULL);
	if (pin_maps(&po))
		wbctl_err("swapped to %s, but its maps are not pinned: 'wbctl stats' will not see them",
		    po.name);
	printf("swapped %s -> %s\n", ops, po.name);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	bpf_object__close(po.obj);
	return ret;
}

static int cmd_unload(int argc, char **argv)
{
	char state[64], ops[64];
	int fd;

	if (argc > 1) {
		wbctl_err("unload takes no arguments");
		return 2;
	}
	if (preflight())
		return 1;
	lock_state();
	switch (clear_stale_pins(true)) {
	case 0:
		printf("no policy loaded\n");
		return 0;
	case -1:
		foreign_policy_error();
		return 1;
	}
	kernel_state(state, ops, sizeof(state));
	fd = bpf_obj_get(WBEXT_LINK_PIN);
	/* detach even if someone else holds the link open */
	if (fd >= 0 && bpf_link_detach(fd))
		wbctl_err("detaching %s: %s", ops, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(WBEXT_LINK_PIN);
	unpin_dirs_except(NULL);
	rmdir(WBEXT_PIN_DIR);
	printf("unloaded %s\n", ops);
	return 0;
}

static int nr_contexts(void)
{
	char line[64], path[512];
	struct dirent *de;
	int n = 1, v;
	DIR *d = opendir("/sys/class/bdi");

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/class/bdi/%s/nr_wb_ctx",
			 de->d_name);
		if (!read_line(path, line, sizeof(line)) &&
		    (v = atoi(line)) > n)
			n = v;
	}
	if (d)
		closedir(d);
	return n;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static int cmd_stats(int argc, char **argv)
{
	char dir[256];
	static const struct option lopts[] = {
		{ "per-cpu", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char state[64], ops[64], path[512];
	struct wbext_stats *v;
	bool per_cpu = false;
	int c, wait = 0, fd, ncpu;
	__u32 zero = 0;
	struct jw w;

	optind = 0;	/* glibc: a full reset after main's scan */
	while ((c = getopt_long(argc, argv, "jw:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			per_cpu = true;
			break;
		case 'j':	/* as the global -j */
			wbctl_json = true;
			break;
		case 'w':
			wait = atoi(optarg);
			if (wait <= 0) {
				wbctl_err("-w wants a number of seconds > 0, not '%s'", optarg);
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		wbctl_err("stats: unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (preflight())
		return 1;
	kernel_state(state, ops, sizeof(state));
	switch (pins_state()) {
	case 1:
		break;
	case -1:
		wbctl_err("policy %s was not loaded by wbctl: its stats are not pinned under %s",
		    ops, WBEXT_PIN_DIR);
		return 1;
	case -2:
		wbctl_err("the policy wbctl loaded no longer runs: 'wbctl status' says why");
		return 1;
	default:
		wbctl_err("no policy loaded: 'wbctl load POLICY' first");
		return 1;
	}
	pinned_policy(dir, sizeof(dir));
	pin_path(path, sizeof(path), dir, "stats");
	fd = bpf_obj_get(path);
	if (fd < 0) {
		wbctl_err("policy %s has no stats map at %s", dir, path);
		return 1;
	}
	ncpu = libbpf_num_possible_cpus();
	v = ncpu > 0 ? calloc(ncpu, sizeof(*v)) : NULL;
	if (!v) {
		wbctl_err("cannot size the per-CPU stats (%d CPUs)", ncpu);
		close(fd);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		if (bpf_map_lookup_elem(fd, &zero, v)) {
			wbctl_err("reading %s: %s", path, strerror(errno));
			free(v);
			close(fd);
			return 1;
		}
		if (wbctl_json) {
			jw_init(&w, stdout, wbctl_pretty);
			wbctl_print_stats_json(&w, ops, v, ncpu, nr_contexts(),
					       per_cpu);
		} else {
			wbctl_print_stats_table(stdout, ops, v, ncpu,
						nr_contexts(), per_cpu);
		}
		fflush(stdout);
		if (wait && !stop)
			sleep(wait);
		if (wait && !wbctl_json && !stop)
			putchar('\n');
	} while (wait && !stop);
	free(v);
	close(fd);
	return 0;
}

static int cmd_tune(int argc, char **argv)
{
	return wbctl_tune(argc, argv, wbctl_json, wbctl_pretty);
}

/* wbctl -V: what runs here */
static int print_version(void)
{
	char state[64], ops[64];
	struct utsname u;
	bool wbx = !access(WBEXT_SYSFS, F_OK);
	char libbpf[32];
	struct jw w;

	uname(&u);
	kernel_state(state, ops, sizeof(state));
	snprintf(libbpf, sizeof(libbpf), "%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	if (wbctl_json) {
		jw_init(&w, stdout, wbctl_pretty);
		jw_open(&w, NULL, '{');
		jw_str(&w, "version", WBCTL_VERSION);
		jw_str(&w, "libbpf", libbpf);
		jw_str(&w, "kernel", u.release);
		jw_bool(&w, "wb_ext", wbx);
		jw_str(&w, "state", wbx ? state : "");
		jw_str(&w, "policy", wbx ? ops : "");
		jw_close(&w, '}');
		return 0;
	}
	printf("wbctl %s\nlibbpf %s\n", WBCTL_VERSION, libbpf);
	if (wbx)
		printf("kernel %s: wb_ext %s%s%s\n", u.release, state,
		       ops[0] ? ", policy " : "", ops);
	else
		printf("kernel %s: no wb_ext_ops (no %s)\n", u.release,
		       WBEXT_SYSFS);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
} cmds[] = {
	{ "list", cmd_list, "list",
	  "The policies wbctl carries and their -o options, with bounds and defaults." },
	{ "load", cmd_load, "load POLICY [-o KEY=VALUE]... | load -f FILE.bpf.o [-o KEY=VALUE]...",
	  "Load and attach a policy, and pin it under " WBEXT_PIN_DIR " so that it\n"
	  "stays after wbctl exits.  -f loads your own object with one wb_ext_ops map;\n"
	  "its -o keys are the integer const volatile variables it declares." },
	{ "swap", cmd_swap, "swap POLICY [-o KEY=VALUE]... | swap -f FILE.bpf.o [-o KEY=VALUE]...",
	  "Replace the loaded policy atomically (bpf_link_update on the pinned link):\n"
	  "every decision is made by the old or the new policy, never by none.\n"
	  "Inodes already placed stay on their shard." },
	{ "unload", cmd_unload, "unload",
	  "Detach the loaded policy and remove its pins; the kernel default decides again." },
	{ "status", cmd_status, "status",
	  "The kernel's state and policy, since when wbctl's policy runs and with which\n"
	  "options, the last exit reason (e.g. why a policy was ejected).  Exits 1 if\n"
	  "the policy wbctl loaded no longer runs.  Changes nothing." },
	{ "stats", cmd_stats, "stats [--per-cpu] [-w SECONDS]",
	  "Per-shard statistics of the loaded policy, summed over CPUs; --per-cpu adds\n"
	  "a column per CPU; -w refreshes every SECONDS until interrupted.  Changes nothing." },
	{ "tune", cmd_tune, "tune [-i MS] [-t PCT] [-r ROUNDS] [-m MAX] [-n] DEVICE",
	  "While writeback to DEVICE is busy, measure its write bandwidth with 1, 2, 4...\n"
	  "MAX shards (default min(CPUs, 8)), ROUNDS sweeps (2) alternately up and\n"
	  "down, MS each\n"
	  "(2000), and keep the fewest shards within PCT % (5) of the best.  A\n"
	  "rotational device gets 1 shard, an idle one keeps its count; -n measures,\n"
	  "then puts the old count back." },
	{ "assign", cmd_assign, "assign PATH N | assign -p PID N | assign -r [-p] PATH|PID",
	  "With affinity: write back PATH (a file, or every file below a directory)\n"
	  "on shard N.  With stream: PATH, or process PID (-p, not its children),\n"
	  "is stream N; a stream's files share one shard.  -r: the policy's choice." },
	{ "pin", cmd_assign, NULL, NULL },	/* the old name of assign */
};
#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: wbctl [OPTIONS] COMMAND [ARGS]   (wbctl COMMAND --help)\n");
	for (size_t i = 0; i < NR_CMDS; i++)
		if (cmds[i].usage)
			fprintf(f, "  wbctl %s\n", cmds[i].usage);
	fprintf(f, "OPTIONS: -j|--json  -p|--pretty (indented JSON)  -d|--debug (libbpf's log\n"
		   "         and the verifier's; -dd: libbpf's debug messages)  -V|--version\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool version = false;
	int c, debug = 0;

	while ((c = getopt_long(argc, argv, "+jpdVh", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			wbctl_json = true;
			break;
		case 'p':
			wbctl_json = wbctl_pretty = true;
			break;
		case 'd':
			debug++;
			break;
		case 'V':
			version = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	wbctl_libbpf_log(debug);
	if (version)
		return print_version();
	if (argc < 2 || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NR_CMDS; i++) {
		const char *u = cmds[i].usage ?: cmds[i - 1].usage;

		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int a = 2; a < argc; a++)
			if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
				printf("usage: wbctl %s\n%s\n", u,
				       cmds[i].help ?: cmds[i - 1].help);
				return 0;
			}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	wbctl_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
