// SPDX-License-Identifier: MIT
/* A case on every kernel and backend side by side: each claim's verdict, which
 * functions ran (renamed, not probeable, or not called), their returns, and
 * whether the two backends agree; then, for each kernel series that ran on more
 * than one architecture, the architectures side by side (arch_compare.c). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_schema.h"
#include "site/html.h"
#include "site/model.h"

struct runs {
	const struct site_report *r[64];
	size_t n;
};

struct names {
	char *v[256];
	size_t n;
};

static void name_add(struct names *n, const char *s, size_t len)
{
	for (size_t i = 0; i < n->n; i++)
		if (strlen(n->v[i]) == len && !strncmp(n->v[i], s, len))
			return;
	if (n->n < 256 && (n->v[n->n] = strndup(s, len)))
		n->n++;
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
}

/* VALUE of KEY in a "k=v,k=v" or "k:v,k:v" list, copied into OUT; false if absent. */
static bool list_get(const char *list, const char *key, char sep, char *out, size_t sz)
{
	size_t kl = strlen(key);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > kl && !strncmp(p, key, kl) && p[kl] == sep) {
			snprintf(out, sz, "%.*s", (int)(len - kl - 1), p + kl + 1);
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

static json_object *member(const struct site_report *r, const char *key)
{
	json_object *o = NULL;

	json_object_object_get_ex(r->root, key, &o);
	return o;
}

static void head_row(FILE *f, const struct runs *rs, const char *first)
{
	fprintf(f, "<table>\n<thead><tr><th scope=\"col\">%s</th>", first);
	for (size_t i = 0; i < rs->n; i++) {
		fprintf(f, "<th scope=\"col\"><a href=\"../%s\">", rs->r[i]->page);
		html_text(f, site_arch_label(rs->r[i]->arch));
		fputs("<br>", f);
		html_text(f, rs->r[i]->kernel);
		fputs("<br>", f);
		html_text(f, rs->r[i]->backend);
		fputs("</a></th>", f);
	}
	fputs("<th scope=\"col\">same everywhere?</th></tr></thead>\n<tbody>\n", f);
}

static void write_claims(FILE *f, const struct runs *rs)
{
	struct names names = {0};

	for (size_t i = 0; i < rs->n; i++) {
		json_object *c = member(rs->r[i], OT_RKEY(REPORT, CLAIMS));
		for (size_t k = 0; c && k < json_object_array_length(c); k++) {
			const char *nm = site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, NAME));
			name_add(&names, nm, strlen(nm));
		}
	}
	fputs("<section id=\"claims\">\n<h2>Each claim's verdict</h2>\n", f);
	head_row(f, rs, "claim");
	for (size_t n = 0; n < names.n; n++) {
		const char *first = NULL;
		bool same = true;
		fputs("<tr><th scope=\"row\"><code>", f);
		html_text(f, names.v[n]);
		fputs("</code></th>", f);
		for (size_t i = 0; i < rs->n; i++) {
			json_object *c = member(rs->r[i], OT_RKEY(REPORT, CLAIMS));
			const char *v = "not checked";
			for (size_t k = 0; c && k < json_object_array_length(c); k++)
				if (!strcmp(site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, NAME)),
					    names.v[n]))
					v = site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, VERDICT));
			if (!first)
				first = v;
			same &= !strcmp(first, v);
			fputs("<td>", f);
			html_verdict(f, v);
			fputs("</td>", f);
		}
		fprintf(f, "<td%s>%s</td></tr>\n", same ? "" : " class=\"differs\"",
			same ? "yes" : "differs");
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
	names_free(&names);
}

