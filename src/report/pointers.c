// SPDX-License-Identifier: MIT
/* Pointer chains and address subtractions (see pointers.h). */
#include "report/pointers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/hashmap.h"
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
	struct ot_ptr_chain *c;

	if (p->nchains == 0 || (p->nchains & (p->nchains - 1)) == 0) {
		c = realloc(p->chains, (p->nchains ? 2 * p->nchains : 1) * sizeof(*c));
		if (!c)
			return -1;
		p->chains = c;
	}
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

/* Spans in log order. */
static int collect_spans(const struct ot_log *log, struct str_span **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		for (size_t j = 0; j < r->nfields; j++) {
			const struct ot_field *f = &r->fields[j];
			const char *text;

			if (!ot_field_is_pointer(r, f) || !(text = span_text(r, f)) ||
			    ot_field_is_alias(log, r, j))
				continue;
			if (*n == cap) {
				size_t ncap = cap ? 2 * cap : 64;
				struct str_span *s = realloc(*out, ncap * sizeof(*s));

				if (!s)
					return -1;
				*out = s;
				cap = ncap;
			}
			(*out)[(*n)++] =
			    (struct str_span){ot_field_word(f), strlen(text), i, f, text};
		}
	}
	return 0;
}

/* Address order; within one address, by thread, then log order. */
static const struct ot_log *span_log;

