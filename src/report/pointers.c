// SPDX-License-Identifier: MIT
/* Pointer chains and address subtractions (see pointers.h). */
#include "report/pointers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"

struct ptr_use {
	uint64_t value;
	size_t rec;   /* index in log->recs: log order */
	size_t field; /* index in the record's fields */
};

/* A string pointer with its text: "name_ptr" and "name" of one record. */
struct str_span {
	uint64_t ptr;
	size_t len;
	size_t rec;
	const struct ot_field *ptr_field;
	const char *text;
};

void ot_record_event(const struct ot_record *r, char *out, size_t outsz)
{
	const char *func = r->func ? r->func : "?";

	switch (r->kind) {
	case OT_REC_ENTRY:
		snprintf(out, outsz, "%s.entry", func);
		break;
	case OT_REC_RET:
		snprintf(out, outsz, "%s.ret", func);
		break;
	case OT_REC_FACT:
		snprintf(out, outsz, "%s", func);
		break;
	}
}

static int cmp_use(const void *a, const void *b)
{
	const struct ptr_use *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->rec != y->rec)
		return x->rec < y->rec ? -1 : 1;
	return x->field < y->field ? -1 : x->field > y->field;
}

static int collect_uses(const struct ot_log *log, struct ptr_use **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		for (size_t j = 0; j < r->nfields; j++) {
			if (!ot_field_is_pointer(r, &r->fields[j]) || ot_field_is_alias(log, r, j))
				continue;
			if (*n == cap) {
				size_t ncap = cap ? 2 * cap : 64;
				struct ptr_use *u = realloc(*out, ncap * sizeof(*u));

				if (!u)
					return -1;
				*out = u;
				cap = ncap;
			}
			(*out)[(*n)++] = (struct ptr_use){ot_field_word(&r->fields[j]), i, j};
		}
	}
	return 0;
}

static size_t distinct_records(const struct ptr_use *u, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		if (i == 0 || u[i].rec != u[i - 1].rec)
			d++;
	return d;
}

static int add_chain(struct ot_pointers *p, const struct ot_log *log, const struct ptr_use *u,
		     size_t n)
{
	struct ot_ptr_chain *c = realloc(p->chains, (p->nchains + 1) * sizeof(*c));

	if (!c)
		return -1;
	p->chains = c;
	c = &p->chains[p->nchains];
	c->value = u[0].value;
	c->nlinks = n;
	c->links = calloc(n, sizeof(*c->links));
	if (!c->links)
		return -1;
	p->nchains++;
	for (size_t i = 0; i < n; i++) {
		const struct ot_record *r = &log->recs[u[i].rec];

		c->links[i] = (struct ot_ptr_link){r, r->fields[u[i].field].key};
	}
	return 0;
}

static int cmp_chain(const void *a, const void *b)
{
	const struct ot_ptr_chain *x = a, *y = b;
	unsigned lx = x->links[0].rec->line, ly = y->links[0].rec->line;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

static int find_chains(const struct ot_log *log, struct ot_pointers *p)
{
	struct ptr_use *u;
	size_t n, start = 0;
	int err = 0;

	if (collect_uses(log, &u, &n)) {
		free(u);
		return -1;
	}
	if (n)
		qsort(u, n, sizeof(*u), cmp_use);
	for (size_t i = 1; i <= n && !err; i++) {
		if (i < n && u[i].value == u[start].value)
			continue;
		if (distinct_records(u + start, i - start) >= 2)
			err = add_chain(p, log, u + start, i - start);
		start = i;
	}
	free(u);
	if (!err && p->nchains)
		qsort(p->chains, p->nchains, sizeof(*p->chains), cmp_chain);
	return err;
}

/* The string field that a "X_ptr" field points at is "X" in the same record. */
static const char *span_text(const struct ot_record *r, const struct ot_field *pf)
{
	size_t kl = strlen(pf->key);
	char key[64];

	if (kl <= 4 || kl - 4 >= sizeof(key) || strcmp(pf->key + kl - 4, "_ptr") != 0)
		return NULL;
	memcpy(key, pf->key, kl - 4);
	key[kl - 4] = '\0';
	const struct ot_field *sf = ot_rec_field(r, key);

	return sf && sf->type == OT_V_STR && sf->s ? sf->s : NULL;
}

static int collect_spans(const struct ot_log *log, struct str_span **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		for (size_t j = 0; j < r->nfields; j++) {
			const struct ot_field *f = &r->fields[j];
			const char *text;
			struct str_span *s;

			if (!ot_field_is_pointer(r, f) || ot_field_is_alias(log, r, j) ||
			    !(text = span_text(r, f)))
				continue;
			s = realloc(*out, (*n + 1) * sizeof(*s));
			if (!s)
				return -1;
			*out = s;
			s[(*n)++] = (struct str_span){ot_field_word(f), strlen(text), i, f, text};
		}
	}
	return 0;
}

