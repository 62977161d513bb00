// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: load, swap and observe wbext writeback policies (wb_ext_ops).
 * See wbctl(8), docs/wbctl.8.rst.  This file: the global options, -V and
 * the dispatch; each command is in its own file (load.c has load, swap
 * and unload), what they share in common.c, options.c, policy.c and
 * pins.c.
 */
#include <getopt.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "wbctl.h"

#ifndef WBCTL_VERSION
#define WBCTL_VERSION	"unknown"
#endif

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
};
#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: wbctl [OPTIONS] COMMAND [ARGS]   (wbctl COMMAND --help)\n");
	for (size_t i = 0; i < NR_CMDS; i++)
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
		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int a = 2; a < argc; a++)
			if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
				printf("usage: wbctl %s\n%s\n", cmds[i].usage,
				       cmds[i].help);
				return 0;
			}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	wbctl_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
