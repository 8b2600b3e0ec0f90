// SPDX-License-Identifier: MIT
/* Finding the reports: every CASE.json under the given directories that is an
 * opentrail report of a case, with its raw log beside it. */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/catalogue.h"
#include "claims/result.h"
#include "report/report_schema.h"
#include "site/report_check.h"
#include "site/html.h"
#include "site/model.h"

static struct site *loading;
static char load_err[512];

const char *site_str(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* A string member of O, or NULL when it is absent, null or not a string. */
static const char *str_or_null(json_object *o, const char *key)
{
	const char *v = site_str(o, key);

	return *v ? v : NULL;
}

static int int_member(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int(v);
}

/* The members of a root call's "origin" object (ot_linepath_json_call), in one place. */
static const struct {
	enum ot_rkey key;
	size_t off;
} origin_strs[] = {
    {OT_RK_ORIGIN_ERRNO, offsetof(struct site_origin, err)},
    {OT_RK_ORIGIN_CALL, offsetof(struct site_origin, call)},
    {OT_RK_ORIGIN_FILE, offsetof(struct site_origin, file)},
    {OT_RK_ORIGIN_FUNC, offsetof(struct site_origin, func)},
    {OT_RK_ORIGIN_INLINED_IN, offsetof(struct site_origin, inlined_in)},
    {OT_RK_ORIGIN_TEXT, offsetof(struct site_origin, text)},
};
static const struct {
	enum ot_rkey key;
	size_t off;
} origin_ints[] = {
    {OT_RK_ORIGIN_LINE, offsetof(struct site_origin, line)},
    {OT_RK_ORIGIN_LOG_LINE, offsetof(struct site_origin, log_line)},
    {OT_RK_ORIGIN_CALL_LINE_RET, offsetof(struct site_origin, call_line_ret)},
};

/* A report's verdict as the enum it was written from; -1 if it is none. */
static int verdict_of(const char *text, enum ot_case_verdict *v)
{
	for (int i = OT_CASE_PASS; i <= OT_CASE_INCOMPLETE; i++)
		if (!strcmp(text, ot_case_verdict_name((enum ot_case_verdict)i))) {
			*v = (enum ot_case_verdict)i;
			return 0;
		}
	return -1;
}

/* Did the program see ERR: a user fact with ret -1 and that errname? */
static bool user_saw(json_object *root, const char *err)
{
	json_object *facts = NULL;

	json_object_object_get_ex(root, OT_RKEY(REPORT, FACTS), &facts);
	for (size_t i = 0; facts && i < json_object_array_length(facts); i++) {
		json_object *u = json_object_array_get_idx(facts, i);
		/* a user fact's keys are the trigger's own (docs/trigger-protocol.md) */
		if (int_member(u, "ret") == -1 && !strcmp(site_str(u, "errname"), err))
			return true;
	}
	return false;
}

/* Each root call's origin, and which of them the case is about. */
static void load_origins(struct site_report *r)
{
	json_object *calls = NULL, *facts = NULL;

	json_object_object_get_ex(r->root, OT_RKEY(REPORT, CALLS), &calls);
	size_t n = calls ? json_object_array_length(calls) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(calls, i), *o = NULL;
		if (!json_object_object_get_ex(c, OT_RKEY(CALL, ORIGIN), &o) || !o || !*site_str(o, OT_RKEY(ORIGIN, ERRNO)))
			continue;
		struct site_origin *no = realloc(r->origins, (r->norigins + 1) * sizeof(*no));
		if (!no)
			abort();
		r->origins = no;
		struct site_origin *g = &r->origins[r->norigins++];
		memset(g, 0, sizeof(*g));
		g->op_func = str_or_null(c, OT_RKEY(CALL, FUNC));
		for (size_t k = 0; k < sizeof(origin_strs) / sizeof(origin_strs[0]); k++)
			*(const char **)((char *)g + origin_strs[k].off) =
			    str_or_null(o, ot_report_keys[origin_strs[k].key].key);
		for (size_t k = 0; k < sizeof(origin_ints) / sizeof(origin_ints[0]); k++)
			*(int *)((char *)g + origin_ints[k].off) = int_member(o, ot_report_keys[origin_ints[k].key].key);
	}
	for (size_t i = 0; i < r->norigins && !r->origin; i++)
		if (user_saw(r->root, r->origins[i].err)) {
			r->origin = &r->origins[i];
			r->user_saw = true;
		}
	if (!r->origin && r->norigins)
		r->origin = &r->origins[0];
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, RUN_FACTS), &facts);
	r->unsupported = str_or_null(facts, "unsupported");
}

