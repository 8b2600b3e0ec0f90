// SPDX-License-Identifier: MIT
/* Text for a terminal (see termstyle.h). */
#include "report/termstyle.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ELLIPSIS "…"

bool ot_term_is_tty(int fd)
{
	const char *e = getenv("OPENTRAIL_TERMINAL");

	if (e && !strcmp(e, "1"))
		return true;
	if (e && !strcmp(e, "0"))
		return false;
	return isatty(fd) == 1;
}

unsigned ot_term_width(int fd)
{
	const char *e = getenv("COLUMNS");
	struct winsize ws;

	if (e && *e) {
		char *end;
		unsigned long n = strtoul(e, &end, 10);

		if (!*end && n > 0 && n < 10000)
			return (unsigned)n;
	}
	if (ot_term_is_tty(fd) && !ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

bool ot_term_color(enum ot_color_when when, int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != OT_COLOR_AUTO)
		return when == OT_COLOR_ALWAYS;
	if (no && *no)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return ot_term_is_tty(fd);
}

bool ot_color_when_parse(const char *s, enum ot_color_when *when)
{
	static const struct {
		const char *name;
		enum ot_color_when when;
	} names[] = {
	    {"auto", OT_COLOR_AUTO},	 {"tty", OT_COLOR_AUTO},   {"if-tty", OT_COLOR_AUTO},
	    {"always", OT_COLOR_ALWAYS}, {"yes", OT_COLOR_ALWAYS}, {"force", OT_COLOR_ALWAYS},
	    {"never", OT_COLOR_NEVER},	 {"no", OT_COLOR_NEVER},   {"none", OT_COLOR_NEVER},
	};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name)) {
			*when = names[i].when;
			return true;
		}
	return false;
}

const char *ot_ts_on(const struct ot_term *tm, enum ot_ts_role role)
{
	if (!tm || !tm->color)
		return "";
	switch (role) {
	case OT_TS_PLAIN:
		return "";
	case OT_TS_PASS:
		return "\033[32m";
	case OT_TS_FAIL:
		return "\033[1;31m";
	case OT_TS_WARN:
		return "\033[33m";
	case OT_TS_DIM:
		return "\033[2m";
	case OT_TS_STRONG:
		return "\033[1m";
	}
	return "";
}

const char *ot_ts_off(const struct ot_term *tm, enum ot_ts_role role)
{
	return tm && tm->color && role != OT_TS_PLAIN ? "\033[0m" : "";
}

void ot_ts_puts(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p && *p; p++) {
		if (*p == '\t')
			fputc(' ', f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* a C1 control */
			fprintf(f, "\\u%04x", *++p);
		else
			fputc(*p, f);
	}
}

void ot_ts_put(FILE *f, const struct ot_term *tm, enum ot_ts_role role, const char *s)
{
	fputs(ot_ts_on(tm, role), f);
	ot_ts_puts(f, s);
	fputs(ot_ts_off(tm, role), f);
}

static bool continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Characters in S[0..N). */
static size_t chars(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += !continuation((unsigned char)s[i]);
	return w;
}

size_t ot_ts_width(const char *s)
{
	size_t w = 0;

	for (const char *p = s; p && *p; p++) {
		if (*p == '\033' && p[1] == '[') {
			for (p += 2; *p && !((*p >= '@' && *p <= '~')); p++)
				;
			if (!*p)
				break;
			continue;
		}
		w += !continuation((unsigned char)*p);
	}
	return w;
}

/* The byte length of S's first N characters. */
static size_t first_chars(const char *s, size_t n)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (!continuation((unsigned char)s[i]) && n-- == 0)
			break;
	return i;
}

/* OUT = A[0..AN) "…" B, within OUTSZ. */
static char *join(char *out, size_t outsz, const char *a, size_t an, const char *b)
{
	snprintf(out, outsz, "%.*s" ELLIPSIS "%s", (int)an, a, b);
	return out;
}

char *ot_ts_shorten(const char *s, size_t max, char *out, size_t outsz)
{
	size_t len = strlen(s), n = chars(s, len), head = 0;
	const char *slash;

	if (!outsz)
		return out;
	if (!max || n <= max) {
		snprintf(out, outsz, "%s", s);
		return out;
	}
	if (max < 8)
		max = 8;
	if ((slash = strchr(s + (s[0] == '/'), '/'))) {
		/* the head: the first component ("/work", "dir"); tails start at a '/' */
		head = (size_t)(slash - s);
		for (int with_head = 1; with_head >= 0; with_head--) {
			size_t h = with_head ? head : 0;

			/* "/work/…/dir/file": the head keeps its slash, the tail its own */
			for (const char *t = strchr(s + head + 1, '/'); t; t = strchr(t + 1, '/'))
				if (chars(s, h + 1) + 1 + chars(t, strlen(t)) <= max)
					return join(out, outsz, s, h + with_head, t);
			/* the last component alone, after the head, still too long */
		}
		/* the end of the last component, which names the file */
		return join(out, outsz, "", 0, s + first_chars(s, n - (max - 1)));
	}
	return join(out, outsz, s, first_chars(s, max - 1), "");
}

void ot_ts_wrap(FILE *f, const char *s, size_t first, size_t indent, unsigned width)
{
	size_t col = first;
	bool start = true;

	while (s && *s) {
		size_t gap = strspn(s, " "), wl = strcspn(s + gap, " "), w = chars(s + gap, wl);
		char word[1024];

		if (!start && width && col + gap + w > width && col > indent) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!start || gap) {
			fprintf(f, "%*s", (int)gap, ""); /* the spaces as written */
			col += gap;
		}
		s += gap;
		snprintf(word, sizeof(word), "%.*s",
			 (int)(wl < sizeof(word) ? wl : sizeof(word) - 1), s);
		ot_ts_puts(f, word);
		col += w;
		start = false;
		s += wl;
	}
}
