// SPDX-License-Identifier: MIT
/* A case's architectures side by side, for each kernel series that ran on more than
 * one (x86-64 and arm64 6.12, say): what the compiler inlined differently (functions
 * not in kallsyms on one architecture, functions seen inlined in the call sites and
 * line probes of one and not the other), what the kernel renamed (run.fact roles=),
 * how the BPF backend attached, where the error was decided, and the claims whose
 * verdicts differ. Read from the reports alone; the section of the comparison page
 * (compare_page.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_schema.h"
#include "site/html.h"
#include "site/model.h"

static const char *const backends[] = {"bpf", "kmod"};
#define NBACKENDS 2
#define MAX_SIDES 8
#define MAX_NAMES 512

/* Names with a value each (a reason, a real name, where it was inlined). */
struct fnset {
	char *name[MAX_NAMES], *val[MAX_NAMES];
	size_t n;
};

static const char *fn_get(const struct fnset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return NULL;
}

/* Adds NAME (LEN bytes) with VAL (VLEN bytes) unless it is there. */
static void fn_add(struct fnset *s, const char *name, size_t len, const char *val, size_t vlen)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->name[i]) == len && !strncmp(s->name[i], name, len))
			return;
	if (s->n == MAX_NAMES || !len)
		return;
	if (!(s->name[s->n] = strndup(name, len)) || !(s->val[s->n] = strndup(val, vlen)))
		abort();
	s->n++;
}

static void fn_free(struct fnset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->name[i]);
		free(s->val[i]);
	}
	s->n = 0;
}

/* A run.fact list "a,b" (SEP 0), "name:reason,..." (SEP ':') or "role=real,..." (SEP '=')
 * into SET. */
static void fn_add_list(struct fnset *set, const char *list, char sep)
{
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = sep ? memchr(p, sep, len) : NULL;
		if (!sep)
			fn_add(set, p, len, "", 0);
		else if (s)
			fn_add(set, p, (size_t)(s - p), s + 1, len - (size_t)(s - p) - 1);
		p = end ? end + 1 : NULL;
	}
}

/* One architecture of a series: the series' newest release on it, and what the
 * case's runs there say, both backends together. */
struct side {
	const char *arch, *kernel;
	const struct site_report *r[NBACKENDS];
	struct fnset skipped; /* function -> why it was not probed */
	struct fnset probed;  /* functions probed, by the kernel's name */
	struct fnset roles;   /* role -> the kernel's name, where they differ */
	struct fnset inlined; /* function -> the function it was inlined in */
	struct fnset own;     /* functions seen as functions of their own */
	size_t fentry, kprobe;
	size_t src_seen; /* line steps and inlined frames: what shows inlining */
	bool attach_known;
	const struct site_origin *origin;
};

/* "a,b,c": A and B were inlined (into the next one), C is the function itself. */
static void add_chain(struct side *sd, const char *inner, const char *chain)
{
	const char *last = strrchr(chain, ',');
	const char *outer = last ? last + 1 : chain;

	if (inner && *inner)
		fn_add(&sd->inlined, inner, strlen(inner), outer, strlen(outer));
	for (const char *p = chain; p && p < outer;) {
		const char *end = strchr(p, ',');
		fn_add(&sd->inlined, p, (size_t)(end - p), outer, strlen(outer));
		p = end + 1;
	}
}

static void walk_calls(struct side *sd, json_object *calls)
{
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++) {
		json_object *c = json_object_array_get_idx(calls, i), *v = NULL;
		const char *fn = site_str(c, OT_RKEY(CALL, FUNC));
		fn_add(&sd->own, fn, strlen(fn), "", 0);
		/* inlined frames between the caller and this call: in the caller */
		if (json_object_object_get_ex(c, OT_RKEY(CALL, INLINED), &v) && v) {
			json_object *site = NULL;
			json_object_object_get_ex(c, OT_RKEY(CALL, CALL_SITE), &site);
			const char *into = site_str(site, OT_RKEY(CALL_SITE, CALLER));
			for (size_t k = 0; k < json_object_array_length(v); k++) {
				const char *in = site_str(json_object_array_get_idx(v, k),
							  OT_RKEY(INLINED, FUNC));
				sd->src_seen++;
				fn_add(&sd->inlined, in, strlen(in), *into ? into : "its caller",
				       strlen(*into ? into : "its caller"));
			}
		}
		if (json_object_object_get_ex(c, OT_RKEY(CALL, LINES), &v) && v)
			for (size_t k = 0; k < json_object_array_length(v); k++) {
				json_object *l = json_object_array_get_idx(v, k);
				const char *lf = site_str(l, OT_RKEY(LINE_STEP, FUNC));
				const char *in = site_str(l, OT_RKEY(LINE_STEP, INLINED_IN));
				sd->src_seen++;
				if (*in)
					add_chain(sd, lf, in);
				else
					fn_add(&sd->own, lf, strlen(lf), "", 0);
			}
		if (json_object_object_get_ex(c, OT_RKEY(CALL, CHILDREN), &v))
			walk_calls(sd, v);
	}
}

