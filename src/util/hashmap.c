// SPDX-License-Identifier: MIT
/* Open addressing with linear probing, grown at 1/2 full (see hashmap.h). */
#include "util/hashmap.h"

#include <stdlib.h>
#include <string.h>

/* Eight bytes at a time, each word mixed in by a multiply and a shift (the keys are
 * names, texts and addresses: hashed once per record, so the hash is most of a
 * lookup). */
uint64_t ot_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL), w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	w = 0;
	for (size_t i = 0; i < n; i++) /* the tail: a call to memcpy would cost more */
		w |= (uint64_t)s[i] << (8 * i);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

static struct ot_map_slot *probe(struct ot_map_slot *slots, size_t cap, uint64_t h, const void *key,
				 size_t klen)
{
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct ot_map_slot *s = &slots[i];

		if (!s->key || (s->hash == h && s->klen == klen && !memcmp(s->key, key, klen)))
			return s;
	}
}

static void grow(struct ot_map *m)
{
	size_t ncap = m->cap ? 2 * m->cap : 16;
	struct ot_map_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		abort();
	for (size_t i = 0; i < m->cap; i++) {
		struct ot_map_slot *s = &m->slots[i];

		if (s->key)
			*probe(ns, ncap, s->hash, s->key, s->klen) = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

size_t *ot_map_get(struct ot_map *m, const void *key, size_t klen, bool *inserted)
{
	uint64_t h = ot_hash_bytes(key, klen);
	struct ot_map_slot *s;

	if (inserted)
		*inserted = false;
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	s = probe(m->slots, m->cap, h, key, klen);
	if (s->key)
		return &s->val;
	s->key = malloc(klen ? klen : 1);
	if (!s->key)
		abort();
	memcpy(s->key, key, klen);
	s->hash = h;
	s->klen = klen;
	s->val = 0;
	m->n++;
	if (inserted)
		*inserted = true;
	return &s->val;
}

size_t *ot_map_find(const struct ot_map *m, const void *key, size_t klen)
{
	struct ot_map_slot *s;

	if (!m->cap)
		return NULL;
	s = probe(m->slots, m->cap, ot_hash_bytes(key, klen), key, klen);
	return s->key ? &s->val : NULL;
}

void ot_map_free(struct ot_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
