/* SPDX-License-Identifier: MIT */
/* A hash map from byte strings to a size_t, for the lookups that happen once per
 * record (threads, functions, return texts, pointer groups): linear analysis needs
 * them to cost O(1), not a scan of everything seen so far. Keys are copied. */
#ifndef OT_HASHMAP_H
#define OT_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ot_map_slot {
	uint64_t hash;
	char *key; /* NULL: empty slot */
	size_t klen;
	size_t val;
};

struct ot_map {
	struct ot_map_slot *slots;
	size_t cap, n; /* cap: a power of two, or 0 before the first insert */
};

uint64_t ot_hash_bytes(const void *p, size_t n);
/* The value of KEY, inserted as 0 (and *inserted set) when absent. Never NULL: aborts
 * when memory runs out, like the rest of the analysis. */
size_t *ot_map_get(struct ot_map *m, const void *key, size_t klen, bool *inserted);
/* The value of KEY, or NULL when absent. */
size_t *ot_map_find(const struct ot_map *m, const void *key, size_t klen);
void ot_map_free(struct ot_map *m);

#endif
