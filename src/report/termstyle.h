/* SPDX-License-Identifier: MIT */
/* Text for a terminal: whether stdout is one, its width, colour (never with NO_COLOR,
 * https://no-color.org), display widths, text made safe to print, and values
 * shortened to fit (full values stay in the report files). */
#ifndef OT_REPORT_TERMSTYLE_H
#define OT_REPORT_TERMSTYLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Box drawing of the call trees (the Markdown's and the terminal's). */
#define OT_BRANCH_MID  "├─ "
#define OT_BRANCH_LAST "└─ "
#define OT_STEM_MID    "│  "
#define OT_STEM_LAST   "   "

enum ot_color_when { OT_COLOR_AUTO, OT_COLOR_ALWAYS, OT_COLOR_NEVER };

/* What a piece of text is, for its colour. */
enum ot_ts_role {
	OT_TS_PLAIN,
	OT_TS_PASS,   /* a verdict or claim that holds */
	OT_TS_FAIL,   /* one that does not; an error return */
	OT_TS_WARN,   /* incomplete, not evidenced, unpaired */
	OT_TS_DIM,    /* line references, source, details */
	OT_TS_STRONG, /* headings, op#N */
};

struct ot_term {
	bool color;
	unsigned width; /* columns to fit lines into; 0: no limit */
};

/* Is FD a terminal? OPENTRAIL_TERMINAL=1/0 says so for it (the lab passes the host's
 * answer into the guest, whose stdout is a serial line). */
bool ot_term_is_tty(int fd);
/* The width to fit lines into on FD: $COLUMNS when set, else the terminal's, else 0. */
unsigned ot_term_width(int fd);
/* Colour on FD: ALWAYS, NEVER, or (AUTO) a terminal without NO_COLOR (any non-empty
 * value) and not TERM=dumb. */
bool ot_term_color(enum ot_color_when when, int fd);
/* "auto", "always", "never" (and their usual synonyms); false for anything else. */
bool ot_color_when_parse(const char *s, enum ot_color_when *when);

/* The escape sequence starting ROLE, and the one ending it ("" without colour). */
const char *ot_ts_on(const struct ot_term *tm, enum ot_ts_role role);
const char *ot_ts_off(const struct ot_term *tm, enum ot_ts_role role);

/* S written so that a terminal shows it and never obeys it: control characters (C0,
 * DEL, C1) as \xHH. */
void ot_ts_puts(FILE *f, const char *s);
/* The same, in ROLE's colour. */
void ot_ts_put(FILE *f, const struct ot_term *tm, enum ot_ts_role role, const char *s);

/* Columns S takes: one per character (UTF-8), escape sequences (ESC [ ... letter) none. */
size_t ot_ts_width(const char *s);

/* S shortened to at most MAX characters (MAX >= 8; 0: never), into OUT: a path (it
 * has a '/') keeps its first component and as many of its last ones as fit, the
 * middle elided as "…" ("/work/…/dir/file.txt"); other text is cut with "…". A
 * character is never split. Returns OUT. */
char *ot_ts_shorten(const char *s, size_t max, char *out, size_t outsz);

/* S as a paragraph: words wrapped at WIDTH columns (0: not wrapped), the first line
 * after FIRST columns already used, the next ones indented by INDENT spaces. */
void ot_ts_wrap(FILE *f, const char *s, size_t first, size_t indent, unsigned width);

#endif
