// SPDX-License-Identifier: MIT
/* Reading trace lines. Three shapes (docs/line-format.md):
 *   [tag] FUNC.entry|ret|fact pid=N [tid=N] comm=S k=v ...   (opentrail's and the seeds')
 *   [C17][FUNC][ENTRY|RET] pid=N tgid=N k=v ...               (seed 001)
 *   [DLOOKUP_REPLAY] words k=v ...                            (seed 001's replay module)
 * each optionally after a "[ seconds.micros]" kernel-log prefix and inside prose. */
#include "record/logparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/kinds.h"
#include "record/lineformat.h"
#include "util/arena.h"

static char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		abort();
	return p;
}

/* A record's name as set_func_kind read it. */
struct func_seen {
	const struct ot_arena *names;
	const struct ot_kinds *kinds;
	const char *text; /* "FUNC.entry" */
	size_t n;
	enum ot_rec_kind kind;
	const char *func, *real;
	const struct ot_func_kinds *fk;
};

/* Where a record's text goes. Read into a log: the log's arena, the texts that repeat
 * on every line (keys, function names, tags, comms) interned, the fields gathered in a
 * scratch array and copied once the record is complete -- no allocation per value.
 * Parsed on its own (ot_parse_line): allocations of its own, for ot_record_free. */
struct sink {
	struct ot_arena *a;	/* NULL: malloc */
	struct ot_arena *names; /* the interned texts (the log's arena; NULL: malloc) */
	struct ot_field *scratch;
	size_t cap;
	char *qbuf; /* a quoted value, unescaped */
	size_t qcap;
	char *esc; /* the same with its odd bytes escaped, when it has any */
	const struct ot_kinds *kinds; /* what types the values (record/kinds.h) */
	bool line_clean; /* the line holds nothing escape_bytes would escape (but tabs) */
	/* the record's function as described, once set_func_kind has looked it up */
	const struct ot_func_kinds *fk;
	bool fk_known;
	/* the log's copy of a key, found by the kinds table's copy of it: a key the table
	 * knows is interned once per slot, not once per line (emptied with a new log) */
	struct {
		const char *table_key;
		const struct ot_arena *names;
		const char *key;
	} keys[64];
	struct func_seen funcs[16]; /* set_func_kind's (emptied too, and by a description) */
	/* the last tag, shape and comm, which come again line after line (emptied too) */
	struct {
		const struct ot_arena *names;
		const char *s;
		size_t n;
	} seen[3];
};

enum { SEEN_TAG, SEEN_SHAPE, SEEN_COMM };

static char *s_dup(struct sink *k, const char *s, size_t n)
{
	return k->a ? ot_arena_strndup(k->a, s, n) : xstrndup(s, n);
}

static char *s_name(struct sink *k, const char *s, size_t n)
{
	return k->names ? (char *)(uintptr_t)ot_arena_intern_n(k->names, s, n) : xstrndup(s, n);
}

/* S_NAME for a text that repeats from line to line: the last one of its SLOT first. */
static char *s_name_again(struct sink *k, int slot, const char *s, size_t n)
{
	char *c;

	if (k->names && k->seen[slot].names == k->names && k->seen[slot].n == n &&
	    !memcmp(k->seen[slot].s, s, n))
		return (char *)(uintptr_t)k->seen[slot].s;
	c = s_name(k, s, n);
	if (k->names) {
		k->seen[slot].names = k->names;
		k->seen[slot].s = c;
		k->seen[slot].n = n;
	}
	return c;
}

static void s_free(struct sink *k, void *p)
{
	if (!k->a)
		free(p);
}

/* Room for one more element of an array grown one at a time: the array is
 * reallocated at powers of two, so a long log costs O(1) per line. */