/* What became of FUNC in run R, as text. */
static void func_cell(const struct site_report *r, const char *func, char *out, size_t sz,
		      char *ret, size_t rsz)
{
	json_object *facts = member(r, OT_RKEY(REPORT, RUN_FACTS)), *counts = member(r, OT_RKEY(REPORT, COUNTS));
	json_object *returns = member(r, OT_RKEY(REPORT, RETURNS)), *v;
	char real[128], why[256], key[200];

	ret[0] = '\0';
	if (!list_get(site_str(facts, "roles"), func, '=', real, sizeof(real)))
		snprintf(real, sizeof(real), "%s", func);
	/* Records are counted under their role (logs of the kernel's name too). */
	snprintf(key, sizeof(key), "%s.entry", func);
	int n = counts && json_object_object_get_ex(counts, key, &v) ? json_object_get_int(v) : 0;
	snprintf(key, sizeof(key), "%s.entry", real);
	if (!n && strcmp(real, func))
		n = counts && json_object_object_get_ex(counts, key, &v) ? json_object_get_int(v)
									 : 0;
	if (list_get(site_str(facts, "skipped"), func, ':', why, sizeof(why)) ||
	    (strcmp(real, func) &&
	     list_get(site_str(facts, "skipped"), real, ':', why, sizeof(why))))
		snprintf(out, sz, "not probed: %s", why);
	else if (n)
		snprintf(out, sz, "ran ×%d%s%s", n, strcmp(real, func) ? " as " : "",
			 strcmp(real, func) ? real : "");
	else if (strcmp(real, func))
		snprintf(out, sz, "renamed %s, not called", real);
	else
		snprintf(out, sz, "not called");
	if (returns && (json_object_object_get_ex(returns, func, &v) ||
			json_object_object_get_ex(returns, real, &v))) {
		size_t l = 0;
		json_object_object_foreach(v, rv, cnt)
		{
			if (l < rsz)
				l += (size_t)snprintf(ret + l, rsz - l, "%s%s ×%d", l ? ", " : "",
						      rv, json_object_get_int(cnt));
		}
	}
}

/* Is FUNC (LEN bytes) the kernel's own name for a role in ROLES ("ROLE=REAL,...")? */
static bool is_real_name(const char *roles, const char *func, size_t len)
{
	for (const char *p = roles; p && *p;) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		size_t rl = eq ? (size_t)((end ? end : p + strlen(p)) - eq - 1) : 0;
		if (eq && rl == len && !strncmp(eq + 1, func, len))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* The functions of a run's probe set, by role: a renamed function is listed under the
 * name the catalogue knows it by. */
static void add_funcs_of(struct names *names, const struct site_report *r)
{
	json_object *facts = member(r, OT_RKEY(REPORT, RUN_FACTS));
	const char *roles = site_str(facts, "roles");

	for (const char *p = site_str(facts, "probes"); p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!is_real_name(roles, p, len))
			name_add(names, p, len);
		p = end ? end + 1 : NULL;
	}
	/* skipped functions are not in probes= */
	for (const char *p = site_str(facts, "skipped"); p && *p;) {
		const char *colon = strchr(p, ':'), *end = strchr(p, ',');
		if (!colon)
			break;
		name_add(names, p, (size_t)(colon - p));
		p = end ? end + 1 : NULL;
	}
}

static void write_functions(FILE *f, const struct runs *rs)
{
	struct names names = {0};
	char cell[64][320], ret[64][400];

	for (size_t i = 0; i < rs->n; i++)
		add_funcs_of(&names, rs->r[i]);
	fputs("<section id=\"functions\">\n<h2>Which functions ran</h2>\n<p>Per kernel and "
	      "backend: how many times each function of the probe set was called, under which "
	      "name when the kernel renamed it, or why it could not be probed (inlined, "
	      "absent, notrace).</p>\n",
	      f);
	head_row(f, rs, "function");
	for (size_t n = 0; n < names.n; n++) {
		bool same = true;
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			func_cell(rs->r[i], names.v[n], cell[i], sizeof(cell[i]), ret[i],
				  sizeof(ret[i]));
			same &= !strcmp(cell[i], cell[0]);
		}
		fputs("<tr><th scope=\"row\"><code>", f);
		html_text(f, names.v[n]);
		fputs("</code></th>", f);
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			fputs("<td>", f);
			html_text(f, cell[i]);
			fputs("</td>", f);
		}
		fprintf(f, "<td%s>%s</td></tr>\n", same ? "" : " class=\"differs\"",
			same ? "yes" : "differs");
	}
	fputs("</tbody>\n</table>\n</section>\n<section id=\"returns\">\n<h2>What they "
	      "returned</h2>\n",
	      f);
	head_row(f, rs, "function");
	for (size_t n = 0; n < names.n; n++) {
		bool same = true, any = false;
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			func_cell(rs->r[i], names.v[n], cell[i], sizeof(cell[i]), ret[i],
				  sizeof(ret[i]));
			same &= !strcmp(ret[i], ret[0]);
			any |= ret[i][0] != '\0';
		}
		if (!any)
			continue;
		fputs("<tr><th scope=\"row\"><code>", f);
		html_text(f, names.v[n]);
		fputs("</code></th>", f);
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			fputs("<td><code>", f);
			html_text(f, ret[i][0] ? ret[i] : "—");
			fputs("</code></td>", f);
		}
		fprintf(f, "<td%s>%s</td></tr>\n", same ? "" : " class=\"differs\"",
			same ? "yes" : "differs");
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
	names_free(&names);
}