static void side_load(struct side *sd)
{
	for (int b = 0; b < NBACKENDS; b++) {
		const struct site_report *r = sd->r[b];
		json_object *facts = NULL, *calls = NULL;
		if (!r)
			continue;
		json_object_object_get_ex(r->root, OT_RKEY(REPORT, RUN_FACTS), &facts);
		fn_add_list(&sd->skipped, site_str(facts, "skipped"), ':');
		fn_add_list(&sd->probed, site_str(facts, "probes"), 0);
		fn_add_list(&sd->roles, site_str(facts, "roles"), '=');
		if (b == 0 && *site_str(facts, "attach")) {
			sd->attach_known = true;
			for (const char *a = site_str(facts, "attach"); (a = strchr(a, '=')); a++)
				!strncmp(a + 1, "fentry", 6) ? sd->fentry++ : sd->kprobe++;
		}
		json_object_object_get_ex(r->root, OT_RKEY(REPORT, CALLS), &calls);
		walk_calls(sd, calls);
		/* the origin with a probed line, if a backend has one */
		if (r->origin && !r->unsupported &&
		    (!sd->origin || (!sd->origin->file && r->origin->file)))
			sd->origin = r->origin;
	}
	for (size_t i = 0; i < sd->own.n; i++)
		for (size_t k = 0; k < sd->roles.n; k++)
			if (!strcmp(sd->own.name[i], sd->roles.val[k]))
				fn_add(&sd->own, sd->roles.name[k], strlen(sd->roles.name[k]), "",
				       0);
}

static void side_free(struct side *sd)
{
	fn_free(&sd->skipped);
	fn_free(&sd->probed);
	fn_free(&sd->roles);
	fn_free(&sd->inlined);
	fn_free(&sd->own);
}

/* Was FUNC (a role) probed on SD, under its own name or the kernel's? */
static bool probed(const struct side *sd, const char *func)
{
	const char *real = fn_get(&sd->roles, func);

	return fn_get(&sd->probed, func) || (real && fn_get(&sd->probed, real));
}

static void code(FILE *f, const char *s)
{
	fputs("<code>", f);
	html_text(f, s);
	fputs("</code>", f);
}

/* A row: its head (KIND, then NAME as code when there is one), one cell per side
 * (CELL writes it), whether they differ. */
static void row(FILE *f, const char *kind, const char *name, struct side *sd, size_t n,
		bool differs, void (*cell)(FILE *, const struct side *, const char *))
{
	fputs(differs ? "<tr class=\"differs\"><th scope=\"row\">" : "<tr><th scope=\"row\">", f);
	html_text(f, kind);
	if (name) {
		fputs(": ", f);
		code(f, name);
	}
	fputs("</th>", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<td>", f);
		cell(f, &sd[i], name);
		fputs("</td>", f);
	}
	fprintf(f, "<td>%s</td></tr>\n", differs ? "differs" : "yes");
}

static void cell_verdicts(FILE *f, const struct side *sd, const char *what)
{
	(void)what;
	for (int b = 0, any = 0; b < NBACKENDS; b++) {
		if (!sd->r[b])
			continue;
		fprintf(f, "%s<a href=\"../%s\">%s: ", any++ ? " · " : "", sd->r[b]->page,
			backends[b]);
		html_verdict(f, sd->r[b]->verdict);
		fputs("</a>", f);
	}
}

static void cell_renamed(FILE *f, const struct side *sd, const char *role)
{
	const char *real = fn_get(&sd->roles, role);

	if (real) {
		fputs("renamed ", f);
		code(f, real);
	} else if (probed(sd, role) || fn_get(&sd->own, role)) {
		fputs("its own name", f);
	} else {
		fputs("not in the probe set", f);
	}
}