static void *room_for_one(void *p, size_t n, size_t elem)
{
	if (n && (n & (n - 1)))
		return p;
	p = realloc(p, (n ? 2 * n : 1) * elem);
	if (!p)
		abort();
	return p;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "[ 123.456789]" -> seconds; returns the position after it, or NULL. */
static const char *parse_timestamp(const char *p, double *ts)
{
	const char *q = skip_spaces(p + 1);
	char *end;

	if (*p != '[' || !isdigit((unsigned char)*q))
		return NULL;
	double v = strtod(q, &end);
	end = (char *)skip_spaces(end);
	if (*end != ']')
		return NULL;
	*ts = v;
	return end + 1;
}

/* "[word]" -> the word (no spaces inside); returns the position after it, or NULL. */
static const char *parse_tag(const char *p, const char **tag, size_t *taglen)
{
	const char *q = p + 1;

	if (*p != '[')
		return NULL;
	while (*q && *q != ']' && *q != ' ' && *q != '[')
		q++;
	if (*q != ']' || q == p + 1)
		return NULL;
	*tag = p + 1;
	*taglen = (size_t)(q - p - 1);
	return q + 1;
}

/* Bytes of a key or a function name: isalnum in the C locale (opentrail sets no
 * other), '_', '.' and '-'. */
static const unsigned char ident_byte[256] = {
    ['0' ... '9'] = 1, ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['_'] = 1, ['.'] = 1, ['-'] = 1,
};

static int is_ident(int c)
{
	return ident_byte[(unsigned char)c];
}

enum { ESC_NUL = 1, ESC_CONTROL = 2, ESC_UTF8 = 4 };

/* Does S (N bytes) hold nothing that escape_bytes would escape? Most lines do not. */
static bool is_clean(const char *s, size_t n, const char *keep)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;

	/* Eight bytes at a time while none is below 0x20 or at or above 0x7f (printable
	 * ASCII, as most lines are all through); from the first word that may hold one,
	 * byte by byte. */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, sizeof(w));
		if (((w - 0x20 * ones) & ~w & highs) || ((w | (w + ones)) & highs))
			break;
	}
	for (; i < n; i++) {
		const unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			continue;
		if (c >= 0x80) {
			size_t len = ot_line_utf8_len((const unsigned char *)s + i, n - i);

			if (!len)
				return false;
			i += len - 1;
			continue;
		}
		if (!c || c == 0x7f || !strchr(keep, c))
			return false;
	}
	return true;
}

/* S (N bytes, NULs included) as a new string in which NUL, control characters
 * other than those in KEEP, DEL and bytes that are not UTF-8 are written \xHH, so
 * that nothing is cut or dropped and every report stays valid UTF-8. *WHAT gets
 * the ESC_* bits of what was escaped. */
static char *escape_bytes(const char *s, size_t n, const char *keep, unsigned *what)
{
	char *out = malloc(4 * n + 1);
	size_t o = 0;

	if (!out)
		abort();
	for (size_t i = 0; i < n;) {
		const unsigned char c = (unsigned char)s[i];
		size_t len = ot_line_utf8_len((const unsigned char *)s + i, n - i);
		unsigned bad = 0;

		if (c == 0)
			bad = ESC_NUL;
		else if ((c < 0x20 && !strchr(keep, c)) || c == 0x7f)
			bad = ESC_CONTROL;
		else if (!len)
			bad = ESC_UTF8;
		if (bad) {
			*what |= bad;
			o += (size_t)sprintf(out + o, "\\x%02x", c);
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return out;
}

static void q_put(struct sink *k, size_t n, char c)
{
	if (n + 1 >= k->qcap) {
		k->qcap = k->qcap ? 2 * k->qcap : 256;
		k->qbuf = realloc(k->qbuf, k->qcap);
		if (!k->qbuf)
			abort();
	}
	k->qbuf[n] = c;
}

static void q_put_n(struct sink *k, size_t n, const char *s, size_t len)
{
	if (n + len + 1 >= k->qcap) {
		while (n + len + 1 >= k->qcap)
			k->qcap = k->qcap ? 2 * k->qcap : 256;
		k->qbuf = realloc(k->qbuf, k->qcap);
		if (!k->qbuf)
			abort();
	}
	memcpy(k->qbuf + n, s, len);
}

/* Unescape a quoted string starting after the opening quote into *OUT (*OUTLEN bytes,
 * valid until the next quoted value). Bytes that would cut the string or break UTF-8
 * stay escaped (*WHAT says which). */
static const char *parse_quoted(struct sink *k, const char *p, const char **out, size_t *outlen,
				unsigned *what)
{
	size_t n = 0;
	bool escapes = false;

	while (*p && *p != '"') {
		char c = *p++;

		if (c != '\\') { /* a run of plain bytes: copied at once */
			const char *run = p - 1;

			while (*p && *p != '"' && *p != '\\')
				p++;
			q_put_n(k, n, run, (size_t)(p - run));
			n += (size_t)(p - run);
			continue;
		}

		char e = *p++;

		escapes = true;
		switch (e) {
		case 'n':
			c = '\n';
			break;
		case 't':
			c = '\t';
			break;
		case '\\':
			c = '\\';
			break;
		case '"':
			c = '"';
			break;
		case 'x':
			if (isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1])) {
				char hx[3] = {p[0], p[1], 0};
				c = (char)strtol(hx, NULL, 16);
				p += 2;
				break;
			}
			return NULL;
		default:
			return NULL;
		}
		q_put(k, n++, c);
	}
	if (*p != '"')
		return NULL;
	q_put(k, n, '\0');
	free(k->esc);
	k->esc = NULL;
	/* a clean line's bytes are clean: only its escapes can make others */
	if ((k->line_clean && !escapes) || is_clean(k->qbuf, n, "\n\t")) {
		*out = k->qbuf;
		*outlen = n;
	} else {
		k->esc = escape_bytes(k->qbuf, n, "\n\t", what);
		*out = k->esc;
		*outlen = strlen(k->esc);
	}
	return p + 1;
}

