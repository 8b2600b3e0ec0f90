// SPDX-License-Identifier: MIT
/* The kernel module's line probes, user side: which placed points the module takes
 * and how they are written for it, its refusals into the points' why, and its hit
 * lines as the log's OF.line records. On a hand-made plan. */
#include <stdlib.h>

#include "probe/kmodlines.h"
#include "testlib.h"

/* Five points: three of generic_permission, one already refused, one in a static
 * function whose name two functions have. */
static void make_plan(struct ot_lineplan *p, struct ot_line_point *pts)
{
	static const struct {
		const char *of, *sym;
		unsigned long long off, addr;
		const char *why;
	} v[] = {
	    {"generic_permission", "generic_permission", 0x0, 0xffffffff9a2f1000ull, ""},
	    {"generic_permission", "generic_permission", 0x5, 0xffffffff9a2f1005ull, ""},
	    {"generic_permission", "", 0, 0xffffffff9a2f1009ull,
	     "no kernel symbol at this address"},
	    {"generic_permission", "generic_permission", 0x13, 0xffffffff9a2f1013ull, ""},
	    {"may_open", "check_acl", 0x8, 0xffffffff9a2f2008ull, ""},
	};

	memset(p, 0, sizeof(*p));
	memset(pts, 0, 5 * sizeof(*pts));
	for (unsigned i = 0; i < 5; i++) {
		pts[i].id = i;
		snprintf(pts[i].of, sizeof(pts[i].of), "%s", v[i].of);
		snprintf(pts[i].sym, sizeof(pts[i].sym), "%s", v[i].sym);
		snprintf(pts[i].why, sizeof(pts[i].why), "%s", v[i].why);
		pts[i].off = v[i].off;
		pts[i].addr = v[i].addr;
	}
	p->pts = pts;
	p->n = 5;
}

static const char KSYMS[] = "ffffffff9a2f1000 T generic_permission\n"
			    "ffffffff9a2f2000 t check_acl\n"
			    "ffffffff9a3f0000 t check_acl\n"
			    "ffffffffc0001000 t generic_permission_helper\t[somemod]\n"
			    "ffffffff9a000000 T _text\n";

TEST(kmod_lines_param_names_points_by_symbol_or_address)
{
	struct ot_line_point pts[5];
	struct ot_lineplan p;
	bool *byaddr = NULL;
	char *param;
	FILE *ks = fmemopen((void *)KSYMS, sizeof(KSYMS) - 1, "r");

	make_plan(&p, pts);
	CHECK(ks != NULL);
	CHECK_INT(ot_kmod_lines_choose(&p, 1024, ks, &byaddr), 4);
	fclose(ks);
	CHECK(byaddr && !byaddr[0] && !byaddr[1] && !byaddr[3]);
	CHECK(byaddr && byaddr[4]); /* check_acl: two functions of that name */
	param = ot_kmod_lines_param(&p, byaddr);
	/* The symbol once per run of points; the refused point left out. */
	CHECK_STR(param, " lines=0=generic_permission+0,1=+5,3=+13,4@ffffffff9a2f2008");
	CHECK_STR(pts[2].why, "no kernel symbol at this address");
	free(param);
	free(byaddr);
}

TEST(kmod_lines_beyond_the_module_table_are_refused)
{
	struct ot_line_point pts[5];
	struct ot_lineplan p;
	bool *byaddr = NULL;
	char *param;

	make_plan(&p, pts);
	/* Without kallsyms no name is known to be unique: every point by address. */
	CHECK_INT(ot_kmod_lines_choose(&p, 2, NULL, &byaddr), 2);
	CHECK_STR(pts[0].why, "");
	CHECK_STR(pts[1].why, "");
	CHECK_STR(pts[3].why, "more than 2 line probes in one run (module)");
	CHECK_STR(pts[4].why, "more than 2 line probes in one run (module)");
	param = ot_kmod_lines_param(&p, byaddr);
	CHECK_STR(param, " lines=0@ffffffff9a2f1000,1@ffffffff9a2f1005");
	free(param);
	free(byaddr);

	/* Nothing to take: an empty parameter. */
	make_plan(&p, pts);
	for (unsigned i = 0; i < 5; i++)
		snprintf(pts[i].why, sizeof(pts[i].why), "x");
	CHECK_INT(ot_kmod_lines_choose(&p, 1024, NULL, &byaddr), 0);
	param = ot_kmod_lines_param(&p, byaddr);
	CHECK_STR(param, "");
	free(param);
	free(byaddr);
}

TEST(kmod_lines_refusals_become_the_points_why)
{
	struct ot_line_point pts[5];
	struct ot_lineplan p;

	make_plan(&p, pts);
	ot_kmod_lines_refused(&p, "1:-22,3:-84,99:-22,4:7");
	CHECK_STR(pts[0].why, "");
	CHECK_STR(pts[1].why, "kprobe refused (Invalid argument)");
	CHECK(!strncmp(pts[3].why, "kprobe refused (", 16));
	CHECK(!strchr(pts[3].why, ','));
	CHECK_STR(pts[4].why, ""); /* not an error number */
	/* A malformed list stops where it goes wrong. */
	make_plan(&p, pts);
	ot_kmod_lines_refused(&p, "0:-2,x:-22,1:-22");
	CHECK_STR(pts[0].why, "kprobe refused (No such file or directory)");
	CHECK_STR(pts[1].why, "");
}

TEST(kmod_line_hit_becomes_the_log_record)
{
	struct ot_line_point pts[5];
	struct ot_lineplan p;
	char out[512];

	make_plan(&p, pts);
	CHECK(ot_kmod_line_hit(&p,
			       "line id=3 pid=111 tid=112 comm=\"perm_rdwr_denie\" ts=5098777445",
			       out, sizeof(out)));
	CHECK_STR(out, "generic_permission.line pid=111 tid=112 comm=\"perm_rdwr_denie\" "
		       "ts=5098777445 id=3");
	/* A comm holding a quote and " ts=": its escapes are kept, the field found. */
	CHECK(ot_kmod_line_hit(&p, "line id=4 pid=7 tid=7 comm=\"a\\\" ts=1\" ts=42", out,
			       sizeof(out)));
	CHECK_STR(out, "may_open.line pid=7 tid=7 comm=\"a\\\" ts=1\" ts=42 id=4");
	/* Not a hit of this plan, or not a hit. */
	CHECK(!ot_kmod_line_hit(&p, "line id=5 pid=7 tid=7 comm=\"a\" ts=42", out, sizeof(out)));
	CHECK(!ot_kmod_line_hit(&p, "line id=x pid=7 tid=7 comm=\"a\" ts=42", out, sizeof(out)));
	CHECK(!ot_kmod_line_hit(&p, "line id=1 pid=7 tid=7 comm=\"a\"", out, sizeof(out)));
	CHECK(!ot_kmod_line_hit(&p, "line id=1 pid=7 tid=7 comm=\"a ts=42", out, sizeof(out)));
	/* Too long for OUT. */
	CHECK(!ot_kmod_line_hit(&p, "line id=1 pid=7 tid=7 comm=\"a\" ts=42", out, 20));
}