static void cell_skipped(FILE *f, const struct side *sd, const char *func)
{
	const char *why = fn_get(&sd->skipped, func);

	if (why) {
		fputs("not probed: ", f);
		html_text(f, why);
	} else if (probed(sd, func)) {
		fputs("probed", f);
	} else {
		fputs("not in the probe set", f);
	}
}

static void cell_inlined(FILE *f, const struct side *sd, const char *func)
{
	const char *into = fn_get(&sd->inlined, func);

	if (into) {
		fputs("inlined in ", f);
		code(f, into);
	} else if (fn_get(&sd->own, func)) {
		fputs("a function of its own (it ran as one)", f);
	} else if (fn_get(&sd->skipped, func)) {
		fputs("not probed: ", f);
		html_text(f, fn_get(&sd->skipped, func));
	} else if (!sd->src_seen) {
		fputs("not known: no line probes ran and no call site was resolved", f);
	} else {
		fputs("not seen inlined (a function of its own, or not reached)", f);
	}
}

static void cell_attach(FILE *f, const struct side *sd, const char *what)
{
	(void)what;
	if (!sd->attach_known)
		fputs("—", f);
	else
		fprintf(f, "%zu fentry/fexit, %zu kprobe", sd->fentry, sd->kprobe);
}

static void cell_origin(FILE *f, const struct side *sd, const char *what)
{
	(void)what;
	if (sd->origin) {
		html_text(f, sd->origin->err);
		fputs(" in ", f);
		site_html_origin(f, sd->origin);
	} else {
		fputs("no failing operation", f);
	}
}

static const char *claim_verdict(const struct site_report *r, const char *name)
{
	json_object *c = NULL;

	if (!r)
		return NULL;
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, CLAIMS), &c);
	for (size_t k = 0; c && k < json_object_array_length(c); k++)
		if (!strcmp(site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, NAME)), name))
			return site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, VERDICT));
	return "not checked";
}

static void cell_claim(FILE *f, const struct side *sd, const char *name)
{
	for (int b = 0, any = 0; b < NBACKENDS; b++) {
		const char *v = claim_verdict(sd->r[b], name);
		if (!v)
			continue;
		fprintf(f, "%s%s: ", any++ ? " · " : "", backends[b]);
		html_verdict(f, v);
	}
}

static bool origins_differ(const struct side *sd, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const struct site_origin *a = sd[0].origin, *b = sd[i].origin;
		if (!a || !b) {
			if (a != b)
				return true;
			continue;
		}
		if (strcmp(a->err ? a->err : "", b->err ? b->err : "") ||
		    strcmp(a->func   ? a->func
			   : a->call ? a->call
				     : "",
			   b->func   ? b->func
			   : b->call ? b->call
				     : "") ||
		    strcmp(a->text ? a->text : "", b->text ? b->text : ""))
			return true;
	}
	return false;
}

/* Are A and B one function, the architectures' syscall entry prefixes aside
 * (__x64_sys_openat on x86-64 is __arm64_sys_openat on arm64)? */
static bool same_fn(const char *a, const char *b)
{
	static const char *const prefixes[] = {"__x64_sys_", "__arm64_sys_", "__ia32_sys_"};
	const size_t np = sizeof(prefixes) / sizeof(prefixes[0]);

	if (!a || !b)
		return a == b;
	for (size_t i = 0; i < np; i++)
		if (!strncmp(a, prefixes[i], strlen(prefixes[i])))
			for (size_t j = 0; j < np; j++)
				if (!strncmp(b, prefixes[j], strlen(prefixes[j])))
					return !strcmp(a + strlen(prefixes[i]),
						       b + strlen(prefixes[j]));
	return !strcmp(a, b);
}

/* The names of the rows of one kind: every NAME of FIELD(side) on any side. */
static void union_of(struct fnset *u, struct side *sd, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++) {
		const struct fnset *s = (const struct fnset *)((const char *)&sd[i] + off);
		for (size_t k = 0; k < s->n; k++)
			fn_add(u, s->name[k], strlen(s->name[k]), "", 0);
	}
}

