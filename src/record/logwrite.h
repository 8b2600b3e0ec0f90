/* SPDX-License-Identifier: MIT */
/* Writing records in opentrail's line format (docs/line-format.md). */
#ifndef OT_LOGWRITE_H
#define OT_LOGWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A line is built up field by field into a caller-owned buffer, then written whole. */
struct ot_line {
	char buf[2048];
	size_t len;
	int overflow;
};

/* "[opentrail] FUNC.KIND pid=.. tid=.. comm=".."" -- kind is "entry", "ret" or "fact". */
void ot_line_begin(struct ot_line *l, const char *func, const char *kind, uint32_t pid,
		   uint32_t tid, const char *comm);
void ot_line_ptr(struct ot_line *l, const char *key, uint64_t v);    /* 16-digit bare hex */
void ot_line_int(struct ot_line *l, const char *key, int64_t v);     /* signed decimal */
void ot_line_hex(struct ot_line *l, const char *key, uint64_t v);    /* 0x-hex */
void ot_line_str(struct ot_line *l, const char *key, const char *s); /* quoted, escaped */
void ot_line_strn(struct ot_line *l, const char *key, const char *s, size_t n);
/* Writes the line and a newline; returns 0 or -1. */
int ot_line_write(struct ot_line *l, FILE *f);

/* S (N bytes, any bytes) as a quoted value into OUT (size OUTSZ), by the one escaping
 * rule of record/lineformat.h; returns the length written. */
size_t ot_quote(char *out, size_t outsz, const char *s, size_t n);

#endif