/* A hex digit's value + 1 (0: not a hex digit). */
static const unsigned char hex_byte[256] = {
    ['0'] = 1,	['1'] = 2,  ['2'] = 3,	['3'] = 4,  ['4'] = 5,	['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The N decimal digits at S; OVER set past 64 bits. */
static uint64_t dec_value(const char *s, size_t n, bool *over)
{
	uint64_t v = 0;

	*over = false;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			*over = true;
		v = v * 10 + d;
	}
	return v;
}

/* Are the N bytes at S all hex digits (N > 0)? *U: their value, saturated past 64
 * bits as strtoull. One pass, stopping at the first byte that is not one. */
static bool hex_word(const char *s, size_t n, uint64_t *u)
{
	uint64_t v = 0;
	bool over = false;

	for (size_t i = 0; i < n; i++) {
		unsigned h = hex_byte[(unsigned char)s[i]];

		if (!h)
			return false;
		over |= (v >> 60) != 0;
		v = v << 4 | (uint64_t)(h - 1);
	}
	*u = over ? UINT64_MAX : v;
	return n > 0;
}

/* Are the N bytes at S all decimal digits (N > 0)? *U: their value, *OVER past 64 bits. */
static bool dec_word(const char *s, size_t n, uint64_t *u, bool *over)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	*over = false;
	if (n > 19) /* 19 digits stay below 2^64 */
		v = dec_value(s, n, over);
	*u = v;
	return n > 0;
}

/* Classify the bare value V (N bytes, ending at a space, tab or NUL) of a field of
 * KIND (OT_FK_UNKNOWN when not described): a string is text whatever it looks like,
 * a pointer is hex even when its digits are all decimal, and a word of 8 or more
 * hex digits that is not decimal is hex. A string's text is set by the caller.
 * Numbers read as strtoull/strtoll would (saturating), without their cost. */
static void classify_bare(struct ot_field *f, const char *v, size_t n, enum ot_field_kind kind)
{
	const char *digits = v[0] == '-' ? v + 1 : v;
	size_t nd = n - (size_t)(digits - v);
	uint64_t u;
	bool over;

	if (kind == OT_FK_STR) {
		f->type = OT_V_STR;
	} else if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') &&
		   hex_word(v + 2, n - 2, &u)) {
		f->type = OT_V_HEX;
		f->u = u;
	} else if (n == 16 && hex_word(v, n, &u)) {
		f->type = OT_V_HEX; /* a machine word as the kernel prints %lx / %016lx */
		f->u = u;
	} else if (kind != OT_FK_PTR && dec_word(digits, nd, &u, &over)) {
		f->type = OT_V_INT;
		if (v[0] != '-')
			f->u = over ? UINT64_MAX : u;
		else if (over || u > (uint64_t)INT64_MAX + 1)
			f->i = INT64_MIN;
		else
			f->i = (int64_t)(0 - u);
	} else if ((kind == OT_FK_PTR || n >= 8) && hex_word(v, n, &u)) {
		f->type = OT_V_HEX;
		f->u = u;
	} else {
		f->type = OT_V_STR;
	}
}

/* F under KEY (KEYLEN bytes), interned (NAME: the kinds table's copy of KEY, or NULL). */
static void add_field_named(struct sink *k, struct ot_record *r, const char *key, size_t keylen,
			    const char *name, struct ot_field *f)
{
	if (k->a) {
		if (r->nfields == k->cap) {
			k->cap = k->cap ? 2 * k->cap : 32;
			k->scratch = realloc(k->scratch, k->cap * sizeof(*k->scratch));
			if (!k->scratch)
				abort();
		}
		r->fields = k->scratch;
	} else {
		r->fields = room_for_one(r->fields, r->nfields, sizeof(*r->fields));
	}
	if (name && k->names) {
		size_t slot = ((uintptr_t)name >> 4) % 64;

		if (k->keys[slot].table_key != name || k->keys[slot].names != k->names) {
			k->keys[slot].table_key = name;
			k->keys[slot].names = k->names;
			k->keys[slot].key = s_name(k, key, keylen);
		}
		f->key = (char *)(uintptr_t)k->keys[slot].key;
	} else {
		f->key = s_name(k, key, keylen);
	}
	r->fields[r->nfields++] = *f;
}

static void add_field(struct sink *k, struct ot_record *r, const char *key, size_t keylen,
		      struct ot_field *f)
{
	add_field_named(k, r, key, keylen, NULL, f);
}

static void add_text_field(struct sink *k, struct ot_record *r, const char *key, const char *text)
{
	struct ot_field f = {0};

	f.type = OT_V_STR;
	f.s = s_dup(k, text, strlen(text));
	f.raw = s_dup(k, text, strlen(text));
	add_field(k, r, key, strlen(key), &f);
}

static int header_u32(const struct ot_field *f, uint32_t *out)
{
	if (f->type != OT_V_INT || f->i < 0 || f->u > UINT32_MAX)
		return -1;
	*out = (uint32_t)f->u;
	return 0;
}