static void write_series(FILE *f, const char *series, struct side *sd, size_t n)
{
	struct fnset u = {0};
	size_t alike = 0;
	bool differs;

	fputs("<h3>", f);
	html_text(f, series);
	fputs(": ", f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? (i + 1 == n ? " and " : ", ") : "", f);
		html_text(f, site_arch_label(sd[i].arch));
		fputs(" (", f);
		html_text(f, sd[i].kernel);
		fputs(")", f);
	}
	fputs("</h3>\n<table>\n<thead><tr><th scope=\"col\"></th>", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<th scope=\"col\">", f);
		html_text(f, site_arch_label(sd[i].arch));
		fputs("<br>", f);
		html_text(f, sd[i].kernel);
		fputs("</th>", f);
	}
	fputs("<th scope=\"col\">the same?</th></tr></thead>\n<tbody>\n", f);
	differs = false;
	for (size_t i = 1; i < n; i++)
		for (int b = 0; b < NBACKENDS; b++)
			if (sd[0].r[b] && sd[i].r[b] &&
			    strcmp(sd[0].r[b]->verdict, sd[i].r[b]->verdict))
				differs = true;
	row(f, "verdict", NULL, sd, n, differs, cell_verdicts);
	differs = false;
	for (size_t i = 1; i < n; i++)
		differs |= sd[i].attach_known && sd[0].attach_known &&
			   (sd[i].fentry != sd[0].fentry || sd[i].kprobe != sd[0].kprobe);
	row(f, "how the BPF backend attached", NULL, sd, n, differs, cell_attach);
	row(f, "where the error was decided", NULL, sd, n, origins_differ(sd, n), cell_origin);

	/* Renamed: every role renamed on some side. */
	union_of(&u, sd, n, offsetof(struct side, roles));
	for (size_t k = 0; k < u.n; k++) {
		differs = false;
		for (size_t i = 1; i < n; i++)
			differs |= strcmp(
			    fn_get(&sd[0].roles, u.name[k]) ? fn_get(&sd[0].roles, u.name[k]) : "",
			    fn_get(&sd[i].roles, u.name[k]) ? fn_get(&sd[i].roles, u.name[k]) : "");
		row(f, "renamed", u.name[k], sd, n, differs, cell_renamed);
	}
	fn_free(&u);

	/* Not probed: the functions skipped on some side but not alike on all. */
	union_of(&u, sd, n, offsetof(struct side, skipped));
	for (size_t k = 0; k < u.n; k++) {
		differs = false;
		for (size_t i = 1; i < n; i++) {
			const char *a = fn_get(&sd[0].skipped, u.name[k]),
				   *b = fn_get(&sd[i].skipped, u.name[k]);
			differs |= !a || !b || strcmp(a, b);
		}
		if (!differs) {
			alike++;
			continue;
		}
		row(f, "not probed", u.name[k], sd, n, true, cell_skipped);
	}
	fn_free(&u);

	/* Inlined: the functions seen inlined on some side and not on all. */
	size_t inl_alike = 0;
	union_of(&u, sd, n, offsetof(struct side, inlined));
	for (size_t k = 0; k < u.n; k++) {
		differs = false;
		for (size_t i = 0; i < n; i++)
			differs |= !fn_get(&sd[i].inlined, u.name[k]) ||
				   !same_fn(fn_get(&sd[i].inlined, u.name[k]),
					    fn_get(&sd[0].inlined, u.name[k]));
		if (!differs) {
			inl_alike++;
			continue;
		}
		row(f, "inlined", u.name[k], sd, n, true, cell_inlined);
	}
	fn_free(&u);

	/* The claims whose verdicts differ between the architectures, backend by backend. */
	size_t claims_alike = 0;
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < NBACKENDS; b++) {
			json_object *c = NULL;
			if (sd[i].r[b])
				json_object_object_get_ex(sd[i].r[b]->root, OT_RKEY(REPORT, CLAIMS),
							  &c);
			for (size_t k = 0; c && k < json_object_array_length(c); k++) {
				const char *nm =
				    site_str(json_object_array_get_idx(c, k), OT_RKEY(CLAIM, NAME));
				fn_add(&u, nm, strlen(nm), "", 0);
			}
		}
	for (size_t k = 0; k < u.n; k++) {
		differs = false;
		for (size_t i = 1; i < n; i++)
			for (int b = 0; b < NBACKENDS; b++) {
				const char *x = claim_verdict(sd[0].r[b], u.name[k]);
				const char *y = claim_verdict(sd[i].r[b], u.name[k]);
				differs |= x && y && strcmp(x, y);
			}
		if (!differs) {
			claims_alike++;
			continue;
		}
		row(f, "claim", u.name[k], sd, n, true, cell_claim);
	}
	fn_free(&u);
	fputs("</tbody>\n</table>\n", f);
	fprintf(f,
		"<p>Alike on every architecture, and not listed: %zu function%s not probed for "
		"the same reason, %zu function%s seen inlined in the same function, %zu claim%s "
		"with the same verdicts.</p>\n",
		alike, alike == 1 ? "" : "s", inl_alike, inl_alike == 1 ? "" : "s", claims_alike,
		claims_alike == 1 ? "" : "s");
}

