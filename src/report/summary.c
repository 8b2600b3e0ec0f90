// SPDX-License-Identifier: MIT
/* Probe counts and return-signature counts (see summary.h). */
#include "report/summary.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"

/* Functions and their return texts are found by hash: counting is once per record. */
static struct ot_func_summary *find_func(struct ot_summary *s, const char *func)
{
	size_t *i = ot_map_find(&s->func_index, func, strlen(func));

	return i ? &s->funcs[*i] : NULL;
}

static struct ot_func_summary *add_func(struct ot_summary *s, const char *func)
{
	bool added;
	size_t *idx = ot_map_get(&s->func_index, func, strlen(func), &added);
	struct ot_func_summary *fs;

	if (!added)
		return &s->funcs[*idx];
	fs = realloc(s->funcs, (s->nfuncs + 1) * sizeof(*fs));
	if (!fs)
		return NULL;
	s->funcs = fs;
	fs = &s->funcs[s->nfuncs];
	memset(fs, 0, sizeof(*fs));
	fs->func = strdup(func);
	if (!fs->func)
		return NULL;
	*idx = s->nfuncs++;
	return fs;
}

/* The same for a record's or a call's function, whose name is the log's one copy of
 * it: found by its address first. */
static struct ot_func_summary *add_logged_func(struct ot_summary *s, const char *func)
{
	size_t slot = ((uintptr_t)func >> 4) % 8;
	struct ot_func_summary *fs;

	if (s->recent[slot].name == func)
		return &s->funcs[s->recent[slot].idx];
	fs = add_func(s, func);
	if (fs) {
		s->recent[slot].name = func;
		s->recent[slot].idx = (size_t)(fs - s->funcs);
	}
	return fs;
}

static int count_value(struct ot_summary *s, struct ot_func_summary *fs, const char *text,
		       size_t index)
{
	struct ot_ret_count *v;
	/* The whole function name and text: a key cut short made two functions (or two
	 * texts) one, and counted a value into the other's array. */
	size_t fl = strlen(fs->func), tl = strlen(text);
	char stack[256], *key = fl + tl + 1 <= sizeof(stack) ? stack : malloc(fl + tl + 1);
	bool added;

	if (!key)
		return -1;
	memcpy(key, fs->func, fl);
	key[fl] = '\0';
	memcpy(key + fl + 1, text, tl);
	size_t *idx = ot_map_get(&s->value_index, key, fl + tl + 1, &added);
	if (key != stack)
		free(key);
	if (!added) {
		fs->values[*idx].n++;
		if (index < fs->values[*idx].first)
			fs->values[*idx].first = index;
		return 0;
	}
	*idx = fs->nvalues;
	v = realloc(fs->values, (fs->nvalues + 1) * sizeof(*v));
	if (!v)
		return -1;
	fs->values = v;
	v[fs->nvalues].text = strdup(text);
	if (!v[fs->nvalues].text)
		return -1;
	v[fs->nvalues].first = index;
	v[fs->nvalues++].n = 1;
	return 0;
}

void ot_summary_init(struct ot_summary *s)
{
	memset(s, 0, sizeof(*s));
}

int ot_summary_add_record(struct ot_summary *s, const struct ot_record *r)
{
	struct ot_func_summary *fs;

	if (r->kind == OT_REC_FACT || r->kind == OT_REC_LINE || !r->func)
		return 0;
	fs = add_logged_func(s, r->func);
	if (!fs)
		return -1;
	if (r->kind == OT_REC_ENTRY) {
		fs->entries++;
		s->nentries++;
	} else {
		fs->rets++;
		s->nrets++;
	}
	return 0;
}

int ot_summary_add_call(struct ot_summary *s, const struct ot_call *c)
{
	char text[96];
	struct ot_func_summary *fs = add_logged_func(s, c->func);

	if (!fs)
		return -1;
	if (c->in_flight == OT_IN_FLIGHT_AT_ATTACH) {
		s->nin_flight_attach++;
	} else if (c->in_flight) {
		s->nin_flight++;
	} else if (!ot_call_paired(c)) {
		fs->unpaired++;
		s->nunpaired++;
	}
	if (!c->ret)
		return 0;
	ot_call_ret_text(c, text, sizeof(text));
	return count_value(s, fs, text, c->index);
}

