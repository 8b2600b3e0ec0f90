// SPDX-License-Identifier: MIT
/* Copying a handed-over operation (opcopy.h): its size is counted first, then it is
 * laid out in one block, calls, records and texts alike. */
#include "trace/opcopy.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct block {
	char *p;
	size_t used;
};

static size_t aligned(size_t n)
{
	const size_t a = alignof(max_align_t);

	return (n + a - 1) & ~(a - 1);
}

/* N bytes of B (B->p NULL: only counted). */
static void *take(struct block *b, size_t n)
{
	void *at = b->p ? b->p + b->used : NULL;

	b->used += aligned(n);
	return at;
}

static char *take_str(struct block *b, const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = take(b, n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static const struct ot_record *copy_record(struct block *b, const struct ot_record *r)
{
	struct ot_record *c = take(b, sizeof(*c));
	struct ot_field *f = take(b, (r->nfields ? r->nfields : 1) * sizeof(*f));

	for (size_t i = 0; i < r->nfields; i++) {
		char *raw = take_str(b, r->fields[i].raw), *s = take_str(b, r->fields[i].s);

		if (f) {
			f[i] = r->fields[i];
			f[i].raw = raw;
			f[i].s = s;
		}
	}
	if (!c)
		return NULL;
	*c = *r;
	c->fields = f;
	c->pooled = true;
	return c;
}

/* The operation into B: counted when B->p is NULL, else copied into CALLS. */
static void lay_out(struct block *b, const struct ot_trace *t, const struct ot_call *root,
		    struct ot_call **calls)
{
	size_t n = root->last - root->pre + 1;

	for (size_t i = 0; i < n; i++) {
		const struct ot_call *o = t->preorder[root->pre + i];
		struct ot_call *c = take(b, sizeof(*c));
		struct ot_call **kids = take(b, (o->nkids ? o->nkids : 1) * sizeof(*kids));
		const struct ot_record **hits = take(b, (o->nhits ? o->nhits : 1) * sizeof(*hits));
		const struct ot_record *entry = o->entry ? copy_record(b, o->entry) : NULL;
		const struct ot_record *ret = o->ret ? copy_record(b, o->ret) : NULL;

		for (size_t h = 0; h < o->nhits; h++) {
			const struct ot_record *hr = copy_record(b, o->hits[h]);

			if (hits)
				hits[h] = hr;
		}
		if (!c)
			continue;
		*c = *o;
		c->entry = entry;
		c->ret = ret;
		c->hits = hits;
		c->kids = kids;
		c->pre = i;
		c->last = o->last - root->pre;
		calls[i] = c;
	}
	for (size_t i = 0; calls && i < n; i++) {
		const struct ot_call *o = t->preorder[root->pre + i];

		calls[i]->parent = i ? calls[o->parent->pre - root->pre] : NULL;
		for (size_t k = 0; k < o->nkids; k++)
			calls[i]->kids[k] = calls[o->kids[k]->pre - root->pre];
	}
}

struct ot_op_copy *ot_op_copy(const struct ot_trace *t, const struct ot_call *root)
{
	size_t n = root->last - root->pre + 1;
	struct block b = {NULL, 0};
	struct ot_op_copy *c;

	take(&b, sizeof(*c));
	take(&b, n * sizeof(*c->calls));
	lay_out(&b, t, root, NULL);
	b.p = malloc(b.used);
	if (!b.p)
		abort();
	b.used = 0;
	c = take(&b, sizeof(*c));
	c->calls = take(&b, n * sizeof(*c->calls));
	c->n = n;
	lay_out(&b, t, root, c->calls);
	return c;
}

void ot_op_copy_free(struct ot_op_copy *c)
{
	free(c);
}