static char *sibling(const char *json_path, const char *suffix)
{
	size_t n = strlen(json_path) - strlen(".json");
	char *p = malloc(n + strlen(suffix) + 1);

	if (!p)
		abort();
	memcpy(p, json_path, n);
	strcpy(p + n, suffix);
	if (access(p, R_OK)) {
		free(p);
		return NULL;
	}
	return p;
}

/* DIR/<kernel>/{bpf,kmod}/CASE.json: the cross-check is DIR/<kernel>/compare-CASE.txt */
static char *compare_file(const char *json_path, const char *case_id)
{
	char *d = strdup(json_path);
	char *p;

	if (!d)
		abort();
	for (int up = 0; up < 2 && (p = strrchr(d, '/')); up++)
		*p = '\0';
	size_t n = strlen(d) + strlen(case_id) + 32;
	char *c = malloc(n);
	if (!c)
		abort();
	snprintf(c, n, "%s/compare-%s.txt", d, case_id);
	free(d);
	if (access(c, R_OK)) {
		free(c);
		return NULL;
	}
	return c;
}

/* Where a kernel's directory keeps the first runs of a case that was run again
 * because its two backends' first runs differed (scripts/guest-both-backends.sh): the
 * site shows the runs that count, beside which these would be second reports. */
#define FIRST_RUNS_DIR "first"

static int add_json(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	size_t n = strlen(path);
	if (type == FTW_D && ftw->level > 0 && !strcmp(path + ftw->base, FIRST_RUNS_DIR))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || n < 6 || strcmp(path + n - 5, ".json"))
		return FTW_CONTINUE;
	char why[400];
	json_object *root = site_json_read(path, why, sizeof(why));
	if (!root) {
		snprintf(load_err, sizeof(load_err), "%s", why);
		return 1;
	}
	const char *cid = site_str(root, OT_RKEY(REPORT, CASE)), *kernel = site_str(root, OT_RKEY(REPORT, KERNEL));
	json_object *claims;
	if (!*cid || !*kernel || !json_object_object_get_ex(root, OT_RKEY(REPORT, CLAIMS), &claims)) {
		json_object_put(root); /* not a case report (e.g. a trace without a case) */
		return 0;
	}
	struct site *s = loading;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].case_id, cid) && !strcmp(s->r[i].kernel, kernel) &&
		    !strcmp(s->r[i].backend, site_str(root, OT_RKEY(REPORT, BACKEND)))) {
			snprintf(load_err, sizeof(load_err),
				 "%s: a second report of %s on %s (%s); give each kernel's "
				 "directory once",
				 path, cid, kernel, site_str(root, OT_RKEY(REPORT, BACKEND)));
			json_object_put(root);
			return 1;
		}
	struct site_report *nr = realloc(s->r, (s->n + 1) * sizeof(*nr));
	if (!nr)
		abort();
	s->r = nr;
	struct site_report *r = &s->r[s->n++];
	memset(r, 0, sizeof(*r));
	r->root = root;
	r->case_id = cid;
	r->kernel = kernel;
	r->title = site_str(root, OT_RKEY(REPORT, TITLE));
	r->intent = site_str(root, OT_RKEY(REPORT, INTENT));
	r->verdict = site_str(root, OT_RKEY(REPORT, VERDICT));
	if (verdict_of(r->verdict, &r->v)) {
		snprintf(load_err, sizeof(load_err),
			 "%s: verdict '%s' is none of pass, fail, incomplete (opentrail schema "
			 "--check tells what else departs from the report's schema)",
			 path, r->verdict);
		s->n--;
		json_object_put(root);
		return 1;
	}
	r->backend = *site_str(root, OT_RKEY(REPORT, BACKEND)) ? site_str(root, OT_RKEY(REPORT, BACKEND)) : "unknown";
	r->time = site_str(root, OT_RKEY(REPORT, TIME));
	r->arch = site_arch_of(kernel);
	r->log_path = sibling(path, ".log");
	r->compare_path = compare_file(path, cid);
	char c[128], k[128], b[64];
	site_slug(cid, c, sizeof(c));
	site_slug(kernel, k, sizeof(k));
	site_slug(r->backend, b, sizeof(b));
	snprintf(r->page, sizeof(r->page), "runs/%s--%s--%s.html", c, k, b);
	snprintf(r->graph, sizeof(r->graph), "runs/%s--%s--%s.svg", c, k, b);
	load_origins(r);
	return 0;
}