/* Calls FN for each name of a comma-separated list; "f:reason" entries give "f". */
static int each_listed(const char *list, int (*fn)(struct ot_summary *, const char *, void *),
		       struct ot_summary *s, void *arg)
{
	char name[128];

	while (list && *list) {
		size_t n = strcspn(list, ",");
		size_t k = strcspn(list, ",:");

		if (k > n)
			k = n;
		while (k && list[k - 1] == ' ')
			k--;
		while (k && *list == ' ') {
			list++;
			k--;
			n--;
		}
		if (k && k < sizeof(name)) {
			memcpy(name, list, k);
			name[k] = '\0';
			if (fn(s, name, arg))
				return -1;
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

static int mark_attached(struct ot_summary *s, const char *name, void *arg)
{
	struct ot_func_summary *fs = add_func(s, name);

	(void)arg;
	if (!fs)
		return -1;
	fs->attached = true;
	return 0;
}

static int note_missing(struct ot_summary *s, const char *name, void *arg)
{
	char **m;

	(void)arg;
	if (find_func(s, name))
		return 0;
	for (size_t i = 0; i < s->nmissing; i++)
		if (strcmp(s->missing[i], name) == 0)
			return 0;
	m = realloc(s->missing, (s->nmissing + 1) * sizeof(*m));
	if (!m)
		return -1;
	s->missing = m;
	m[s->nmissing] = strdup(name);
	return m[s->nmissing++] ? 0 : -1;
}

static int cmp_first(const void *a, const void *b)
{
	const struct ot_ret_count *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int ot_summary_finish(struct ot_summary *s, const struct ot_trace *t, const struct ot_case *kase)
{
	/* Each function's return texts in order of first appearance, however the calls
	 * came (the value index is not used after this). */
	for (size_t i = 0; i < s->nfuncs; i++)
		if (s->funcs[i].nvalues > 1)
			qsort(s->funcs[i].values, s->funcs[i].nvalues, sizeof(*s->funcs[i].values),
			      cmp_first);
	/* An attached probe that never fired is evidence of absence: list it with zeros. */
	if (each_listed(ot_trace_run_fact(t, "probes"), mark_attached, s, NULL))
		goto fail;
	if (kase && each_listed(kase->probes, note_missing, s, NULL))
		goto fail;
	return 0;
fail:
	ot_summary_free(s);
	return -1;
}

int ot_summary_build(const struct ot_trace *t, const struct ot_case *kase, struct ot_summary *s)
{
	ot_summary_init(s);
	for (size_t i = 0; i < t->log->nrecs; i++)
		if (ot_summary_add_record(s, &t->log->recs[i]))
			goto fail;
	for (size_t i = 0; i < t->ncalls; i++)
		if (ot_summary_add_call(s, t->calls[i]))
			goto fail;
	return ot_summary_finish(s, t, kase);
fail:
	ot_summary_free(s);
	return -1;
}

void ot_summary_free(struct ot_summary *s)
{
	for (size_t i = 0; i < s->nfuncs; i++) {
		for (size_t j = 0; j < s->funcs[i].nvalues; j++)
			free(s->funcs[i].values[j].text);
		free(s->funcs[i].values);
		free(s->funcs[i].func);
	}
	free(s->funcs);
	for (size_t i = 0; i < s->nmissing; i++)
		free(s->missing[i]);
	free(s->missing);
	ot_map_free(&s->func_index);
	ot_map_free(&s->value_index);
	memset(s, 0, sizeof(*s));
}

void ot_claim_tally(const struct ot_claim_set *cs, size_t tally[4])
{
	memset(tally, 0, 4 * sizeof(tally[0]));
	for (size_t i = 0; cs && i < cs->n; i++)
		if ((unsigned)cs->r[i].verdict < 4)
			tally[cs->r[i].verdict]++;
}
