// SPDX-License-Identifier: MIT
/* The text view's shortening rules: long text cut with an ellipsis, long paths with
 * their middle elided, characters never split; display widths; what a terminal is
 * shown of control characters; NO_COLOR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/termstyle.h"
#include "testlib.h"

static const char *shorten(const char *s, size_t max)
{
	static char out[512];

	return ot_ts_shorten(s, max, out, sizeof(out));
}

TEST(text_shorten_keeps_short_text_whole)
{
	CHECK_STR(shorten("missing.txt", 60), "missing.txt");
	CHECK_STR(shorten("/work/missing.txt", 0), "/work/missing.txt");
	/* exactly at the limit: whole */
	CHECK_STR(shorten("0123456789", 10), "0123456789");
}

TEST(text_shorten_cuts_text_with_an_ellipsis)
{
	char s[200];

	memset(s, 'a', 100);
	s[100] = '\0';
	CHECK_STR(shorten("abcdefghijklmnop", 10), "abcdefghi…");
	CHECK_INT(ot_ts_width(shorten(s, 60)), 60);
	CHECK(strstr(shorten(s, 60), "…") != NULL);
	/* a character is never split: é is two bytes */
	CHECK_STR(shorten("ééééééééééééé", 10), "ééééééééé…");
}

TEST(text_shorten_elides_the_middle_of_paths)
{
	const char *p = "/work/opentrail/case17_missing_file/missing_155_1795653572.txt";

	CHECK_INT(ot_ts_width(p), 62);
	CHECK_STR(shorten(p, 60), "/work/…/case17_missing_file/missing_155_1795653572.txt");
	/* fewer components fit: the head, the ellipsis and the file name */
	CHECK_STR(shorten(p, 40), "/work/…/missing_155_1795653572.txt");
	/* the head does not fit any more: the file name alone */
	CHECK_STR(shorten(p, 30), "…/missing_155_1795653572.txt");
	/* not even that: the end of the name, which says what file it is */
	CHECK_STR(shorten(p, 24), "…sing_155_1795653572.txt");
	CHECK_INT(ot_ts_width(shorten(p, 24)), 24);
	/* relative paths keep their first component */
	CHECK_STR(shorten("dir/sub/sub/sub/sub/sub/sub/sub/file.txt", 24),
		  "dir/…/sub/sub/file.txt");
}

TEST(text_width_counts_characters_not_bytes_or_escapes)
{
	CHECK_INT(ot_ts_width("├─ x"), 4);
	CHECK_INT(ot_ts_width("\033[1;31mEACCES\033[0m"), 6);
	CHECK_INT(ot_ts_width(""), 0);
}

TEST(text_puts_never_lets_the_terminal_obey)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ot_ts_puts(f, "a\033[2Jb\x7f"
		      "c\xc2\x9b"
		      "d\te");
	fclose(f);
	CHECK_STR(buf, "a\\x1b[2Jb\\x7fc\\u009bd e");
	free(buf);
}

TEST(text_wrap_breaks_at_words_with_a_hanging_indent)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ot_ts_wrap(f, "one two three four five  L12", 4, 4, 16);
	fclose(f);
	CHECK_STR(buf, "one two\n    three four\n    five  L12"); /* its gap kept */
	free(buf);
	f = open_memstream(&buf, &n);
	ot_ts_wrap(f, "one two three four", 0, 4, 0); /* no width: one line */
	fclose(f);
	CHECK_STR(buf, "one two three four");
	free(buf);
}

TEST(text_colour_follows_no_color_and_the_option)
{
	struct ot_term on = {true, 0}, off = {false, 0};
	enum ot_color_when w;

	setenv("OPENTRAIL_TERMINAL", "1", 1);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	CHECK(ot_term_color(OT_COLOR_AUTO, 1));
	setenv("NO_COLOR", "1", 1);
	CHECK(!ot_term_color(OT_COLOR_AUTO, 1));
	CHECK(ot_term_color(OT_COLOR_ALWAYS, 1)); /* asked for on the command line */
	setenv("NO_COLOR", "", 1);		  /* empty: as if unset */
	CHECK(ot_term_color(OT_COLOR_AUTO, 1));
	CHECK(!ot_term_color(OT_COLOR_NEVER, 1));
	setenv("OPENTRAIL_TERMINAL", "0", 1);
	CHECK(!ot_term_color(OT_COLOR_AUTO, 1));
	unsetenv("OPENTRAIL_TERMINAL");
	unsetenv("NO_COLOR");
	CHECK(ot_color_when_parse("never", &w) && w == OT_COLOR_NEVER);
	CHECK(ot_color_when_parse("always", &w) && w == OT_COLOR_ALWAYS);
	CHECK(!ot_color_when_parse("sometimes", &w));
	CHECK_STR(ot_ts_on(&off, OT_TS_FAIL), "");
	CHECK(strchr(ot_ts_on(&on, OT_TS_FAIL), '\033') != NULL);
}
