// SPDX-License-Identifier: MIT
/* The one escaping rule (record/lineformat.h), which the module, both backends'
 * user side and the triggers write by: what it writes, where it cuts, and that the
 * parser reads every name back. */
#include <string.h>

#include "record/lineformat.h"
#include "record/logparse.h"
#include "record/logwrite.h"
#include "testlib.h"

/* The names of tests/lab/line_format.sh: bytes, as the log writes them, as the
 * parser reads them (bytes that are not text kept visibly as \xHH). */
static const struct {
	const char *bytes, *logged, *read;
} odd[] = {
    {"LF1_\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
     "LF1_\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
     "LF1_\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80"},
    {"LF2_c\tt\x01x\x7fy", "LF2_c\\tt\\x01x\\x7fy", "LF2_c\tt\\x01x\\x7fy"},
    {"LF3_q\"u'o\\z", "LF3_q\\\"u'o\\\\z", "LF3_q\"u'o\\z"},
    {"LF4_bad\xff\xc0x", "LF4_bad\\xff\\xc0x", "LF4_bad\\xff\\xc0x"},
    {"LF5_n\nl", "LF5_n\\nl", "LF5_n\nl"},
    {"LF6_sp ace=eq", "LF6_sp ace=eq", "LF6_sp ace=eq"},
    {"LF7_cut\xc3", "LF7_cut\\xc3", "LF7_cut\\xc3"},
    {"LF8_end\\", "LF8_end\\\\", "LF8_end\\"},
    {"LF9_\xe2\x82", "LF9_\\xe2\\x82", "LF9_\\xe2\\x82"},
    {"LFa_\xed\xa0\x80", "LFa_\\xed\\xa0\\x80", "LFa_\\xed\\xa0\\x80"},
};

TEST(lineformat_escapes_by_one_rule)
{
	char out[256];

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		size_t n = ot_line_escape(out, sizeof(out), odd[i].bytes, strlen(odd[i].bytes));

		CHECK_STR(out, odd[i].logged);
		CHECK_INT(n, strlen(odd[i].logged));
	}
	/* A NUL inside the bytes given is a byte like any other. */
	ot_line_escape(out, sizeof(out), "a\0b", 3);
	CHECK_STR(out, "a\\x00b");
	CHECK_INT(ot_line_quote(out, sizeof(out), "x\"", 2), 5);
	CHECK_STR(out, "\"x\\\"\"");
}

TEST(lineformat_cuts_only_between_whole_escapes)
{
	char out[8];

	/* room for 7 bytes: "ab" and a 4-byte escape fit, the next escape does not */
	ot_line_escape(out, sizeof(out), "ab\x01\x02", 4);
	CHECK_STR(out, "ab\\x01");
	/* a UTF-8 sequence is written whole or not at all */
	ot_line_escape(out, sizeof(out), "abcdef\xc3\xa9", 8);
	CHECK_STR(out, "abcdef");
	ot_line_escape(out, sizeof(out), "abcde\xc3\xa9", 7);
	CHECK_STR(out, "abcde\xc3\xa9");
	CHECK_INT(ot_line_quote(out, 2, "a", 1), 0);
	CHECK_INT(ot_line_quote(out, 3, "a", 1), 2);
	CHECK_STR(out, "\"\"");
}

TEST(lineformat_names_read_back)
{
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		struct ot_line l;
		struct ot_record r;
		const char *why;

		ot_line_begin(&l, "__d_alloc", "entry", 1, 1, "sh");
		ot_line_str(&l, "name", odd[i].bytes);
		CHECK(strstr(l.buf, odd[i].logged) != NULL);
		CHECK_INT(ot_parse_line(l.buf, 1, &r, &why), 1);
		CHECK_STR(ot_rec_str(&r, "name"), odd[i].read);
		ot_record_free(&r);
	}
}