/* The functions an operation called, in the order they ran, repeats folded:
 * "path_openat > link_path_walk > __d_lookup_rcu x3 > ...". */
struct shape {
	char text[1200];
	const char *last;
	int reps;
	size_t len;
};

static void shape_flush(struct shape *sh)
{
	if (!sh->last || sh->len >= sizeof(sh->text))
		return;
	sh->len += (size_t)snprintf(sh->text + sh->len, sizeof(sh->text) - sh->len, "%s%s",
				    sh->len ? " › " : "", sh->last);
	if (sh->reps > 1 && sh->len < sizeof(sh->text))
		sh->len += (size_t)snprintf(sh->text + sh->len, sizeof(sh->text) - sh->len, " ×%d",
					    sh->reps);
}

static void shape_walk(struct shape *sh, json_object *c)
{
	json_object *kids = NULL;
	const char *fn = site_str(c, OT_RKEY(CALL, FUNC));

	if (sh->last && !strcmp(sh->last, fn))
		sh->reps++;
	else {
		shape_flush(sh);
		sh->last = fn;
		sh->reps = 1;
	}
	json_object_object_get_ex(c, OT_RKEY(CALL, CHILDREN), &kids);
	for (size_t i = 0; kids && i < json_object_array_length(kids); i++)
		shape_walk(sh, json_object_array_get_idx(kids, i));
}

/* The call of operation N (op#N) in a call tree, or NULL. */
static json_object *find_op(json_object *calls, int n)
{
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++) {
		json_object *c = json_object_array_get_idx(calls, i), *op = NULL, *kids = NULL, *r;
		if (json_object_object_get_ex(c, OT_RKEY(CALL, OP), &op) && json_object_get_int(op) == n)
			return c;
		json_object_object_get_ex(c, OT_RKEY(CALL, CHILDREN), &kids);
		if ((r = find_op(kids, n)))
			return r;
	}
	return NULL;
}