/* Parse "k=v k="v" ..." into R. Free words (no '=') are joined into a "text" field
 * when ALLOW_WORDS, otherwise they make the line malformed. */
static int parse_fields(struct sink *k, const char *p, struct ot_record *r, int allow_words,
			const char **reason)
{
	char *words = NULL;
	size_t wlen = 0;
	bool has_pid = false, has_tid = false, has_tgid = false;
	uint32_t tgid = 0;
	/* The description of the record's function: looked up once per record. */
	const struct ot_func_kinds *fk =
	    !r->func || (r->kind != OT_REC_ENTRY && r->kind != OT_REC_RET) ? NULL
	    : k->fk_known ? k->fk
			  : ot_kinds_func(k->kinds, r->func, strlen(r->func));

	for (;;) {
		p = skip_spaces(p);
		if (!*p)
			break;
		const char *key = p;
		while (is_ident((unsigned char)*p))
			p++;
		size_t klen = (size_t)(p - key);
		if (*p != '=' || klen == 0) {
			const char *w = key;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (!allow_words) {
				*reason = "a token that is not key=value";
				free(words);
				return -1;
			}
			/* every word is kept, however long the line */
			char *nw = realloc(words, wlen + (size_t)(p - w) + 2);
			if (!nw)
				abort();
			words = nw;
			if (wlen)
				words[wlen++] = ' ';
			memcpy(words + wlen, w, (size_t)(p - w));
			wlen += (size_t)(p - w);
			words[wlen] = '\0';
			continue;
		}
		p++;
		struct ot_field f = {0};
		const char *v = p, *text, *name = NULL;
		size_t vlen, tlen;
		bool is_comm = klen == 4 && !memcmp(key, "comm", 4);
		enum ot_field_kind kind =
		    is_comm ? OT_FK_STR
			    : ot_kinds_field_named(k->kinds, fk, r->kind == OT_REC_RET, key, klen,
						   &name);

		f.kind = (unsigned char)kind;
		if (*p == '"') {
			unsigned what = 0;
			p = parse_quoted(k, p + 1, &text, &tlen, &what);
			if (!p) {
				*reason = "an unterminated or badly escaped quoted string";
				free(words);
				return -1;
			}
			if (what)
				r->kept_escapes |= what;
			f.type = OT_V_STR;
		} else {
			p += strcspn(p, " \t");
			text = v;
			tlen = (size_t)(p - v);
			classify_bare(&f, v, tlen, kind);
		}
		vlen = (size_t)(p - v);
		/* Header fields. */
		if ((klen == 3 && !memcmp(key, "pid", 3)) ||
		    (klen == 3 && !memcmp(key, "tid", 3)) ||
		    (klen == 4 && !memcmp(key, "tgid", 4))) {
			uint32_t n;
			if (header_u32(&f, &n)) {
				*reason = "pid/tid is not a number";
				free(words);
				return -1;
			}
			if (key[0] == 'p') {
				r->pid = n;
				has_pid = true;
			} else if (key[1] == 'i') {
				r->tid = n;
				has_tid = true;
			} else {
				tgid = n;
				has_tgid = true;
			}
			continue;
		}
		if (is_comm) {
			s_free(k, r->comm);
			r->comm = s_name_again(k, SEEN_COMM, text, tlen);
			continue;
		}
		if (klen == 2 && !memcmp(key, "ts", 2) && f.type == OT_V_INT) {
			r->has_ts = true; /* a header field, like pid: not an argument */
			r->ts = (double)f.u / 1e9;
			continue;
		}
		if (f.type == OT_V_STR)
			f.s = s_dup(k, text, tlen);
		f.raw = s_dup(k, v, vlen);
		add_field_named(k, r, key, klen, name, &f);
	}
	if (words)
		add_text_field(k, r, "text", words);
	free(words);
	if (has_tgid) { /* C17 shape: pid is the thread, tgid the process */
		if (!has_tid)
			r->tid = has_pid ? r->pid : tgid;
		r->pid = tgid;
		has_pid = true;
		has_tid = true;
	}
	if (r->kind != OT_REC_FACT && !has_pid) {
		*reason = "no pid=";
		return -1;
	}
	if (!has_tid)
		r->tid = r->pid;
	return 0;
}

/* The kind of a copy under the canonical name KEY: that name's, as described. */
static unsigned char alias_kind(struct sink *k, const struct ot_record *r, const char *key)
{
	const struct ot_func_kinds *fk = ot_kinds_func(k->kinds, r->func, strlen(r->func));

	return (unsigned char)ot_kinds_field(k->kinds, fk, r->kind == OT_REC_RET, key, strlen(key));
}

/* The fields add_aliases reads, by their place in R (-1: absent), found in one pass. */
enum { A_RET, A_RET_PTR, A_DENTRY, A_DNAME_PTR, A_NAME_PTR, A_QSTR, A_NAME_QSTR, A_QSTR_PTR, A_N };

