// SPDX-License-Identifier: MIT
#include "trace/lineset.h"

#include <stdlib.h>
#include <string.h>

void ot_line_set_add(struct ot_line_set *s, unsigned line)
{
	size_t w = line / 64;
	uint64_t bit = (uint64_t)1 << (line % 64);

	if (w >= s->nwords) {
		size_t n = 2 * (w + 1);
		uint64_t *b = realloc(s->bits, n * sizeof(*b));

		if (!b)
			abort();
		memset(b + s->nwords, 0, (n - s->nwords) * sizeof(*b));
		s->bits = b;
		s->nwords = n;
	}
	s->n += !(s->bits[w] & bit);
	s->bits[w] |= bit;
}

unsigned *ot_line_set_take(struct ot_line_set *s, size_t *n)
{
	unsigned *v = s->n ? malloc(s->n * sizeof(*v)) : NULL;
	size_t k = 0;

	if (s->n && !v)
		abort();
	for (size_t w = 0; w < s->nwords && k < s->n; w++)
		for (uint64_t b = s->bits[w]; b; b &= b - 1)
			v[k++] = (unsigned)(w * 64 + (size_t)__builtin_ctzll(b));
	*n = k;
	ot_line_set_free(s);
	return v;
}

void ot_line_set_free(struct ot_line_set *s)
{
	free(s->bits);
	memset(s, 0, sizeof(*s));
}
