/* SPDX-License-Identifier: MIT */
/* A streaming JSON writer: values go to the FILE (through a buffer of the writer's
 * own) as they are produced, so a
 * report of any size needs only the memory of what is being written. The layout
 * is json-c's pretty one (two spaces per level, "key": value), with the
 * indentation capped so that deep nesting stays linear in size, or compact from a
 * given level on (ot_jw_set_lines). Strings are always
 * valid UTF-8: control bytes are escaped, and a byte that is not part of valid
 * UTF-8 is written as the four characters \xHH (JSON "\\xHH"), visibly. */
#ifndef OT_REPORT_JSONW_H
#define OT_REPORT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ot_jw {
	FILE *f;
	unsigned char *first; /* per open level: nothing written in it yet */
	size_t depth, cap;
	bool keyed; /* a key was written: its value follows on the same line */
	/* 0, or the deepest level laid out on lines: what lies deeper is written
	 * compactly, each value of that level whole on one line (ot_jw_set_lines). */
	size_t lines_to;
	char *buf; /* what is not yet in F: LEN bytes of SIZE */
	size_t len, size;
	uint64_t written; /* bytes written since init, buffered ones included */
	/* In memory: called (if set) instead of growing the buffer past a few
	 * megabytes; takes the LEN bytes out and sets LEN to 0. */
	void (*spill)(struct ot_jw *w, void *ctx);
	void *spill_ctx;
};

void ot_jw_init(struct ot_jw *w, FILE *f);
/* (With F NULL, a writer keeps everything in its buffer, which grows: its owner
 * takes the bytes out of buf/len and may swap in buffers of its own.) */
/* A writer that goes on inside DEPTH open levels, its next value the first of the
 * innermost (what it writes can be copied there later; see report_json.c). */
void ot_jw_init_at(struct ot_jw *w, FILE *f, size_t depth);
/* Levels deeper than LEVELS (1: the top object's values) are written on one line
 * ("key": value, value, ...): a value of level LEVELS takes one line, however much
 * it holds. 0 (the default) lays out every level. Set before the first value. */
void ot_jw_set_lines(struct ot_jw *w, size_t levels);
/* The next value starts the innermost level again (it is written first). */
void ot_jw_restart_level(struct ot_jw *w);
/* Ends the document (a newline) and frees the writer; -1 if any write failed. */
int ot_jw_finish(struct ot_jw *w);
/* Hands what is buffered to the FILE (before anything else writes to it). */
void ot_jw_flush(struct ot_jw *w);
/* Frees a writer that is not finished (what it buffered is lost). */
void ot_jw_free(struct ot_jw *w);

/* Inside an object, every value is preceded by its key. */
void ot_jw_key(struct ot_jw *w, const char *key);
/* A key known when compiling, needing no escape: its text is put in one copy. */
void ot_jw_key_raw(struct ot_jw *w, const char *quoted, size_t n);
#define OT_JW_KEY(w, lit) ot_jw_key_raw((w), "\"" lit "\": ", sizeof("\"" lit "\": ") - 1)
void ot_jw_obj_begin(struct ot_jw *w);
void ot_jw_obj_end(struct ot_jw *w);
void ot_jw_arr_begin(struct ot_jw *w);
void ot_jw_arr_end(struct ot_jw *w);
void ot_jw_str(struct ot_jw *w, const char *s); /* NULL writes null */
/* The string A followed by B (neither NULL), without joining them first. */
void ot_jw_str2(struct ot_jw *w, const char *a, const char *b);
void ot_jw_int(struct ot_jw *w, int64_t v);
void ot_jw_uint(struct ot_jw *w, uint64_t v);
void ot_jw_hex(struct ot_jw *w, uint64_t v); /* "0x..": as a string, lowercase */
/* V thousandths as a number with three decimals: 5618596750 -> 5618596.750 (nanoseconds
 * written as microseconds, exactly). */
void ot_jw_milli(struct ot_jw *w, int64_t v);
void ot_jw_bool(struct ot_jw *w, bool v);
void ot_jw_null(struct ot_jw *w);

#endif
