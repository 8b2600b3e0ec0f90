/* SPDX-License-Identifier: MIT */
/* The glob of `trace --path`, compiled for a matcher that runs in the kernel (BPF):
 * no recursion and no backtracking, one pass over the path with a 64-bit state
 * (bit j: the first j tokens of the glob match what was read so far), so that the
 * verifier sees a loop bounded by the path's length. The same matcher runs here,
 * for the tests. The meaning is fnmatch(3) without flags, as in the shell's
 * `case`: `*` any bytes (`/` too), `?` one byte, `[abc]`, `[a-z]`, `[!x]` or
 * `[^x]` one byte of (or not of) a set, `\x` the byte x itself. */
#ifndef OT_PROBE_GLOB_H
#define OT_PROBE_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OT_GLOB_MAX 63 /* bytes: one state bit per token, and one for the end */

struct ot_glob {
	uint64_t lit[256]; /* bit j: token j (not a star) matches this byte */
	uint64_t star;	   /* bit j: token j is `*` */
	unsigned ntok;	   /* tokens; the glob matches when bit NTOK is set at the end */
};

/* Compiles PAT; returns 0, or -1 with WHY saying what is wrong with it and what
 * to do (empty, longer than OT_GLOB_MAX bytes, an unclosed `[`, ...). */
int ot_glob_compile(const char *pat, struct ot_glob *g, char *why, size_t whysz);
/* Does G match the N bytes of S (up to a NUL)? */
bool ot_glob_match(const struct ot_glob *g, const char *s, size_t n);

#endif
