// SPDX-License-Identifier: MIT
/* The pstree-style call tree (see tree.h). */
#include "report/tree.h"

#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/mdtext.h"
#include "report/srcrender.h"
#include "report/termstyle.h"
#include "srcmap/srcinfo.h"

#define BRANCH_MID  OT_BRANCH_MID
#define BRANCH_LAST OT_BRANCH_LAST
#define STEM_MID    OT_STEM_MID
#define STEM_LAST   OT_STEM_LAST

/* The field a seed's return value was written as ("dentry=" of __d_alloc.ret), when
 * the parser copied it to "ret": the arrow already shows it. */
static const struct ot_field *ret_source(const struct ot_log *log, const struct ot_record *r)
{
	for (size_t i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i].key, "ret") != 0 || !ot_field_is_alias(log, r, i))
			continue;
		for (size_t j = 0; j < i; j++)
			if (r->fields[j].raw && strcmp(r->fields[j].raw, r->fields[i].raw) == 0)
				return &r->fields[j];
	}
	return NULL;
}

static bool field_shown(const struct ot_log *log, const struct ot_record *r, size_t i, bool is_ret)
{
	if (ot_field_is_alias(log, r, i))
		return false;
	if (!is_ret)
		return true;
	return strcmp(r->fields[i].key, "ret") != 0 && &r->fields[i] != ret_source(log, r);
}

/* The fields of R shown in a label, shortened as FIT says (NULL: in full). */
static void write_fields(FILE *f, const struct ot_log *log, const struct ot_record *r, bool is_ret,
			 const struct ot_label_fit *fit)
{
	char buf[640];
	bool first = true, cut = false;
	size_t shown = 0;

	for (size_t i = 0; i < r->nfields; i++) {
		if (!field_shown(log, r, i, is_ret))
			continue;
		if (fit && ((fit->hide_ptrs && ot_field_is_pointer(r, &r->fields[i])) ||
			    (!is_ret && fit->text_args &&
			     ot_field_show(r, &r->fields[i]) != OT_SHOW_STR) ||
			    (!is_ret && shown == fit->max_args))) {
			cut = true;
			continue;
		}
		ot_field_format_max(r, &r->fields[i], fit ? fit->max_str : 0, buf, sizeof(buf));
		fprintf(f, "%s%s", first ? "" : ", ", buf);
		first = false;
		shown++;
	}
	if (cut)
		fputs(first ? "…" : ", …", f);
}

static bool has_ret_fields(const struct ot_log *log, const struct ot_record *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (field_shown(log, r, i, true))
			return true;
	return false;
}

void ot_call_label_fit(FILE *f, const struct ot_trace *t, const struct ot_call *c,
		       const struct ot_label_fit *fit)
{
	const struct ot_log *log = t->log;
	char ret[96], real[128];
	bool err = fit && fit->err_on && c->ret && c->dec.cls == OT_RC_ERR;

	fprintf(f, "%s(", ot_srcinfo_real_name(t, c->func, real, sizeof(real)));
	if (c->entry)
		write_fields(f, log, c->entry, false, fit);
	else
		fputs("?", f);
	fputs(")", f);
	if (!c->ret) {
		fputs(c->in_flight ? " (in flight: no return yet when the probes detached)"
				   : " (no return in log)",
		      f);
		return;
	}
	ot_call_ret_value(c, ret, sizeof(ret));
	fprintf(f, " -> %s%s%s", err ? fit->err_on : "", ret, err ? fit->err_off : "");
	if (c->in_flight == OT_IN_FLIGHT_AT_ATTACH)
		fputs(" (in flight: begun before the probes attached)", f);
	if (has_ret_fields(log, c->ret)) {
		fputs(" {", f);
		if (fit && fit->no_ret_fields)
			fputs("…", f);
		else
			write_fields(f, log, c->ret, true, fit);
		fputs("}", f);
	}
	if (!c->entry)
		fputs(" (entry not in log)", f);
}

void ot_call_label(FILE *f, const struct ot_trace *t, const struct ot_call *c)
{
	ot_call_label_fit(f, t, c, NULL);
}