static void alias_fields(const struct ot_record *r, int at[A_N])
{
	for (int a = 0; a < A_N; a++)
		at[a] = -1;
	for (size_t i = r->nfields; i-- > 0;) { /* the first of a key wins, as ot_rec_field */
		const char *key = r->fields[i].key;
		int a = -1;

		switch (key[0]) {
		case 'r':
			a = !strcmp(key, "ret") ? A_RET : !strcmp(key, "ret_ptr") ? A_RET_PTR : -1;
			break;
		case 'd':
			a = !strcmp(key, "dentry")	? A_DENTRY
			    : !strcmp(key, "dname_ptr") ? A_DNAME_PTR
							: -1;
			break;
		case 'n':
			a = !strcmp(key, "name_ptr")	? A_NAME_PTR
			    : !strcmp(key, "name_qstr") ? A_NAME_QSTR
							: -1;
			break;
		case 'q':
			a = !strcmp(key, "qstr")       ? A_QSTR
			    : !strcmp(key, "qstr_ptr") ? A_QSTR_PTR
						       : -1;
			break;
		}
		if (a >= 0)
			at[a] = (int)i;
	}
}

/* A copy of R's field AT (-1: none) under the canonical name KEY, unless it is text. */
static bool add_alias(struct sink *k, struct ot_record *r, int at, const char *key)
{
	struct ot_field c;

	if (at < 0 || r->fields[at].type == OT_V_STR)
		return false;
	c = r->fields[at];
	c.raw = s_dup(k, c.raw, strlen(c.raw));
	c.s = NULL;
	c.alias = true;
	c.kind = alias_kind(k, r, key);
	add_field(k, r, key, strlen(key), &c);
	return true;
}

/* Canonical names for the seeds' field names (kept beside the originals). */
static void add_aliases(struct sink *k, struct ot_record *r)
{
	int at[A_N];

	if (r->kind != OT_REC_RET && r->kind != OT_REC_ENTRY)
		return;
	alias_fields(r, at);
	if (r->kind == OT_REC_RET && at[A_RET] < 0 && !add_alias(k, r, at[A_RET_PTR], "ret"))
		add_alias(k, r, at[A_DENTRY], "ret");
	if (r->kind == OT_REC_RET && at[A_DNAME_PTR] < 0)
		add_alias(k, r, at[A_NAME_PTR], "dname_ptr");
	if (r->kind == OT_REC_ENTRY && at[A_QSTR] < 0)
		add_alias(k, r, at[A_NAME_QSTR] >= 0 ? at[A_NAME_QSTR] : at[A_QSTR_PTR], "qstr");
}

static int read_func_kind(struct sink *k, struct ot_record *r, const char *name, size_t n)
{
	const char *dot = NULL;

	for (size_t i = 0; i < n; i++)
		if (name[i] == '.')
			dot = name + i;
	if (!dot || dot == name)
		return -1;
	size_t kl = (size_t)(name + n - dot - 1);
	if (kl == 5 && !strncmp(dot + 1, "entry", 5))
		r->kind = OT_REC_ENTRY;
	else if (kl == 3 && !strncmp(dot + 1, "ret", 3))
		r->kind = OT_REC_RET;
	else if (kl == 4 && !strncmp(dot + 1, "fact", 4))
		r->kind = OT_REC_FACT;
	else if (kl == 4 && !strncmp(dot + 1, "line", 4))
		r->kind = OT_REC_LINE;
	else
		return -1;
	r->func = s_name(k, name, r->kind == OT_REC_FACT ? n : (size_t)(dot - name));
	if (r->kind != OT_REC_FACT) {
		/* Records name the function the kernel ran; claims speak of its role. */
		const struct ot_func_kinds *fk = ot_kinds_func(k->kinds, r->func, strlen(r->func));
		const char *role = fk ? ot_func_kinds_role(fk) : NULL;

		k->fk = fk; /* the role's description too: parse_fields asks it */
		k->fk_known = true;

		if (role && strcmp(role, r->func)) {
			r->real = r->func;
			r->func = s_name(k, role, strlen(role));
		}
	}
	return 0;
}

/* The record's kind and function from NAME (N bytes: "FUNC.entry", "NAME.fact", ...):
 * 0, or -1 when it names none. The few names of a log come line after line: each is
 * read once per slot, then found by its text (until a description or a new log). */
