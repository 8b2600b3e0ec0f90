// SPDX-License-Identifier: MIT
/* Resolving a trace's calls to source lines (see srcinfo.h). */
#include "srcmap/srcinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 32

const char *ot_srcinfo_kernel(const struct ot_trace *t)
{
	return ot_trace_run_fact(t, "kernel");
}

bool ot_srcinfo_has_callers(const struct ot_trace *t)
{
	for (size_t i = 0; i < t->ncalls; i++)
		if (t->calls[i]->entry && ot_rec_field(t->calls[i]->entry, "caller"))
			return true;
	return false;
}

bool ot_srcinfo_role_next(const char **p, const char **role, size_t *rl, const char **name,
			  size_t *nl)
{
	while (*p && **p) {
		const char *s = *p, *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
		const char *eq = memchr(s, '=', (size_t)(end - s));

		*p = comma ? comma + 1 : end;
		if (eq) {
			*role = s;
			*rl = (size_t)(eq - s);
			*name = eq + 1;
			*nl = (size_t)(end - eq - 1);
			return true;
		}
	}
	return false;
}

const char *ot_srcinfo_real_name(const struct ot_trace *t, const char *func, char *buf, size_t size)
{
	const char *p = ot_trace_run_fact(t, "roles"), *role, *name;
	size_t fl = strlen(func), rl, nl;

	snprintf(buf, size, "%s", func);
	while (ot_srcinfo_role_next(&p, &role, &rl, &name, &nl))
		if (rl == fl && !strncmp(role, func, fl)) {
			snprintf(buf, size, "%.*s", (int)nl, name);
			break;
		}
	return buf;
}

static bool parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 16);
	return !*end;
}

static void resolve_call(struct ot_srcinfo *s, const struct ot_trace *t, const struct ot_call *c,
			 uint64_t ktext)
{
	struct ot_call_src *cs = &s->calls[c->index];
	struct ot_src_frame fr[MAX_FRAMES];
	uint64_t caller;
	char real[256];
	size_t n;

	ot_srcindex_definition(&s->ix, ot_srcinfo_real_name(t, c->func, real, sizeof(real)),
			       &cs->def_file, &cs->def_line);
	if (!c->entry || !ot_rec_u64(c->entry, "caller", &caller))
		return;
	s->with_caller++;
	/* caller= is a return address: the call instruction ends one byte before it. */
	uint64_t ra = ot_srcindex_unrandomise(&s->ix, caller, ktext);
	struct ot_src_frame at_ra[MAX_FRAMES];

	n = ot_srcindex_frames(&s->ix, ra - 1, fr, MAX_FRAMES);
	if (!n || !(cs->frames = malloc(n * sizeof(*fr))))
		return;
	memcpy(cs->frames, fr, n * sizeof(*fr));
	cs->nframes = n;
	s->resolved++;
	if (ot_srcindex_frames(&s->ix, ra, at_ra, MAX_FRAMES) == n && at_ra[0].func == fr[0].func) {
		cs->resume_file = at_ra[0].file;
		cs->resume_line = at_ra[0].line;
	}
}

enum ot_srcinfo_status ot_srcinfo_build(const struct ot_trace *t, const char *index_path,
					struct ot_srcinfo **out, const char **why)
{
	const char *kernel = ot_srcinfo_kernel(t);
	uint64_t ktext;
	struct ot_srcinfo *s;

	*out = NULL;
	if (!ot_srcinfo_has_callers(t)) {
		*why = "the log's calls carry no caller= return addresses";
		return OT_SRC_NO_CALLERS;
	}
	if (!kernel || !parse_hex(ot_trace_run_fact(t, "ktext"), &ktext)) {
		*why = "the log's run.fact has no kernel= and ktext= (needed to undo KASLR)";
		return OT_SRC_NO_KERNEL;
	}
	if (!(s = calloc(1, sizeof(*s))) ||
	    !(s->calls = calloc(t->ncalls + 1, sizeof(*s->calls)))) {
		free(s);
		*why = "out of memory";
		return OT_SRC_NO_INDEX;
	}
	if (ot_srcindex_load(index_path, &s->ix, why)) {
		free(s->calls);
		free(s);
		return OT_SRC_NO_INDEX;
	}
	if (strcmp(s->ix.kernel, kernel) != 0) {
		*why = "the index describes another kernel";
		ot_srcindex_free(&s->ix);
		free(s->calls);
		free(s);
		return OT_SRC_NO_INDEX;
	}
	s->kernel = s->ix.kernel;
	s->ncalls = t->ncalls;
	for (size_t i = 0; i < t->ncalls; i++)
		resolve_call(s, t, t->calls[i], ktext);
	*out = s;
	return OT_SRC_OK;
}

void ot_srcinfo_free(struct ot_srcinfo *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncalls; i++)
		free(s->calls[i].frames);
	free(s->calls);
	ot_srcindex_free(&s->ix);
	free(s);
}

const struct ot_call_src *ot_call_src_of(const struct ot_trace *t, const struct ot_call *c)
{
	const struct ot_srcinfo *s = t->src;

	if (!s || c->index >= s->ncalls)
		return NULL;
	return &s->calls[c->index];
}

bool ot_call_called_from(const struct ot_trace *t, const struct ot_call *c, const char *name)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);
	char real[256], preal[256];

	ot_srcinfo_real_name(t, name, real, sizeof(real));
	if (cs && cs->nframes) {
		for (size_t i = 0; i < cs->nframes; i++)
			if (!strcmp(cs->frames[i].func, real) || !strcmp(cs->frames[i].func, name))
				return true;
		return false;
	}
	/* No call site: only a traced parent of that name says so. */
	if (!c->parent)
		return false;
	return !strcmp(c->parent->func, name) ||
	       !strcmp(ot_srcinfo_real_name(t, c->parent->func, preal, sizeof(preal)), real);
}