static int cmp_span(const void *a, const void *b)
{
	const struct str_span *x = a, *y = b;

	if (x->ptr != y->ptr)
		return x->ptr < y->ptr ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static bool same_offset(const struct ot_ptr_offset *o, const struct ot_record *base,
			const struct str_span *b, const struct ot_record *inner,
			const struct str_span *in, uint64_t diff)
{
	char e1[160], e2[160];

	if (o->diff != diff || strcmp(o->base_field, b->ptr_field->key) != 0 ||
	    strcmp(o->inner_field, in->ptr_field->key) != 0 ||
	    strncmp(o->prefix, b->text, diff) != 0 || o->prefix[diff] != '\0')
		return false;
	ot_record_event(o->base, e1, sizeof(e1));
	ot_record_event(base, e2, sizeof(e2));
	if (strcmp(e1, e2) != 0)
		return false;
	ot_record_event(o->inner, e1, sizeof(e1));
	ot_record_event(inner, e2, sizeof(e2));
	return strcmp(e1, e2) == 0;
}

static int push_line(unsigned **lines, size_t n, unsigned line)
{
	unsigned *l = realloc(*lines, (n + 1) * sizeof(*l));

	if (!l)
		return -1;
	l[n] = line;
	*lines = l;
	return 0;
}

static int add_offset(struct ot_pointers *p, const struct ot_log *log, const struct str_span *b,
		      const struct str_span *in)
{
	const struct ot_record *base = &log->recs[b->rec], *inner = &log->recs[in->rec];
	uint64_t diff = in->ptr - b->ptr;
	struct ot_ptr_offset *o = NULL;

	for (size_t i = 0; i < p->noffsets && !o; i++)
		if (same_offset(&p->offsets[i], base, b, inner, in, diff))
			o = &p->offsets[i];
	if (!o) {
		o = realloc(p->offsets, (p->noffsets + 1) * sizeof(*o));
		if (!o)
			return -1;
		p->offsets = o;
		o = &p->offsets[p->noffsets];
		memset(o, 0, sizeof(*o));
		o->base = base;
		o->inner = inner;
		o->base_field = b->ptr_field->key;
		o->inner_field = in->ptr_field->key;
		o->diff = diff;
		o->prefix = strndup(b->text, diff);
		if (!o->prefix)
			return -1;
		/* The inner name may be a component that the path continues after. */
		o->text_agrees = strncmp(b->text + diff, in->text, in->len) == 0;
		p->noffsets++;
	}
	if (push_line(&o->base_lines, o->n, base->line) ||
	    push_line(&o->inner_lines, o->n, inner->line))
		return -1;
	o->n++;
	return 0;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct ot_ptr_offset *x = a, *y = b;

	if (x->inner->line != y->inner->line)
		return x->inner->line < y->inner->line ? -1 : 1;
	return x->diff < y->diff ? -1 : x->diff > y->diff;
}

/* Occurrences were found in address order; list them in log order. */
static void sort_occurrences(struct ot_ptr_offset *o)
{
	for (size_t i = 1; i < o->n; i++) {
		unsigned in = o->inner_lines[i], base = o->base_lines[i];
		size_t j = i;

		for (; j > 0 && o->inner_lines[j - 1] > in; j--) {
			o->inner_lines[j] = o->inner_lines[j - 1];
			o->base_lines[j] = o->base_lines[j - 1];
		}
		o->inner_lines[j] = in;
		o->base_lines[j] = base;
	}
}

static int find_offsets(const struct ot_log *log, struct ot_pointers *p)
{
	struct str_span *s;
	size_t n;
	int err = 0;

	if (collect_spans(log, &s, &n)) {
		free(s);
		return -1;
	}
	if (n)
		qsort(s, n, sizeof(*s), cmp_span);
	for (size_t i = 0; i < n && !err; i++) {
		for (size_t j = i + 1; j < n && s[j].ptr - s[i].ptr < s[i].len && !err; j++) {
			if (s[j].ptr == s[i].ptr || s[j].rec == s[i].rec)
				continue;
			err = add_offset(p, log, &s[i], &s[j]);
		}
	}
	free(s);
	for (size_t i = 0; i < p->noffsets; i++)
		sort_occurrences(&p->offsets[i]);
	if (!err && p->noffsets)
		qsort(p->offsets, p->noffsets, sizeof(*p->offsets), cmp_offset);
	return err;
}

int ot_pointers_find(const struct ot_log *log, struct ot_pointers *p)
{
	memset(p, 0, sizeof(*p));
	if (find_chains(log, p) || find_offsets(log, p)) {
		ot_pointers_free(p);
		return -1;
	}
	return 0;
}

void ot_pointers_free(struct ot_pointers *p)
{
	for (size_t i = 0; i < p->nchains; i++)
		free(p->chains[i].links);
	free(p->chains);
	for (size_t i = 0; i < p->noffsets; i++) {
		free(p->offsets[i].prefix);
		free(p->offsets[i].base_lines);
		free(p->offsets[i].inner_lines);
	}
	free(p->offsets);
	memset(p, 0, sizeof(*p));
}
