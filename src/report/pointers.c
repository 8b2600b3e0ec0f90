// SPDX-License-Identifier: MIT
/* Pointer chains and address subtractions (see pointers.h). The finder is fed the
 * records in log order and keeps, per address, the uses seen (a use names its event,
 * not its record), and per string pointer its text: a log read whole and a log
 * streamed operation by operation give the same evidence. */
#include "report/pointers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "util/arena.h"
#include "util/hashmap.h"

/* The uses of one address. The first is kept inline: most addresses are used once. */
struct ptr_group {
	uint64_t value;
	size_t nrecs;	 /* distinct records among the uses */
	size_t last_rec; /* the last of them (records are numbered in log order) */
	struct ot_ptr_link first;
	struct ot_ptr_link *links; /* all the uses once there are two */
	size_t nlinks, cap;
};

/* A string pointer with its text: "name_ptr" and "name" of one record. */
struct str_span {
	uint64_t ptr;
	size_t len;
	size_t rec; /* record number: log order */
	uint32_t tid;
	struct ot_ptr_event ev;
	const char *ptr_key;
	const char *text; /* a copy, in the finder's arena */
};

struct ot_ptr_finder {
	struct ot_map index; /* address -> group */
	struct ptr_group *groups;
	size_t ngroups, gcap;
	struct str_span *spans;
	size_t nspans, scap;
	size_t nrecs;
	struct ot_arena *text; /* the spans' texts */
};

/* Appends S to OUT (OUTSZ bytes, AT used), cut as snprintf would cut it; the new length. */
static size_t append_cut(char *out, size_t outsz, size_t at, const char *s)
{
	size_t len = strlen(s);

	if (len > outsz - 1 - at)
		len = outsz - 1 - at;
	memcpy(out + at, s, len);
	out[at + len] = '\0';
	return at + len;
}

/* Named for every address of every pointer chain: built without snprintf's cost. */
void ot_ptr_event_name(const struct ot_ptr_event *e, char *out, size_t outsz)
{
	const char *suffix = e->kind == OT_REC_ENTRY  ? ".entry"
			     : e->kind == OT_REC_RET  ? ".ret"
			     : e->kind == OT_REC_LINE ? ".line"
						      : "";

	if (!outsz)
		return;
	append_cut(out, outsz, append_cut(out, outsz, 0, e->func ? e->func : "?"), suffix);
}

struct ot_ptr_finder *ot_ptr_finder_new(void)
{
	struct ot_ptr_finder *pf = calloc(1, sizeof(*pf));

	if (pf)
		pf->text = ot_arena_new();
	return pf;
}