void ot_tree_renamed(FILE *f, const struct ot_trace *t, const char *bt)
{
	const char *p = ot_trace_run_fact(t, "roles"), *role, *name;
	size_t rl, nl;

	/* roles= lists only the roles named otherwise here */
	while (ot_srcinfo_role_next(&p, &role, &rl, &name, &nl))
		fprintf(f, "; %s%.*s%s is the claims' %s%.*s%s", bt, (int)nl, name, bt, bt, (int)rl,
			role, bt);
}

static void write_line_refs(FILE *f, const struct ot_call *c)
{
	unsigned a = c->entry ? c->entry->line : 0, b = c->ret ? c->ret->line : 0;

	fputs("  [", f);
	if (a)
		ot_md_line_link_html(f, a);
	if (a && b)
		fputs("-", f);
	if (b)
		ot_md_line_link_html(f, b);
	fputs("]", f);
}

/* The label is built in memory first because it must be HTML-escaped as a whole. */
static void write_label_html(FILE *f, const struct ot_trace *t, const struct ot_call *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m) {
		char real[128];

		fputs(ot_srcinfo_real_name(t, c->func, real, sizeof(real)), f);
		return;
	}
	ot_call_label(m, t, c);
	fclose(m);
	ot_md_html(f, text);
	free(text);
}

size_t *ot_op_numbers(const struct ot_trace *t, const char *anchor)
{
	size_t *ops, n = 0;

	if (!anchor || !t->ncalls || !(ops = calloc(t->ncalls, sizeof(*ops))))
		return NULL;
	for (size_t i = 0; i < t->ncalls; i++)
		if (strcmp(t->calls[i]->func, anchor) == 0)
			ops[i] = ++n;
	return ops;
}

struct tree_ctx {
	const struct ot_trace *t;
	const size_t *ops;
};

static void write_node(FILE *f, const struct tree_ctx *ctx, const struct ot_call *c,
		       const char *stem, bool last)
{
	/* Inlined functions between the parent and C are levels of their own. */
	char *inl_stem = ot_src_tree_levels(f, ctx->t, c, stem, last, NULL);
	size_t sl;
	char *kid_stem;
	size_t op = ctx->ops && c->index < ctx->t->ncalls ? ctx->ops[c->index] : c->op;

	if (inl_stem) {
		stem = inl_stem;
		last = true;
	}
	sl = strlen(stem);
	kid_stem = malloc(sl + sizeof(STEM_MID));
	fprintf(f, "%s%s", stem, last ? BRANCH_LAST : BRANCH_MID);
	if (op)
		fprintf(f, "<b>op#%zu</b> ", op);
	write_label_html(f, ctx->t, c);
	write_line_refs(f, c);
	ot_src_tree_site(f, ctx->t, c, NULL);
	fputc('\n', f);
	if (!kid_stem) {
		free(inl_stem);
		return;
	}
	memcpy(kid_stem, stem, sl);
	strcpy(kid_stem + sl, last ? STEM_LAST : STEM_MID);
	for (size_t i = 0; i < c->nkids; i++)
		write_node(f, ctx, c->kids[i], kid_stem, i + 1 == c->nkids);
	free(kid_stem);
	free(inl_stem);
}

void ot_tree_markdown_one(FILE *f, const struct ot_trace *t, const struct ot_call *root,
			  const size_t *ops)
{
	const struct tree_ctx ctx = {t, ops};

	fprintf(f, "<pre>\n%u/%u ", root->pid, root->tid);
	ot_md_html(f, root->entry && root->entry->comm ? root->entry->comm
		      : root->ret && root->ret->comm   ? root->ret->comm
						       : "?");
	fputc('\n', f);
	write_node(f, &ctx, root, "", true);
	fputs("</pre>\n", f);
}

void ot_tree_markdown(FILE *f, const struct ot_trace *t, const char *anchor)
{
	size_t *ops = ot_op_numbers(t, anchor);
	const struct tree_ctx ctx = {t, ops};

	fputs("<pre>\n", f);
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];

		if (i)
			fputc('\n', f);
		fprintf(f, "%u/%u ", th->pid, th->tid);
		ot_md_html(f, th->comm ? th->comm : "?");
		fputc('\n', f);
		for (size_t j = 0; j < th->nroots; j++)
			write_node(f, &ctx, th->roots[j], "", j + 1 == th->nroots);
	}
	fputs("</pre>\n", f);
	free(ops);
}
