// SPDX-License-Identifier: MIT
/* Blocks of 1 MiB (larger requests get a block of their own). */
#include "util/arena.h"

#include <stdint.h>

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"

#define BLOCK_SIZE (1u << 20)

struct block {
	struct block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

#define RECENT 256 /* interned texts remembered by a cheap hash, before the map */

struct ot_arena {
	struct block *head;
	struct ot_map interned; /* text -> its one copy in the arena */
	struct {
		const char *s;
		size_t n;
	} recent[RECENT];
};

struct ot_arena *ot_arena_new(void)
{
	struct ot_arena *a = calloc(1, sizeof(*a));

	if (!a)
		abort();
	return a;
}

/* Strings need no alignment: packing them saves 8 bytes per string on average. */
static void *bump(struct ot_arena *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;

	if (!b || at > b->size || b->size - at < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = malloc(sizeof(*b) + size);
		if (!b)
			abort();
		b->used = 0;
		b->size = size;
		at = 0;
		if (n > BLOCK_SIZE && a->head) { /* keep filling the current block */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used = at + n;
	return b->data + at;
}

void *ot_arena_alloc(struct ot_arena *a, size_t n)
{
	return bump(a, n, alignof(max_align_t));
}

char *ot_arena_strdup(struct ot_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = bump(a, n, 1);
	memcpy(p, s, n);
	return p;
}

char *ot_arena_strndup(struct ot_arena *a, const char *s, size_t n)
{
	char *p = bump(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *ot_arena_intern_n(struct ot_arena *a, const char *s, size_t n)
{
	/* The same few names come on every line: most are found by their length and
	 * first and last bytes without hashing the whole text. */
	unsigned slot = n ? (unsigned)(n * 31 + (unsigned char)s[0] * 7 + (unsigned char)s[n - 1] +
				       (unsigned char)s[n / 2] * 131) %
				RECENT
			  : 0;
	bool added;
	size_t *at;

	if (a->recent[slot].s && a->recent[slot].n == n && !memcmp(a->recent[slot].s, s, n))
		return a->recent[slot].s;
	at = ot_map_get(&a->interned, s, n, &added);
	if (added)
		*at = (size_t)(uintptr_t)ot_arena_strndup(a, s, n);
	a->recent[slot].s = (const char *)(uintptr_t)*at;
	a->recent[slot].n = n;
	return a->recent[slot].s;
}

void ot_arena_reset(struct ot_arena *a)
{
	struct block *keep = a->head;

	if (!keep)
		return;
	for (struct block *b = keep->next, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	keep->next = NULL;
	keep->used = 0;
}

void ot_arena_free(struct ot_arena *a)
{
	if (!a)
		return;
	ot_map_free(&a->interned);
	for (struct block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}
