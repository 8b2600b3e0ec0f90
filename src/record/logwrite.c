// SPDX-License-Identifier: MIT
#include "record/logwrite.h"

#include <stdarg.h>
#include <string.h>

#include "record/lineformat.h"

static void line_printf(struct ot_line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void line_printf(struct ot_line *l, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(l->buf) - l->len;

	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		l->overflow = 1;
		l->len = sizeof(l->buf) - 1;
		return;
	}
	l->len += (size_t)n;
}

size_t ot_quote(char *out, size_t outsz, const char *s, size_t n)
{
	return ot_line_quote(out, outsz, s, n);
}

void ot_line_begin(struct ot_line *l, const char *func, const char *kind, uint32_t pid,
		   uint32_t tid, const char *comm)
{
	l->len = 0;
	l->overflow = 0;
	l->buf[0] = '\0';
	line_printf(l, OT_LINE_HEAD, func, kind, (unsigned)pid, (unsigned)tid);
	ot_line_str(l, "comm", comm ? comm : "");
}

void ot_line_ptr(struct ot_line *l, const char *key, uint64_t v)
{
	line_printf(l, OT_LINE_PUT_PTR, key, (unsigned long long)v);
}

void ot_line_int(struct ot_line *l, const char *key, int64_t v)
{
	line_printf(l, OT_LINE_PUT_DEC, key, (long long)v);
}

void ot_line_hex(struct ot_line *l, const char *key, uint64_t v)
{
	line_printf(l, OT_LINE_PUT_HEX, key, (unsigned long long)v);
}

void ot_line_strn(struct ot_line *l, const char *key, const char *s, size_t n)
{
	char q[1024];

	ot_quote(q, sizeof(q), s ? s : "", n);
	line_printf(l, " %s=%s", key, q);
}

void ot_line_str(struct ot_line *l, const char *key, const char *s)
{
	ot_line_strn(l, key, s, s ? strlen(s) : 0);
}

int ot_line_write(struct ot_line *l, FILE *f)
{
	if (fwrite(l->buf, 1, l->len, f) != l->len || fputc('\n', f) == EOF)
		return -1;
	return 0;
}
