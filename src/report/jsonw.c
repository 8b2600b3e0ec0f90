// SPDX-License-Identifier: MIT
/* The streaming JSON writer (see jsonw.h). */
#include "report/jsonw.h"

#include <inttypes.h>
#include <stdlib.h>

/* Deeper levels are written at this indentation: 7,600 nested calls would
 * otherwise take gigabytes of spaces. */
#define MAX_INDENT_LEVEL 64

void ot_jw_init(struct ot_jw *w, FILE *f)
{
	w->f = f;
	w->first = NULL;
	w->depth = 0;
	w->cap = 0;
	w->keyed = false;
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

void ot_jw_restart_level(struct ot_jw *w)
{
	if (w->depth)
		w->first[w->depth - 1] = 1;
}

int ot_jw_finish(struct ot_jw *w)
{
	fputc_unlocked('\n', w->f);
	free(w->first);
	w->first = NULL;
	return ferror(w->f) ? -1 : 0;
}

static void indent(struct ot_jw *w, size_t level)
{
	static const char spaces[2 * MAX_INDENT_LEVEL + 1] = {[0 ... 2 * MAX_INDENT_LEVEL - 1] =
								  ' '};

	if (level > MAX_INDENT_LEVEL)
		level = MAX_INDENT_LEVEL;
	fwrite_unlocked(spaces, 1, 2 * level, w->f);
}

/* Before a value: a separator and a new line inside an array (objects did it in
 * ot_jw_key); nothing at the top. */
static void before_value(struct ot_jw *w, bool keyed)
{
	if (keyed || w->depth == 0)
		return;
	fputs_unlocked(w->first[w->depth - 1] ? "\n" : ",\n", w->f);
	w->first[w->depth - 1] = 0;
	indent(w, w->depth);
}

void ot_jw_key(struct ot_jw *w, const char *key)
{
	fputs_unlocked(w->first[w->depth - 1] ? "\n" : ",\n", w->f);
	w->first[w->depth - 1] = 0;
	indent(w, w->depth);
	fputc_unlocked('"', w->f);
	ot_json_escape(w->f, key);
	fputs_unlocked("\": ", w->f);
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
	fputc_unlocked(c, w->f);
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
	w->depth--;
	fputc_unlocked('\n', w->f);
	indent(w, w->depth);
	fputc_unlocked(c, w->f);
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
		fputs_unlocked("null", w->f);
		return;
	}
	fputc_unlocked('"', w->f);
	ot_json_escape(w->f, s);
	fputc_unlocked('"', w->f);
}

/* Numbers are most of a large report: written without printf's format parsing. */
static void put_u64(FILE *f, uint64_t v, bool neg)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), f);
}

void ot_jw_int(struct ot_jw *w, int64_t v)
{
	value_start(w);
	put_u64(w->f, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

void ot_jw_uint(struct ot_jw *w, uint64_t v)
{
	value_start(w);
	put_u64(w->f, v, false);
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
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), w->f);
}

void ot_jw_bool(struct ot_jw *w, bool v)
{
	value_start(w);
	fputs_unlocked(v ? "true" : "false", w->f);
}

void ot_jw_null(struct ot_jw *w)
{
	value_start(w);
	fputs_unlocked("null", w->f);
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

/* Bytes that go out as they are: printable ASCII but '"' and '\\'. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void ot_json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	while (*s) {
		const unsigned char *run = s;
		size_t n;

		while (plain(*s))
			s++;
		if (s > run)
			fwrite_unlocked(run, 1, (size_t)(s - run), f);
		if (!*s)
			break;
		n = utf8_len(s);
		if (n == 0) {
			fprintf(f, "\\\\x%02x", *s++);
			continue;
		}
		if (n > 1) {
			fwrite_unlocked(s, 1, n, f);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fputs_unlocked("\\\"", f);
			break;
		case '\\':
			fputs_unlocked("\\\\", f);
			break;
		case '\b':
			fputs_unlocked("\\b", f);
			break;
		case '\f':
			fputs_unlocked("\\f", f);
			break;
		case '\n':
			fputs_unlocked("\\n", f);
			break;
		case '\r':
			fputs_unlocked("\\r", f);
			break;
		case '\t':
			fputs_unlocked("\\t", f);
			break;
		default:
			fprintf(f, "\\u%04x", *s);
		}
		s++;
	}
}