static int set_func_kind(struct sink *k, struct ot_record *r, const char *name, size_t n)
{
	struct func_seen *fs = &k->funcs[n ? (n * 31 + (unsigned char)name[n - 1]) % 16 : 0];

	if (k->names && fs->names == k->names && fs->kinds == k->kinds && fs->n == n &&
	    !memcmp(fs->text, name, n)) {
		r->kind = fs->kind;
		r->func = (char *)(uintptr_t)fs->func;
		r->real = (char *)(uintptr_t)fs->real;
		if (r->kind != OT_REC_FACT) {
			k->fk = fs->fk;
			k->fk_known = true;
		}
		return 0;
	}
	if (read_func_kind(k, r, name, n))
		return -1;
	if (k->names) {
		fs->names = k->names;
		fs->kinds = k->kinds;
		fs->text = s_name(k, name, n);
		fs->n = n;
		fs->kind = r->kind;
		fs->func = r->func;
		fs->real = r->real;
		fs->fk = r->kind != OT_REC_FACT ? k->fk : NULL;
	}
	return 0;
}

/* A fact needs at least one key=value besides its words, else it is prose. */
static bool has_key_value(const struct ot_record *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].key, "text"))
			return true;
	return r->pid || r->comm;
}

static int parse_at(struct sink *k, const char *p, unsigned lineno, struct ot_record *rec,
		    const char **reason)
{
	const char *tag;
	size_t taglen;
	double ts = 0;
	bool has_ts = false;
	const char *q;

	if ((q = parse_timestamp(p, &ts))) {
		has_ts = true;
		p = skip_spaces(q);
	}
	q = parse_tag(p, &tag, &taglen);
	if (!q)
		return 0;
	memset(rec, 0, sizeof(*rec));
	k->fk_known = false;
	rec->pooled = k->a != NULL; /* then ot_record_free has nothing to free */
	rec->line = lineno;
	rec->has_ts = has_ts;
	rec->ts = ts;
	rec->tag = s_name_again(k, SEEN_TAG, tag, taglen);
	p = q;

	if (taglen == 14 && !memcmp(tag, "DLOOKUP_REPLAY", 14)) {
		rec->kind = OT_REC_FACT;
		rec->func = s_name(k, tag, taglen);
		rec->shape = s_name(k, "replay", 6);
		if (parse_fields(k, p, rec, 1, reason))
			goto bad;
		return 1;
	}
	if (*p == '[') { /* [C17][func][ENTRY|RET] */
		const char *fn, *kd;
		size_t fnl, kdl;
		const char *r1 = parse_tag(p, &fn, &fnl);
		const char *r2 = r1 ? parse_tag(r1, &kd, &kdl) : NULL;
		if (!r2) {
			*reason = "a [tag][function][ENTRY|RET] line without its kind";
			goto bad;
		}
		if (kdl == 5 && !strncmp(kd, "ENTRY", 5))
			rec->kind = OT_REC_ENTRY;
		else if (kdl == 3 && !strncmp(kd, "RET", 3))
			rec->kind = OT_REC_RET;
		else {
			*reason = "kind is neither ENTRY nor RET";
			goto bad;
		}
		rec->func = s_name(k, fn, fnl);
		rec->shape = s_name(k, "c17", 3);
		if (parse_fields(k, r2, rec, 0, reason))
			goto bad;
		add_aliases(k, rec);
		return 1;
	}
	if (*p != ' ') {
		*reason = "no space after the tag";
		goto bad;
	}
	p = skip_spaces(p);
	const char *name = p;
	while (is_ident((unsigned char)*p))
		p++;
	if ((*p && *p != ' ') || set_func_kind(k, rec, name, (size_t)(p - name))) {
		/* Not a call: another module's "[TAG] text key=value" line is a fact of its
		 * tag (opentrail's own lines must be calls or facts). */
		if (taglen == 9 && !memcmp(tag, "opentrail", 9)) {
			*reason = "no FUNC.entry, FUNC.ret or NAME.fact after the tag";
			goto bad;
		}
		s_free(k, rec->func);
		rec->kind = OT_REC_FACT;
		rec->func = s_name(k, tag, taglen);
		rec->shape = s_name(k, "fact", 4);
		if (parse_fields(k, name, rec, 1, reason))
			goto bad;
		if (!has_key_value(rec)) {
			*reason = "no FUNC.entry, FUNC.ret or NAME.fact after the tag, and no "
				  "key=value of a fact";
			goto bad;
		}
		return 1;
	}
	rec->shape = s_name_again(
	    k, SEEN_SHAPE, taglen == 9 && !memcmp(tag, "opentrail", 9) ? "opentrail" : "seed",
	    taglen == 9 && !memcmp(tag, "opentrail", 9) ? 9 : 4);
	if (parse_fields(k, p, rec, 0, reason))
		goto bad;
	add_aliases(k, rec);
	return 1;
bad:
	ot_record_free(rec);
	return -1;
}

static int parse_line(struct sink *k, const char *line, unsigned lineno, struct ot_record *rec,
		      const char **reason)
{
	const char *p = line;
	int tries = 0;

	*reason = NULL;
	/* Find the record inside prose: try the first few '[' of the line. */
	while ((p = strchr(p, '[')) && tries++ < 4) {
		const char *r = NULL;
		int ret = parse_at(k, p, lineno, rec, &r);
		if (ret != 0) {
			*reason = r;
			return ret;
		}
		p++;
	}
	return 0;
}