static bool have(char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static void push(char ***list, size_t *n, const char *s)
{
	char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (!nl || !(nl[*n] = strdup(s)))
		abort();
	*list = nl;
	(*n)++;
}

static int cmp_kernel(const void *a, const void *b)
{
	return site_kernel_cmp(*(char *const *)a, *(char *const *)b);
}

int site_load(struct site *s, char *const *dirs, int ndirs, char *err, size_t errsz)
{
	struct stat st;

	loading = s;
	for (int i = 0; i < ndirs; i++) {
		if (stat(dirs[i], &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, errsz,
				 "%s: not a directory (give the out/ directory of run-all)",
				 dirs[i]);
			return -1;
		}
		load_err[0] = '\0';
		if (nftw(dirs[i], add_json, 16, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
			snprintf(err, errsz, "%s", load_err[0] ? load_err : strerror(errno));
			return -1;
		}
	}
	if (!s->n) {
		snprintf(err, errsz,
			 "no case reports (CASE.json with a case and a kernel) under the given "
			 "directories: run `make run-all` or `opentrail check --case ... --format "
			 "md,json --out DIR` first");
		return -1;
	}
	/* Cases in catalogue order first, then any others by name. */
	for (size_t i = 0; i < ot_case_count(); i++)
		for (size_t j = 0; j < s->n; j++)
			if (!strcmp(s->r[j].case_id, ot_case_at(i)->id) &&
			    !have(s->cases, s->ncases, s->r[j].case_id))
				push(&s->cases, &s->ncases, s->r[j].case_id);
	for (size_t j = 0; j < s->n; j++)
		if (!have(s->cases, s->ncases, s->r[j].case_id))
			push(&s->cases, &s->ncases, s->r[j].case_id);
	for (size_t j = 0; j < s->n; j++)
		if (!have(s->kernels, s->nkernels, s->r[j].kernel))
			push(&s->kernels, &s->nkernels, s->r[j].kernel);
	qsort(s->kernels, s->nkernels, sizeof(*s->kernels), cmp_kernel);
	for (size_t k = 0; k < s->nkernels; k++) {
		const char *a = site_arch_of(s->kernels[k]);
		if ((!s->narches || strcmp(s->arches[s->narches - 1], a)) &&
		    s->narches < sizeof(s->arches) / sizeof(s->arches[0]))
			s->arches[s->narches++] = a;
	}
	return 0;
}

const struct site_report *site_find(const struct site *s, const char *case_id, const char *kernel,
				    const char *backend)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].case_id, case_id) && !strcmp(s->r[i].kernel, kernel) &&
		    !strcmp(s->r[i].backend, backend))
			return &s->r[i];
	return NULL;
}

void site_free(struct site *s)
{
	for (size_t i = 0; i < s->n; i++) {
		json_object_put(s->r[i].root);
		free(s->r[i].log_path);
		free(s->r[i].compare_path);
		free(s->r[i].origins);
	}
	for (size_t i = 0; i < s->nkernels; i++)
		free(s->kernels[i]);
	for (size_t i = 0; i < s->ncases; i++)
		free(s->cases[i]);
	free(s->r);
	free(s->kernels);
	free(s->cases);
	memset(s, 0, sizeof(*s));
}
