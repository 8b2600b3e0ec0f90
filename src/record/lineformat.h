/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* opentrail's line format (docs/line-format.md), written once for every writer:
 * the user side of both backends (record/logwrite.c), the kernel module
 * (src/kmod/module/, which includes this file) and the trigger programs
 * (src/triggers/trigger.c). Plain C without library calls: it compiles in the
 * kernel as well as in user space. */
#ifndef OT_RECORD_LINEFORMAT_H
#define OT_RECORD_LINEFORMAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif

/* The tag every line starts with. */
#define OT_LINE_TAG "[opentrail] "

/* A record's head: tag, FUNC.KIND (entry, ret, line, fact), pid (the thread
 * group) and tid, as unsigned ints; comm follows as a quoted string. */
#define OT_LINE_HEAD OT_LINE_TAG "%s.%s pid=%u tid=%u"

/* How a field's value word is written, decided by its kind in the probe spec
 * (probe/fieldfmt.c) and carried to the module in its recipe (probe/recipe.h:
 * PUT). Each takes the key and the word as an unsigned long long. */
enum ot_line_put {
	OT_PUT_PTR = 0,	  /* 16 lowercase hex digits: a pointer or a raw word */
	OT_PUT_INT32 = 1, /* the low 32 bits as a signed decimal (dfd: -100) */
	OT_PUT_DEC = 2,	  /* the word as a signed decimal (counts, ids, booleans) */
	OT_PUT_HEX = 3,	  /* 0x and lowercase hex (masks and modes) */
};
#define OT_LINE_PUT_PTR " %s=%016llx"
#define OT_LINE_PUT_DEC " %s=%lld"
#define OT_LINE_PUT_HEX " %s=0x%llx"

/*
 * Length of the well-formed UTF-8 sequence at S (N bytes left), or 0 (a byte
 * that starts none: a continuation byte, an overlong form, a UTF-16 surrogate,
 * beyond U+10FFFF, cut short). The log parser (record/logparse.c) takes the
 * same sequences as text.
 */
static inline size_t ot_line_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return len;
}

/*
 * The one escaping rule of a quoted value. S is N bytes, any bytes (NULs
 * included); OUT gets, NUL-terminated in OUTSZ bytes:
 *   - '\\' and '"' as \\ and \", newline and tab as \n and \t;
 *   - every other byte below 0x20, and 0x7f, as \xHH (lowercase hex);
 *   - a well-formed UTF-8 sequence as it is, whole;
 *   - any other byte of 0x80 or more as \xHH;
 *   - printable ASCII as it is.
 * So a log is valid UTF-8 and ASCII-safe for the kernel's log, and the parser
 * gives back the exact bytes. A value longer than OUTSZ allows is cut before the
 * first byte or sequence that does not fit whole. Returns the bytes written.
 */
static inline size_t ot_line_escape(char *out, size_t outsz, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i = 0;

	if (!outsz)
		return 0;
	while (i < n) {
		const unsigned char c = (unsigned char)s[i];
		size_t len = 1, k;

		if (c == '\\' || c == '"' || c == '\n' || c == '\t') {
			if (o + 2 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)c;
		} else if (c >= 0x80 && (len = ot_line_utf8_len((const unsigned char *)s + i,
								 n - i)) != 0) {
			if (o + len >= outsz)
				break;
			for (k = 0; k < len; k++)
				out[o++] = s[i + k];
		} else {
			len = 1;
			if (o + 4 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
		i += len;
	}
	out[o] = '\0';
	return o;
}

/* S (N bytes) as a quoted value: '"', ot_line_escape's text, '"', NUL-terminated
 * in OUTSZ bytes. Returns the bytes written (0 when OUTSZ cannot hold "" and NUL). */
static inline size_t ot_line_quote(char *out, size_t outsz, const char *s, size_t n)
{
	size_t o;

	if (outsz < 3)
		return 0;
	out[0] = '"';
	o = 1 + ot_line_escape(out + 1, outsz - 2, s, n);
	out[o++] = '"';
	out[o] = '\0';
	return o;
}

/*
 * The attach fact: the run.fact both backends write once their probes are
 * attached (probe/attachfact.c), with these keys.
 */
#define OT_FACT_BACKEND "backend" /* "bpf" or "kmod" */
#define OT_FACT_PROBES	"probes"  /* roles attached: "role,..." */
#define OT_FACT_SKIPPED "skipped" /* roles not attached: "role:why,..." */
#define OT_FACT_ATTACH	"attach"  /* how: "role=fentry" or "role=kprobe:SYMBOL",... */
#define OT_FACT_ROLES	"roles"	  /* "role=name,..." where a role has another name here */
#define OT_FACT_RETURNS "returns" /* "role=ptr,..." where the prototype returns another kind */
#define OT_FACT_KTEXT	"ktext"	  /* the running kernel's _text (undoes KASLR for caller=) */

#endif
