// SPDX-License-Identifier: GPL-2.0
/* wbctl list: the policies wbctl carries and their options, text or JSON. */
#include <string.h>
#include "wbctl.h"

void wbctl_print_list(FILE *f)
{
	for (int i = 0; i < wbctl_nr_policies; i++) {
		const struct wbctl_policy *p = &wbctl_policies[i];

		fprintf(f, "%-10s %s\n", p->name, p->summary);
		for (int j = 0; j < p->nopts; j++)
			fprintf(f, "    -o %s=N  %s [%lu..%lu, default %lu]\n",
				p->opts[j].key, p->opts[j].help,
				p->opts[j].min, p->opts[j].max,
				p->opts[j].def);
	}
}

void wbctl_print_list_json(struct jw *w)
{
	jw_open(w, NULL, '[');
	for (int i = 0; i < wbctl_nr_policies; i++) {
		const struct wbctl_policy *p = &wbctl_policies[i];

		jw_open(w, NULL, '{');
		jw_str(w, "name", p->name);
		jw_str(w, "summary", p->summary);
		jw_open(w, "options", '[');
		for (int j = 0; j < p->nopts; j++) {
			jw_open(w, NULL, '{');
			jw_str(w, "key", p->opts[j].key);
			jw_u64(w, "min", p->opts[j].min);
			jw_u64(w, "max", p->opts[j].max);
			jw_u64(w, "default", p->opts[j].def);
			jw_str(w, "help", p->opts[j].help);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

int cmd_list(int argc, char **argv)
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