static void write_shapes(FILE *f, const struct runs *rs)
{
	static struct shape sh[64];

	fputs("<section id=\"shapes\">\n<h2>The shape of each operation</h2>\n<p>What each "
	      "operation (op#N, as the claims count them) called, in the order it ran; "
	      "<code>×k</code> is k calls in a row.</p>\n",
	      f);
	head_row(f, rs, "operation");
	for (int n = 1; n < 64; n++) {
		bool any = false, same = true;
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			json_object *op = find_op(member(rs->r[i], OT_RKEY(REPORT, CALLS)), n);
			memset(&sh[i], 0, sizeof(sh[i]));
			if (op) {
				shape_walk(&sh[i], op);
				shape_flush(&sh[i]);
				any = true;
			}
			same &= !strcmp(sh[i].text, sh[0].text);
		}
		if (!any)
			break;
		fprintf(f, "<tr><th scope=\"row\">op#%d</th>", n);
		for (size_t i = 0; i < rs->n && i < 64; i++) {
			fputs("<td><code>", f);
			html_text(f, sh[i].text[0] ? sh[i].text : "—");
			fputs("</code></td>", f);
		}
		fprintf(f, "<td%s>%s</td></tr>\n", same ? "" : " class=\"differs\"",
			same ? "yes" : "differs");
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void write_backends(FILE *f, const struct site *s, const char *case_id)
{
	fputs("<section id=\"backends\">\n<h2>Do the two backends agree?</h2>\n", f);
	for (size_t k = 0; k < s->nkernels; k++) {
		const struct site_report *b = site_find(s, case_id, s->kernels[k], "bpf");
		const struct site_report *m = site_find(s, case_id, s->kernels[k], "kmod");
		fputs("<h3>", f);
		html_text(f, s->kernels[k]);
		fputs("</h3>\n", f);
		if (!b || !m) {
			fprintf(f, "<p>Only the %s backend ran here: nothing to compare.</p>\n",
				b   ? "bpf"
				: m ? "kmod"
				    : "no");
			continue;
		}
		size_t same = 0, differ = 0;
		json_object *cb = member(b, OT_RKEY(REPORT, CLAIMS)), *cm = member(m, OT_RKEY(REPORT, CLAIMS));
		for (size_t i = 0; cb && i < json_object_array_length(cb); i++) {
			json_object *x = json_object_array_get_idx(cb, i);
			for (size_t j = 0; cm && j < json_object_array_length(cm); j++) {
				json_object *y = json_object_array_get_idx(cm, j);
				if (strcmp(site_str(x, OT_RKEY(CLAIM, NAME)), site_str(y, OT_RKEY(CLAIM, NAME))))
					continue;
				!strcmp(site_str(x, OT_RKEY(CLAIM, VERDICT)), site_str(y, OT_RKEY(CLAIM, VERDICT))) ? same++
											: differ++;
			}
		}
		fprintf(f,
			"<p>Claim verdicts: %zu the same under both backends, %zu different.</p>\n",
			same, differ);
		FILE *g = b->compare_path ? fopen(b->compare_path, "r") : NULL;
		if (g) {
			char buf[4096];
			fputs("<p>The cross-check of the two logs (<code>opentrail "
			      "compare</code>):</p>"
			      "\n<pre>",
			      f);
			while (fgets(buf, sizeof(buf), g))
				html_text(f, buf);
			fputs("</pre>\n", f);
			fclose(g);
		}
	}
	fputs("</section>\n", f);
}

static int cmp_run(const void *a, const void *b)
{
	const struct site_report *x = *(const struct site_report *const *)a;
	const struct site_report *y = *(const struct site_report *const *)b;
	int c = site_kernel_cmp(x->kernel, y->kernel);

	return c ? c : strcmp(x->backend, y->backend);
}

int site_write_compare(const struct site *s, const char *case_id, char *err, size_t errsz)
{
	struct runs rs = {0};
	struct page p;
	char rel[256], slug[160];

	for (size_t i = 0; i < s->n && rs.n < 64; i++)
		if (!strcmp(s->r[i].case_id, case_id))
			rs.r[rs.n++] = &s->r[i];
	qsort(rs.r, rs.n, sizeof(rs.r[0]), cmp_run);
	site_slug(case_id, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "compare/%s.html", slug);
	if (page_open(&p, s->out, rel, err, errsz))
		return -1;
	FILE *f = p.f;
	char title[300];
	snprintf(title, sizeof(title), "%s on every kernel, architecture and backend", case_id);
	html_head(f, title, "../");
	fputs("<h1><code>", f);
	html_text(f, case_id);
	fputs("</code> — ", f);
	html_text(f, rs.r[0]->title);
	fputs("</h1>\n<p>", f);
	html_text(f, rs.r[0]->intent);
	fputs("</p>\n<p>The runs: ", f);
	for (size_t i = 0; i < rs.n; i++) {
		fprintf(f, "%s<a href=\"../%s\">", i ? ", " : "", rs.r[i]->page);
		html_text(f, rs.r[i]->kernel);
		fprintf(f, " %s</a> (", rs.r[i]->backend);
		html_verdict(f, rs.r[i]->verdict);
		fputs(")", f);
	}
	fputs(".</p>\n", f);
	write_claims(f, &rs);
	write_functions(f, &rs);
	write_shapes(f, &rs);
	write_backends(f, s, case_id);
	site_write_arches(f, s, rs.r, rs.n);
	html_foot(f);
	return page_close(&p, err, errsz);
}
