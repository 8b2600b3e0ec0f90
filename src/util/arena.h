/* SPDX-License-Identifier: MIT */
/* A bump allocator for a log's text: the lines and every record's strings and
 * fields live in large blocks freed together. A million-line log would otherwise
 * be tens of millions of small allocations, each with its own header. */
#ifndef OT_ARENA_H
#define OT_ARENA_H

#include <stddef.h>

struct ot_arena;

struct ot_arena *ot_arena_new(void);
/* N bytes aligned for any object; aborts when memory runs out. */
void *ot_arena_alloc(struct ot_arena *a, size_t n);
/* A NUL-terminated copy of S (NULL stays NULL). */
char *ot_arena_strdup(struct ot_arena *a, const char *s);
/* A NUL-terminated copy of the N bytes at S. */
char *ot_arena_strndup(struct ot_arena *a, const char *s, size_t n);
/* The arena's one copy of the N bytes at S (no NUL needed), for the few texts that
 * repeat on every line (keys, function names, tags, comms): stored once, shared by
 * every record. */
const char *ot_arena_intern_n(struct ot_arena *a, const char *s, size_t n);
/* Forgets everything allocated, keeping one block for what comes next. */
void ot_arena_reset(struct ot_arena *a);
void ot_arena_free(struct ot_arena *a);

#endif