static int cmp_series(const void *a, const void *b)
{
	return strverscmp(*(const char *const *)a, *(const char *const *)b);
}

void site_write_arches(FILE *f, const struct site *s, const struct site_report *const *runs,
		       size_t n)
{
	char series[64][32];
	const char *order[64];
	size_t nseries = 0;
	bool any = false;

	(void)s;
	for (size_t i = 0; i < n; i++) {
		char sr[32];
		bool seen = false;
		if (!site_series(runs[i]->kernel, sr, sizeof(sr)))
			continue;
		for (size_t k = 0; k < nseries && !seen; k++)
			seen = !strcmp(series[k], sr);
		if (!seen && nseries < 64) {
			snprintf(series[nseries], sizeof(series[nseries]), "%s", sr);
			order[nseries] = series[nseries];
			nseries++;
		}
	}
	qsort(order, nseries, sizeof(order[0]), cmp_series);
	for (size_t k = 0; k < nseries; k++) {
		struct side *sd = calloc(MAX_SIDES, sizeof(*sd));
		size_t nsd = 0;
		if (!sd)
			abort();
		/* each architecture's newest release of the series */
		for (size_t i = 0; i < n; i++) {
			char sr[32];
			const struct site_report *r = runs[i];
			size_t j = 0;
			if (!*r->arch || !site_series(r->kernel, sr, sizeof(sr)) ||
			    strcmp(sr, order[k]))
				continue;
			while (j < nsd && strcmp(sd[j].arch, r->arch))
				j++;
			if (j == nsd) {
				if (nsd == MAX_SIDES)
					continue;
				sd[nsd].arch = r->arch;
				sd[nsd++].kernel = r->kernel;
			}
			int c = strverscmp(r->kernel, sd[j].kernel);
			if (c > 0) {
				memset(sd[j].r, 0, sizeof(sd[j].r));
				sd[j].kernel = r->kernel;
			}
			if (c >= 0)
				for (int b = 0; b < NBACKENDS; b++)
					if (!strcmp(r->backend, backends[b]))
						sd[j].r[b] = r;
		}
		if (nsd < 2) {
			free(sd);
			continue;
		}
		/* in the matrix's order of architectures */
		for (size_t i = 1; i < nsd; i++)
			for (size_t j = i;
			     j > 0 && site_arch_rank(sd[j].arch) < site_arch_rank(sd[j - 1].arch);
			     j--) {
				struct side t = sd[j];
				sd[j] = sd[j - 1];
				sd[j - 1] = t;
			}
		if (!any)
			fputs(
			    "<section id=\"arches\">\n<h2>x86-64 and arm64 side by "
			    "side</h2>\n<p>For "
			    "each kernel series that ran on more than one architecture, its newest "
			    "release on each, both backends together: how the BPF backend "
			    "attached, "
			    "where the error was decided, what the kernel renamed (<code>run.fact "
			    "roles=</code>), and what the compiler built differently: a function "
			    "not "
			    "probed on one (<code>skipped=</code>: not in /proc/kallsyms when it "
			    "was "
			    "inlined everywhere) and a function seen inlined in the call sites and "
			    "line probes of one and not of the other; then the claims whose "
			    "verdicts "
			    "differ.</p>\n",
			    f);
		any = true;
		for (size_t i = 0; i < nsd; i++)
			side_load(&sd[i]);
		write_series(f, order[k], sd, nsd);
		for (size_t i = 0; i < nsd; i++)
			side_free(&sd[i]);
		free(sd);
	}
	if (any)
		fputs("</section>\n", f);
}