static int add_use(struct ot_ptr_finder *pf, uint64_t v, const struct ot_ptr_link *l)
{
	bool added;
	size_t *at = ot_map_get(&pf->index, &v, sizeof(v), &added);
	struct ptr_group *g;

	if (added) {
		if (pf->ngroups == pf->gcap) {
			size_t ncap = pf->gcap ? 2 * pf->gcap : 64;
			struct ptr_group *ng = realloc(pf->groups, ncap * sizeof(*ng));

			if (!ng)
				return -1;
			pf->groups = ng;
			pf->gcap = ncap;
		}
		*at = pf->ngroups++;
		pf->groups[*at] = (struct ptr_group){v, 1, pf->nrecs, *l, NULL, 1, 0};
		return 0;
	}
	g = &pf->groups[*at];
	if (g->last_rec != pf->nrecs) {
		g->nrecs++;
		g->last_rec = pf->nrecs;
	}
	if (!g->links || g->nlinks == g->cap) {
		size_t ncap = g->cap ? 2 * g->cap : 4;
		struct ot_ptr_link *nl = realloc(g->links, ncap * sizeof(*nl));

		if (!nl)
			return -1;
		if (!g->links)
			nl[0] = g->first;
		g->links = nl;
		g->cap = ncap;
	}
	g->links[g->nlinks++] = *l;
	return 0;
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

int ot_ptr_finder_add(struct ot_ptr_finder *pf, const struct ot_record *r)
{
	const struct ot_ptr_event ev = {r->line, r->kind, r->func};

	for (size_t j = 0; j < r->nfields; j++) {
		const struct ot_field *f = &r->fields[j];
		const char *text;

		if (!ot_field_is_pointer(r, f) || f->alias)
			continue;
		const struct ot_ptr_link l = {ev, f->key};
		if (add_use(pf, ot_field_word(f), &l))
			return -1;
		if (!(text = span_text(r, f)))
			continue;
		if (pf->nspans == pf->scap) {
			size_t ncap = pf->scap ? 2 * pf->scap : 64;
			struct str_span *s = realloc(pf->spans, ncap * sizeof(*s));

			if (!s)
				return -1;
			pf->spans = s;
			pf->scap = ncap;
		}
		pf->spans[pf->nspans++] = (struct str_span){ot_field_word(f),
							    strlen(text),
							    pf->nrecs,
							    r->tid,
							    ev,
							    f->key,
							    ot_arena_strdup(pf->text, text)};
	}
	pf->nrecs++;
	return 0;
}

static int cmp_chain(const void *a, const void *b)
{
	const struct ot_ptr_chain *x = a, *y = b;
	unsigned lx = x->links[0].ev.line, ly = y->links[0].ev.line;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Addresses used by at least two records; the uses came in log order, each chain's. */
static int make_chains(struct ot_ptr_finder *pf, struct ot_pointers *p)
{
	size_t n = 0;

	for (size_t k = 0; k < pf->ngroups; k++)
		n += pf->groups[k].nrecs >= 2;
	if (!n)
		return 0;
	p->chains = calloc(n, sizeof(*p->chains));
	if (!p->chains)
		return -1;
	for (size_t k = 0; k < pf->ngroups; k++) {
		struct ptr_group *g = &pf->groups[k];
		struct ot_ptr_chain *c;

		if (g->nrecs < 2)
			continue;
		c = &p->chains[p->nchains++];
		c->value = g->value;
		c->links = g->links; /* two records: at least two uses, so an array */
		c->nlinks = g->nlinks;
		g->links = NULL;
	}
	qsort(p->chains, p->nchains, sizeof(*p->chains), cmp_chain);
	return 0;
}

/* Address order; within one address, by thread, then log order. */
static int cmp_span(const void *a, const void *b)
{
	const struct str_span *x = *(const struct str_span *const *)a;
	const struct str_span *y = *(const struct str_span *const *)b;

	if (x->ptr != y->ptr)
		return x->ptr < y->ptr ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
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
	struct ot_pointers *p;
	struct ot_map groups; /* (events, fields, diff, prefix) -> index in p->offsets */
	char *key;
	size_t keycap;
};

/* S and then SEP at OUT + AT; the new length. */
static size_t append_key(char *out, size_t at, const char *s, char sep)
{
	size_t len = strlen(s);

	memcpy(out + at, s, len);
	out[at + len] = sep;
	return at + len + 1;
}

/* V in decimal at OUT + AT; the new length. */
static size_t append_decimal(char *out, size_t at, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		out[at++] = d[--n];
	return at;
}

/* One group per pair of event fields, difference and prefix: a hash key of all four. */
static size_t *group_of(struct offset_finder *of, const struct str_span *b,
			const struct str_span *in, uint64_t diff, bool *added)
{
	char be[160], ie[160];
	size_t need, n;

	ot_ptr_event_name(&b->ev, be, sizeof(be));
	ot_ptr_event_name(&in->ev, ie, sizeof(ie));
	need =
	    strlen(be) + strlen(ie) + strlen(b->ptr_key) + strlen(in->ptr_key) + (size_t)diff + 48;
	if (need > of->keycap) {
		char *k = realloc(of->key, need);

		if (!k)
			return NULL;
		of->key = k;
		of->keycap = need;
	}
	/* "BE:BKEY|IE:IKEY|DIFF|" and the prefix, without snprintf's cost (once per span) */
	n = 0;
	n = append_key(of->key, n, be, ':');
	n = append_key(of->key, n, b->ptr_key, '|');
	n = append_key(of->key, n, ie, ':');
	n = append_key(of->key, n, in->ptr_key, '|');
	n = append_decimal(of->key, n, diff);
	of->key[n++] = '|';
	memcpy(of->key + n, b->text, (size_t)diff);
	return ot_map_get(&of->groups, of->key, n + (size_t)diff, added);
}

static int add_offset(struct offset_finder *of, const struct str_span *b, const struct str_span *in)
{
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
		o->base = b->ev;
		o->inner = in->ev;
		o->base_field = b->ptr_key;
		o->inner_field = in->ptr_key;
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
	if (push_line(&o->base_lines, o->n, b->ev.line) ||
	    push_line(&o->inner_lines, o->n, in->ev.line))
		return -1;
	o->n++;
	return 0;
}

/* The span at BY[lo..hi) (one address) that held the bytes INNER points into when
 * INNER was recorded: the same thread's latest one before it, else its first one
 * after it; one whose text reaches past the offset. A buffer the kernel reuses for
 * every open (getname's page) is thus paired within each operation, never across. */
#define NEAREST_SCAN 64

static const struct str_span *nearest_base(struct str_span **by, size_t lo, size_t hi,
					   const struct str_span *in)
{
	uint32_t tid = in->tid;
	size_t a = lo, b = hi, pos;

	while (a < b) { /* first span of this thread at or after the inner record */
		size_t mid = a + (b - a) / 2;
		uint32_t mt = by[mid]->tid;

		if (mt < tid || (mt == tid && by[mid]->rec < in->rec))
			a = mid + 1;
		else
			b = mid;
	}
	pos = a;
	for (size_t k = pos, steps = 0; k > lo && steps < NEAREST_SCAN; k--, steps++) {
		const struct str_span *s = by[k - 1];

		if (s->tid != tid)
			break;
		if (s->rec != in->rec && in->ptr - s->ptr < s->len)
			return s;
	}
	for (size_t k = pos, steps = 0; k < hi && steps < NEAREST_SCAN; k++, steps++) {
		const struct str_span *s = by[k];

		if (s->tid != tid)
			break;
		if (s->rec != in->rec && in->ptr - s->ptr < s->len)
			return s;
	}
	return NULL;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct ot_ptr_offset *x = a, *y = b;

	if (x->inner.line != y->inner.line)
		return x->inner.line < y->inner.line ? -1 : 1;
	return x->diff < y->diff ? -1 : x->diff > y->diff;
}

/* For each string pointer (in log order), each distinct lower address whose string
 * covers it gives one occurrence: work per record and per distinct address. */
static int find_offsets(struct ot_ptr_finder *pf, struct ot_pointers *p)
{
	struct offset_finder of = {p, {0}, NULL, 0};
	struct str_span *s = pf->spans, **by = NULL;
	size_t n = pf->nspans, *addr_start = NULL, naddr = 0, maxlen = 0;
	int err = 0;

	if (!n)
		return 0;
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
			base = nearest_base(by, addr_start[g - 1], addr_start[g], in);
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
	return err;
}

static void finder_free(struct ot_ptr_finder *pf)
{
	for (size_t k = 0; k < pf->ngroups; k++)
		free(pf->groups[k].links);
	free(pf->groups);
	free(pf->spans);
	ot_map_free(&pf->index);
	ot_arena_free(pf->text);
	free(pf);
}

int ot_ptr_finder_finish(struct ot_ptr_finder *pf, struct ot_pointers *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (!pf)
		return -1;
	/* The spans' texts stay in the finder's arena: the offsets copy what they keep. */
	err = make_chains(pf, p) || find_offsets(pf, p) ? -1 : 0;
	finder_free(pf);
	if (err)
		ot_pointers_free(p);
	return err;
}

int ot_pointers_find(const struct ot_log *log, struct ot_pointers *p)
{
	struct ot_ptr_finder *pf = ot_ptr_finder_new();

	for (size_t i = 0; pf && i < log->nrecs; i++)
		if (ot_ptr_finder_add(pf, &log->recs[i])) {
			finder_free(pf);
			pf = NULL;
		}
	return ot_ptr_finder_finish(pf, p);
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
