// SPDX-License-Identifier: MIT
/* Pointer chains and address subtractions (see pointers.h). */
#include "report/pointers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/hashmap.h"
#include "report/fields.h"

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

/* One use of an address: its group (one per distinct address) and where it is. */
struct ptr_use {
	uint32_t group;
	uint32_t field; /* index in the record's fields */
	size_t rec;	/* index in log->recs: log order */
};

struct ptr_group {
	uint64_t value;
	size_t nuses, nrecs; /* uses, and distinct records among them */
	size_t last_rec;
	struct ot_ptr_chain *chain; /* once the chains are made: its chain, or NULL */
};

static int cmp_chain(const void *a, const void *b)
{
	const struct ot_ptr_chain *x = a, *y = b;
	unsigned lx = x->links[0].rec->line, ly = y->links[0].rec->line;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Every use of every address in one pass, grouped by address with a hash (uses are
 * met in log order, which is each chain's order): no sort of all the uses. */
static int find_chains(const struct ot_log *log, struct ot_pointers *p)
{
	struct ot_map index = {0};
	struct ptr_use *u = NULL;
	struct ptr_group *g = NULL;
	size_t n = 0, cap = 0, ng = 0, gcap = 0, nchains = 0;
	int err = -1;

	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		for (size_t j = 0; j < r->nfields; j++) {
			uint64_t v;
			bool added;
			size_t *at;

			if (!ot_field_is_pointer(r, &r->fields[j]) || ot_field_is_alias(log, r, j))
				continue;
			v = ot_field_word(&r->fields[j]);
			at = ot_map_get(&index, &v, sizeof(v), &added);
			if (added) {
				if (ng == gcap) {
					struct ptr_group *ngp;

					gcap = gcap ? 2 * gcap : 64;
					ngp = realloc(g, gcap * sizeof(*g));
					if (!ngp)
						goto out;
					g = ngp;
				}
				g[ng] = (struct ptr_group){v, 0, 0, (size_t)-1, NULL};
				*at = ng++;
			}
			if (n == cap) {
				struct ptr_use *nu;

				cap = cap ? 2 * cap : 64;
				nu = realloc(u, cap * sizeof(*u));
				if (!nu)
					goto out;
				u = nu;
			}
			u[n++] = (struct ptr_use){(uint32_t)*at, (uint32_t)j, i};
			g[*at].nuses++;
			if (g[*at].last_rec != i) {
				g[*at].nrecs++;
				g[*at].last_rec = i;
			}
		}
	}
	for (size_t k = 0; k < ng; k++)
		nchains += g[k].nrecs >= 2;
	if (nchains) {
		p->chains = calloc(nchains, sizeof(*p->chains));
		if (!p->chains)
			goto out;
	}
	for (size_t k = 0; k < ng; k++) {
		struct ot_ptr_chain *c;

		if (g[k].nrecs < 2)
			continue;
		c = &p->chains[p->nchains++];
		c->value = g[k].value;
		c->links = calloc(g[k].nuses, sizeof(*c->links));
		if (!c->links)
			goto out;
		g[k].chain = c;
	}
	for (size_t i = 0; i < n; i++) {
		struct ot_ptr_chain *c = g[u[i].group].chain;
		const struct ot_record *r = &log->recs[u[i].rec];

		if (c)
			c->links[c->nlinks++] = (struct ot_ptr_link){r, r->fields[u[i].field].key};
	}
	if (p->nchains)
		qsort(p->chains, p->nchains, sizeof(*p->chains), cmp_chain);
	err = 0;
out:
	ot_map_free(&index);
	free(u);
	free(g);
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