int ot_parse_line(const char *line, unsigned lineno, struct ot_record *rec, const char **reason)
{
	struct sink k = {.kinds = ot_kinds_legacy()};
	int r = parse_line(&k, line, lineno, rec, reason);

	free(k.qbuf);
	free(k.esc);
	return r;
}

/* A fact the Markdown report quotes whole (not the run's or the trigger's). */
static bool quoted_fact(const struct ot_record *r)
{
	return r->kind == OT_REC_FACT && r->func && strcmp(r->func, "user.fact") &&
	       strcmp(r->func, "user") && strcmp(r->func, "run.fact") && strcmp(r->func, "run") &&
	       strcmp(r->func, "spec.fact");
}

static void add_warning(struct ot_log *log, unsigned what)
{
	char text[160];

	log->warnings = room_for_one(log->warnings, log->nwarnings, sizeof(*log->warnings));
	snprintf(text, sizeof(text), "%s%s%s%s%s kept escaped as \\xHH",
		 what & ESC_NUL ? "NUL byte" : "",
		 what & ESC_NUL && what & (ESC_CONTROL | ESC_UTF8) ? ", " : "",
		 what & ESC_CONTROL ? "control character" : "",
		 what & ESC_CONTROL && what & ESC_UTF8 ? ", " : "",
		 what & ESC_UTF8 ? "invalid UTF-8" : "");
	log->warnings[log->nwarnings].line = (unsigned)log->nlines;
	log->warnings[log->nwarnings].what = xstrndup(text, strlen(text));
	log->nwarnings++;
}

/* A spec.fact: one probed function described (docs/line-format.md "Descriptions"). */
static bool is_description(const struct ot_record *r)
{
	return r->kind == OT_REC_FACT && r->func && !strcmp(r->func, "spec.fact") &&
	       !strcmp(r->shape, "opentrail");
}

/* From the first description on, the log's values are typed by its descriptions
 * alone; a description without a role describes nothing (and changes nothing). */
static void describe(struct ot_log *log, const struct ot_record *r)
{
	const char *role = ot_rec_str(r, "role");

	if (!role || !*role)
		return;
	if (!log->described)
		log->described = ot_kinds_new();
	ot_kinds_describe(log->described, role, ot_rec_str(r, "names"), ot_rec_str(r, "entry"),
			  ot_rec_str(r, "ret"));
}

/* The parser's buffers, kept from line to line. */
static _Thread_local struct sink log_sink;

/* RAW: LEN bytes, followed by a NUL when TERMINATED (NULs inside are escaped). No
 * STAGING: the record goes into log->recs; otherwise it is left in *OUT, valid until
 * the next line (its texts in STAGING, reset first when RESET, its fields in the
 * scratch array). */
static int add_line_to(struct sink *k, struct ot_log *log, const char *raw, size_t len,
		       bool terminated, struct ot_arena *staging, bool reset, struct ot_record *out)
{
	struct ot_record rec;
	const char *reason;
	unsigned what = 0;
	char *esc = NULL;
	const char *line;

	if (!log->arena) {
		log->arena = ot_arena_new();
		/* an arena freed may come back at the same address */
		memset(k->keys, 0, sizeof(k->keys));
		memset(k->seen, 0, sizeof(k->seen));
		memset(k->funcs, 0, sizeof(k->funcs));
	}
	k->names = log->arena;
	k->kinds = log->described ? log->described : ot_kinds_legacy();
	k->a = staging ? staging : log->arena;
	if (staging && reset)
		ot_arena_reset(staging);
	if (terminated && is_clean(raw, len, "\t"))
		line = raw; /* nothing to escape: read in place */
	else
		line = esc = escape_bytes(raw, len, "\t", &what);
	k->line_clean = true; /* either way */
	log->lines = room_for_one(log->lines, log->nlines, sizeof(*log->lines));
	if (log->nlines >= OT_LOG_KEEP_LINES_MAX || log->ncall_recs > OT_LOG_KEEP_CALL_RECORDS_MAX)
		log->lines_dropped = true;
	log->lines[log->nlines++] = log->lines_dropped ? NULL : ot_arena_strdup(log->arena, line);
	int r = parse_line(k, line, (unsigned)log->nlines, &rec, &reason);
	if (r > 0 && (rec.kind == OT_REC_ENTRY || rec.kind == OT_REC_RET))
		log->ncall_recs++;
	if (r > 0 && !log->lines[log->nlines - 1] && quoted_fact(&rec))
		log->lines[log->nlines - 1] = ot_arena_strdup(log->arena, line);
	bool described = r > 0 && is_description(&rec);

	if (r > 0)
		what |= rec.kept_escapes; /* a quoted \xHH that would cut or break the text */
	if (r > 0 && !described)
		log->nrecs_read++;
	if (described) {
		describe(log, &rec); /* it types the records after it: not a record itself */
		memset(k->funcs, 0, sizeof(k->funcs)); /* read under the kinds before it */
		log->ndescribed++;
		r = 0;
	} else if (r > 0 && !staging) {
		struct ot_field *f =
		    ot_arena_alloc(log->arena, (rec.nfields ? rec.nfields : 1) * sizeof(*f));

		if (rec.nfields)
			memcpy(f, rec.fields, rec.nfields * sizeof(*f));
		rec.fields = f; /* out of the scratch array, into the arena */
		log->recs = room_for_one(log->recs, log->nrecs, sizeof(*log->recs));
		log->recs[log->nrecs++] = rec;
	} else if (r > 0) {
		*out = rec;
	} else if (r < 0) {
		log->unparsed = room_for_one(log->unparsed, log->nunparsed, sizeof(*log->unparsed));
		log->unparsed[log->nunparsed].line = (unsigned)log->nlines;
		log->unparsed[log->nunparsed].text = xstrndup(line, strlen(line));
		log->unparsed[log->nunparsed].reason = xstrndup(reason, strlen(reason));
		log->nunparsed++;
	} else if (!described) {
		log->nprose++;
	}
	if (what)
		add_warning(log, what);
	free(esc);
	return r;
}