static int cmp_span(const void *a, const void *b)
{
	const struct str_span *x = *(const struct str_span *const *)a;
	const struct str_span *y = *(const struct str_span *const *)b;
	uint32_t tx = span_log->recs[x->rec].tid, ty = span_log->recs[y->rec].tid;

	if (x->ptr != y->ptr)
		return x->ptr < y->ptr ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int push_line(unsigned **lines, size_t n, unsigned line)
{
	if (n == 0 || (n & (n - 1)) == 0) {
		unsigned *l = realloc(*lines, (n ? 2 * n : 1) * sizeof(*l));

		if (!l)
			return -1;
		*lines = l;
	}
	(*lines)[n] = line;
	return 0;
}

struct offset_finder {
	const struct ot_log *log;
	struct ot_pointers *p;
	struct ot_map groups; /* (events, fields, diff, prefix) -> index in p->offsets */
	char *key;
	size_t keycap;
};

/* One group per pair of event fields, difference and prefix: a hash key of all four. */
static size_t *group_of(struct offset_finder *of, const struct str_span *b,
			const struct str_span *in, uint64_t diff, bool *added)
{
	char be[160], ie[160];
	size_t need;
	int n;

	ot_record_event(&of->log->recs[b->rec], be, sizeof(be));
	ot_record_event(&of->log->recs[in->rec], ie, sizeof(ie));
	need = strlen(be) + strlen(ie) + strlen(b->ptr_field->key) + strlen(in->ptr_field->key) +
	       (size_t)diff + 48;
	if (need > of->keycap) {
		char *k = realloc(of->key, need);

		if (!k)
			return NULL;
		of->key = k;
		of->keycap = need;
	}
	n = snprintf(of->key, of->keycap, "%s:%s|%s:%s|%" PRIu64 "|", be, b->ptr_field->key, ie,
		     in->ptr_field->key, diff);
	memcpy(of->key + n, b->text, (size_t)diff);
	return ot_map_get(&of->groups, of->key, (size_t)n + (size_t)diff, added);
}

static int add_offset(struct offset_finder *of, const struct str_span *b, const struct str_span *in)
{
	const struct ot_record *base = &of->log->recs[b->rec], *inner = &of->log->recs[in->rec];
	uint64_t diff = in->ptr - b->ptr;
	bool agrees = strncmp(b->text + diff, in->text, in->len) == 0;
	struct ot_pointers *p = of->p;
	struct ot_ptr_offset *o;
	bool added;
	size_t *idx = group_of(of, b, in, diff, &added);

	if (!idx)
		return -1;
	if (added) {
		if (p->noffsets == 0 || (p->noffsets & (p->noffsets - 1)) == 0) {
			o = realloc(p->offsets, (p->noffsets ? 2 * p->noffsets : 1) * sizeof(*o));
			if (!o)
				return -1;
			p->offsets = o;
		}
		*idx = p->noffsets;
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
		o->text_agrees = true;
		p->noffsets++;
	}
	o = &p->offsets[*idx];
	o->text_agrees &= agrees;
	if (push_line(&o->base_lines, o->n, base->line) ||
	    push_line(&o->inner_lines, o->n, inner->line))
		return -1;
	o->n++;
	return 0;
}

/* The span at BY[lo..hi) (one address) that held the bytes INNER points into when
 * INNER was recorded: the same thread's latest one before it, else its first one
 * after it; one whose text reaches past the offset. A buffer the kernel reuses for
 * every open (getname's page) is thus paired within each operation, never across. */
#define NEAREST_SCAN 64

static const struct str_span *nearest_base(const struct ot_log *log, struct str_span **by,
					   size_t lo, size_t hi, const struct str_span *in)
{
	uint32_t tid = log->recs[in->rec].tid;
	size_t a = lo, b = hi, pos;

	while (a < b) { /* first span of this thread at or after the inner record */
		size_t mid = a + (b - a) / 2;
		uint32_t mt = log->recs[by[mid]->rec].tid;

		if (mt < tid || (mt == tid && by[mid]->rec < in->rec))
			a = mid + 1;
		else
			b = mid;
	}
	pos = a;
	for (size_t k = pos, steps = 0; k > lo && steps < NEAREST_SCAN; k--, steps++) {
		const struct str_span *s = by[k - 1];

		if (log->recs[s->rec].tid != tid)
			break;
		if (s->rec != in->rec && in->ptr - s->ptr < s->len)
			return s;
	}
	for (size_t k = pos, steps = 0; k < hi && steps < NEAREST_SCAN; k++, steps++) {
		const struct str_span *s = by[k];

		if (log->recs[s->rec].tid != tid)
			break;
		if (s->rec != in->rec && in->ptr - s->ptr < s->len)
			return s;
	}
	return NULL;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct ot_ptr_offset *x = a, *y = b;

	if (x->inner->line != y->inner->line)
		return x->inner->line < y->inner->line ? -1 : 1;
	return x->diff < y->diff ? -1 : x->diff > y->diff;
}

/* For each string pointer (in log order), each distinct lower address whose string
 * covers it gives one occurrence: work per record and per distinct address. */
static int find_offsets(const struct ot_log *log, struct ot_pointers *p)
{
	struct offset_finder of = {log, p, {0}, NULL, 0};
	struct str_span *s, **by = NULL;
	size_t n, *addr_start = NULL, naddr = 0, maxlen = 0;
	int err = 0;

	if (collect_spans(log, &s, &n)) {
		free(s);
		return -1;
	}
	if (!n) {
		free(s);
		return 0;
	}
	by = malloc(n * sizeof(*by));
	addr_start = malloc((n + 1) * sizeof(*addr_start));
	if (!by || !addr_start) {
		err = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		by[i] = &s[i];
		if (s[i].len > maxlen)
			maxlen = s[i].len;
	}
	span_log = log;
	qsort(by, n, sizeof(*by), cmp_span);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || by[i]->ptr != by[i - 1]->ptr)
			addr_start[naddr++] = i;
	addr_start[naddr] = n;
	for (size_t i = 0; i < n && !err; i++) {
		const struct str_span *in = &s[i];
		size_t a = 0, b = naddr;

		while (a < b) { /* first address >= the inner pointer */
			size_t mid = a + (b - a) / 2;

			if (by[addr_start[mid]]->ptr < in->ptr)
				a = mid + 1;
			else
				b = mid;
		}
		for (size_t g = a; g > 0 && !err; g--) {
			uint64_t base_ptr = by[addr_start[g - 1]]->ptr;
			const struct str_span *base;

			if (in->ptr - base_ptr >= maxlen)
				break;
			base = nearest_base(log, by, addr_start[g - 1], addr_start[g], in);
			if (base)
				err = add_offset(&of, base, in);
		}
	}
	if (!err && p->noffsets)
		qsort(p->offsets, p->noffsets, sizeof(*p->offsets), cmp_offset);
out:
	ot_map_free(&of.groups);
	free(of.key);
	free(addr_start);
	free(by);
	free(s);
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
