// SPDX-License-Identifier: MIT
/* The streaming JSON writer (see jsonw.h). */
#include "report/jsonw.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Deeper levels are written at this indentation: 7,600 nested calls would
 * otherwise take gigabytes of spaces. */
#define MAX_INDENT_LEVEL 64

/* The writer's own buffer: values are copied into it and it goes to the FILE in
 * large writes, with no stdio call per value. */
#define JW_BUF_SIZE (1u << 16)
/* A writer in memory with a spill hook grows its buffer up to this much. */
#define JW_SPILL_SIZE (4u << 20)

void ot_jw_flush(struct ot_jw *w)
{
	if (w->len && w->f) {
		fwrite_unlocked(w->buf, 1, w->len, w->f);
		w->len = 0;
	}
}

static void put_slow(struct ot_jw *w, const void *p, size_t n)
{
	if (!w->f && w->spill && w->len && w->len + n > JW_SPILL_SIZE)
		w->spill(w, w->spill_ctx);
	if (!w->f && w->size - w->len < n) { /* in memory: the buffer grows */
		size_t nsize = w->size ? w->size : JW_BUF_SIZE;
		char *nb;

		while (nsize - w->len < n)
			nsize *= 2;
		nb = realloc(w->buf, nsize);
		if (!nb)
			abort();
		w->buf = nb;
		w->size = nsize;
	} else if (w->f) {
		ot_jw_flush(w);
		if (n >= w->size) {
			fwrite_unlocked(p, 1, n, w->f);
			w->written += n;
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->written += n;
}

static inline void put(struct ot_jw *w, const void *p, size_t n)
{
	if (__builtin_expect(w->size - w->len < n, 0)) {
		put_slow(w, p, n);
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->written += n;
}

static inline void put_c(struct ot_jw *w, char c)
{
	if (__builtin_expect(w->len == w->size, 0)) {
		put_slow(w, &c, 1);
		return;
	}
	w->buf[w->len++] = c;
	w->written++;
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

static void escape(struct ot_jw *w, const char *s);

void ot_jw_init(struct ot_jw *w, FILE *f)
{
	w->f = f;
	w->first = NULL;
	w->depth = 0;
	w->cap = 0;
	w->keyed = false;
	w->lines_to = 0;
	w->size = JW_BUF_SIZE;
	w->buf = malloc(w->size);
	if (!w->buf)
		abort();
	w->len = 0;
	w->written = 0;
	w->spill = NULL;
	w->spill_ctx = NULL;
}
void ot_jw_init_at(struct ot_jw *w, FILE *f, size_t depth)
{
	ot_jw_init(w, f);
	w->cap = depth > 64 ? depth : 64;
	w->first = calloc(w->cap, 1);
	if (!w->first)
		abort();
	w->depth = depth;
	if (depth)
		w->first[depth - 1] = 1;
}

void ot_jw_set_lines(struct ot_jw *w, size_t levels)
{
	w->lines_to = levels;
}

/* Is the innermost level written compactly? */
static inline bool compact(const struct ot_jw *w)
{
	return w->lines_to && w->depth > w->lines_to;
}

void ot_jw_restart_level(struct ot_jw *w)
{
	if (w->depth)
		w->first[w->depth - 1] = 1;
}

void ot_jw_free(struct ot_jw *w)
{
	free(w->first);
	w->first = NULL;
	free(w->buf);
	w->buf = NULL;
}

int ot_jw_finish(struct ot_jw *w)
{
	put_c(w, '\n');
	ot_jw_flush(w);
	ot_jw_free(w);
	return ferror(w->f) ? -1 : 0;
}

/* ",\n" and the deepest indentation: a separator, its new line and the indentation
 * of a level are one piece of it. */
static const char sep_indent[2 + 2 * MAX_INDENT_LEVEL + 1] = {
    ',', '\n', [2 ... 2 + 2 * MAX_INDENT_LEVEL - 1] = ' '};

static void indent(struct ot_jw *w, size_t level)
{
	if (level > MAX_INDENT_LEVEL)
		level = MAX_INDENT_LEVEL;
	put(w, sep_indent + 2, 2 * level);
}

/* The separator before a value of the innermost level, a new line, its indentation. */
static void new_line(struct ot_jw *w)
{
	size_t level = w->depth > MAX_INDENT_LEVEL ? MAX_INDENT_LEVEL : w->depth;
	size_t skip = w->first[w->depth - 1] ? 1 : 0;

	w->first[w->depth - 1] = 0;
	if (compact(w)) { /* only the separator */
		if (!skip)
			PUT_LIT(w, ", ");
		return;
	}
	put(w, sep_indent + skip, 2 - skip + 2 * level);
}

/* Before a value: a separator and a new line inside an array (objects did it in
 * ot_jw_key); nothing at the top. */
static void before_value(struct ot_jw *w, bool keyed)
{
	if (keyed || w->depth == 0)
		return;
	new_line(w);
}

void ot_jw_key(struct ot_jw *w, const char *key)
{
	new_line(w);
	put_c(w, '"');
	escape(w, key);
	PUT_LIT(w, "\": ");
	w->keyed = true;
}

void ot_jw_key_raw(struct ot_jw *w, const char *quoted, size_t n)
{
	new_line(w);
	put(w, quoted, n);
	w->keyed = true;
}

static void value_start(struct ot_jw *w)
{
	before_value(w, w->keyed);
	w->keyed = false;
}

static void open_level(struct ot_jw *w, char c)
{
	value_start(w);
	put_c(w, c);
	if (w->depth == w->cap) {
		size_t ncap = w->cap ? 2 * w->cap : 64;
		unsigned char *n = realloc(w->first, ncap);

		if (!n)
			abort();
		w->first = n;
		w->cap = ncap;
	}
	w->first[w->depth++] = 1;
}

static void close_level(struct ot_jw *w, char c)
{
	bool was_compact = compact(w);

	w->depth--;
	if (!was_compact) {
		put_c(w, '\n');
		indent(w, w->depth);
	}
	put_c(w, c);
}

void ot_jw_obj_begin(struct ot_jw *w)
{
	open_level(w, '{');
}

void ot_jw_obj_end(struct ot_jw *w)
{
	close_level(w, '}');
}

void ot_jw_arr_begin(struct ot_jw *w)
{
	open_level(w, '[');
}

void ot_jw_arr_end(struct ot_jw *w)
{
	close_level(w, ']');
}

void ot_jw_str(struct ot_jw *w, const char *s)
{
	value_start(w);
	if (!s) {
		PUT_LIT(w, "null");
		return;
	}
	put_c(w, '"');
	escape(w, s);
	put_c(w, '"');
}

void ot_jw_str2(struct ot_jw *w, const char *a, const char *b)
{
	value_start(w);
	put_c(w, '"');
	escape(w, a);
	escape(w, b);
	put_c(w, '"');
}

/* Numbers are most of a large report: written without printf's format parsing. */
static void put_u64(struct ot_jw *w, uint64_t v, bool neg)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

void ot_jw_int(struct ot_jw *w, int64_t v)
{
	value_start(w);
	put_u64(w, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

void ot_jw_uint(struct ot_jw *w, uint64_t v)
{
	value_start(w);
	put_u64(w, v, false);
}

void ot_jw_milli(struct ot_jw *w, int64_t v)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char frac[4] = {'.', (char)('0' + u / 100 % 10), (char)('0' + u / 10 % 10),
			(char)('0' + u % 10)};

	value_start(w);
	put_u64(w, u / 1000, v < 0);
	put(w, frac, sizeof(frac));
}

void ot_jw_hex(struct ot_jw *w, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	value_start(w);
	*--p = '"';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

void ot_jw_bool(struct ot_jw *w, bool v)
{
	value_start(w);
	if (v)
		PUT_LIT(w, "true");
	else
		PUT_LIT(w, "false");
}

void ot_jw_null(struct ot_jw *w)
{
	value_start(w);
	PUT_LIT(w, "null");
}

/* Length of the valid UTF-8 sequence at S (1-4), or 0 if S does not start one
 * (overlong forms, surrogates and values past U+10FFFF are not valid). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

static const char hexd[] = "0123456789abcdef";

/* Bytes that go out as they are: printable ASCII but '"' and '\\'. */
static const bool plain_byte[256] = {
    [0x20 ... 0x21] = true, /* '"' is 0x22 */
    [0x23 ... 0x5b] = true, /* '\\' is 0x5c */
    [0x5d ... 0x7e] = true,
};

static inline bool plain(unsigned char c)
{
	return plain_byte[c];
}

static void escape(struct ot_jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	while (*s) {
		const unsigned char *run = s;
		size_t n;

		if (w->size - w->len > 256) { /* the common case: straight into the buffer */
			char *o = w->buf + w->len, *lim = w->buf + w->size - 1;

			while (plain(*s) && o < lim)
				*o++ = (char)*s++;
			w->written += (size_t)(o - (w->buf + w->len));
			w->len = (size_t)(o - w->buf);
			run = s;
		}
		while (plain(*s))
			s++;
		if (s > run)
			put(w, run, (size_t)(s - run));
		if (!*s)
			break;
		n = utf8_len(s);
		if (n == 0) {
			char hx[] = {'\\', '\\', 'x', hexd[*s >> 4], hexd[*s & 15]};

			put(w, hx, sizeof(hx));
			s++;
			continue;
		}
		if (n > 1) {
			put(w, s, n);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			PUT_LIT(w, "\\\"");
			break;
		case '\\':
			PUT_LIT(w, "\\\\");
			break;
		case '\b':
			PUT_LIT(w, "\\b");
			break;
		case '\f':
			PUT_LIT(w, "\\f");
			break;
		case '\n':
			PUT_LIT(w, "\\n");
			break;
		case '\r':
			PUT_LIT(w, "\\r");
			break;
		case '\t':
			PUT_LIT(w, "\\t");
			break;
		default: {
			char u[] = {'\\', 'u', '0', '0', hexd[*s >> 4], hexd[*s & 15]};

			put(w, u, sizeof(u));
		}
		}
		s++;
	}
}