static int add_line(struct ot_log *log, const char *raw, size_t len, bool terminated)
{
	return add_line_to(&log_sink, log, raw, len, terminated, NULL, false, NULL);
}

int ot_log_add_line(struct ot_log *log, const char *line)
{
	return add_line(log, line, strlen(line), true);
}

int ot_log_reader_open(struct ot_log_reader *rd, const char *path, struct ot_log *log)
{
	memset(rd, 0, sizeof(*rd));
	rd->f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!rd->f)
		return -1;
	rd->sink = calloc(1, sizeof(*rd->sink)); /* its own: it may read on another thread */
	if (!rd->sink)
		abort();
	memset(log, 0, sizeof(*log));
	log->name = xstrndup(path, strlen(path));
	return 0;
}

int ot_log_reader_next(struct ot_log_reader *rd, struct ot_log *log, bool keep,
		       const struct ot_record **rec)
{
	ssize_t n = getline(&rd->buf, &rd->cap, rd->f);
	size_t before = log->nrecs;
	int r;

	*rec = NULL;
	if (n < 0)
		return ferror(rd->f) ? -1 : 0;
	while (n > 0 && (rd->buf[n - 1] == '\n' || rd->buf[n - 1] == '\r'))
		rd->buf[--n] = '\0';
	if (keep) {
		r = add_line_to(rd->sink, log, rd->buf, (size_t)n, true, NULL, false, NULL);
		if (r > 0 && log->nrecs > before)
			*rec = &log->recs[log->nrecs - 1];
		return 1;
	}
	if (!rd->texts && !rd->staging)
		rd->staging = ot_arena_new();
	r = add_line_to(rd->sink, log, rd->buf, (size_t)n, true,
			rd->texts ? rd->texts : rd->staging, !rd->texts, &rd->rec);
	if (r > 0 && rd->texts) { /* the fields out of the scratch array too */
		struct ot_field *f =
		    ot_arena_alloc(rd->texts, (rd->rec.nfields ? rd->rec.nfields : 1) * sizeof(*f));

		if (rd->rec.nfields)
			memcpy(f, rd->rec.fields, rd->rec.nfields * sizeof(*f));
		rd->rec.fields = f;
	}
	if (r > 0)
		*rec = &rd->rec;
	return 1;
}

int ot_log_reader_close(struct ot_log_reader *rd)
{
	int err = rd->f && ferror(rd->f) ? errno : 0;

	if (rd->f && rd->f != stdin)
		fclose(rd->f);
	free(rd->buf);
	ot_arena_free(rd->staging);
	if (rd->sink) {
		free(rd->sink->scratch);
		free(rd->sink->qbuf);
		free(rd->sink->esc);
		free(rd->sink);
	}
	memset(rd, 0, sizeof(*rd));
	errno = err;
	return err ? -1 : 0;
}

int ot_log_read_stream(FILE *f, const char *name, struct ot_log *log)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	memset(log, 0, sizeof(*log));
	log->name = xstrndup(name, strlen(name));
	while ((n = getline(&buf, &cap, f)) >= 0) {
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		add_line(log, buf, (size_t)n, true); /* NUL bytes included */
	}
	free(buf);
	if (ferror(f)) {
		int e = errno;
		ot_log_free(log);
		errno = e;
		return -1;
	}
	return 0;
}

int ot_log_read_file(const char *path, struct ot_log *log)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;

	if (!f)
		return -1;
	int r = ot_log_read_stream(f, path, log);
	if (f != stdin) {
		int e = errno;
		fclose(f);
		errno = e;
	}
	return r;
}
