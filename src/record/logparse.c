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
	/* the record's function as described, once set_func_kind has looked it up */
	const struct ot_func_kinds *fk;
	bool fk_known;
};

static char *s_dup(struct sink *k, const char *s, size_t n)
{
	return k->a ? ot_arena_strndup(k->a, s, n) : xstrndup(s, n);
}

static char *s_name(struct sink *k, const char *s, size_t n)
{
	return k->names ? (char *)(uintptr_t)ot_arena_intern_n(k->names, s, n) : xstrndup(s, n);
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

/* Unescape a quoted string starting after the opening quote into *OUT (*OUTLEN bytes,
 * valid until the next quoted value). Bytes that would cut the string or break UTF-8
 * stay escaped (*WHAT says which). */
static const char *parse_quoted(struct sink *k, const char *p, const char **out, size_t *outlen,
				unsigned *what)
{
	size_t n = 0;

	while (*p && *p != '"') {
		char c = *p++;

		if (c == '\\') {
			char e = *p++;

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
				if (isxdigit((unsigned char)p[0]) &&
				    isxdigit((unsigned char)p[1])) {
					char hx[3] = {p[0], p[1], 0};
					c = (char)strtol(hx, NULL, 16);
					p += 2;
					break;
				}
				return NULL;
			default:
				return NULL;
			}
		}
		q_put(k, n++, c);
	}
	if (*p != '"')
		return NULL;
	q_put(k, n, '\0');
	free(k->esc);
	k->esc = NULL;
	if (is_clean(k->qbuf, n, "\n\t")) {
		*out = k->qbuf;
		*outlen = n;
	} else {
		k->esc = escape_bytes(k->qbuf, n, "\n\t", what);
		*out = k->esc;
		*outlen = strlen(k->esc);
	}
	return p + 1;
}

static int all_of(const char *s, size_t n, int (*pred)(int))
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A hex digit's value + 1 (0: not a hex digit). */
static const unsigned char hex_byte[256] = {
    ['0'] = 1,	['1'] = 2,  ['2'] = 3,	['3'] = 4,  ['4'] = 5,	['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hex_digit(int c)
{
	return (int)hex_byte[(unsigned char)c] - 1;
}

static int is_hex(int c)
{
	return hex_digit(c) >= 0;
}

static int is_dec(int c)
{
	return c >= '0' && c <= '9';
}

/* The N hex digits at S; past 64 bits, all ones (as strtoull saturates). */
static uint64_t hex_value(const char *s, size_t n)
{
	uint64_t v = 0;
	bool over = false;

	for (size_t i = 0; i < n; i++) {
		over |= (v >> 60) != 0;
		v = v << 4 | (uint64_t)hex_digit((unsigned char)s[i]);
	}
	return over ? UINT64_MAX : v;
}

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

/* Classify the bare value V (N bytes, ending at a space, tab or NUL) of a field of
 * KIND (OT_FK_UNKNOWN when not described): a string is text whatever it looks like,
 * a pointer is hex even when its digits are all decimal, and a word of 8 or more
 * hex digits that is not decimal is hex. A string's text is set by the caller.
 * Numbers read as strtoull/strtoll would (saturating), without their cost. */
static void classify_bare(struct ot_field *f, const char *v, size_t n, enum ot_field_kind kind)
{
	const char *digits = v[0] == '-' ? v + 1 : v;
	size_t nd = n - (size_t)(digits - v);
	bool over;

	if (kind == OT_FK_STR) {
		f->type = OT_V_STR;
	} else if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') &&
		   all_of(v + 2, n - 2, is_hex)) {
		f->type = OT_V_HEX;
		f->u = hex_value(v + 2, n - 2);
	} else if (n == 16 && all_of(v, n, is_hex)) {
		f->type = OT_V_HEX; /* a machine word as the kernel prints %lx / %016lx */
		f->u = hex_value(v, n);
	} else if (all_of(digits, nd, is_dec) && kind != OT_FK_PTR) {
		uint64_t u = dec_value(digits, nd, &over);

		f->type = OT_V_INT;
		if (v[0] != '-')
			f->u = over ? UINT64_MAX : u;
		else if (over || u > (uint64_t)INT64_MAX + 1)
			f->i = INT64_MIN;
		else
			f->i = (int64_t)(0 - u);
	} else if (all_of(v, n, is_hex) && (kind == OT_FK_PTR || n >= 8)) {
		f->type = OT_V_HEX;
		f->u = hex_value(v, n);
	} else {
		f->type = OT_V_STR;
	}
}

static void add_field(struct sink *k, struct ot_record *r, const char *key, size_t keylen,
		      struct ot_field *f)
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
	f->key = s_name(k, key, keylen);
	r->fields[r->nfields++] = *f;
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
		const char *v = p, *text;
		size_t vlen, tlen;
		bool is_comm = klen == 4 && !strncmp(key, "comm", 4);
		enum ot_field_kind kind =
		    is_comm ? OT_FK_STR
			    : ot_kinds_field(k->kinds, fk, r->kind == OT_REC_RET, key, klen);

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
			while (*p && *p != ' ' && *p != '\t')
				p++;
			text = v;
			tlen = (size_t)(p - v);
			classify_bare(&f, v, tlen, kind);
		}
		vlen = (size_t)(p - v);
		/* Header fields. */
		if ((klen == 3 && !strncmp(key, "pid", 3)) ||
		    (klen == 3 && !strncmp(key, "tid", 3)) ||
		    (klen == 4 && !strncmp(key, "tgid", 4))) {
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
			r->comm = s_name(k, text, tlen);
			continue;
		}
		if (klen == 2 && !strncmp(key, "ts", 2) && f.type == OT_V_INT) {
			r->has_ts = true; /* a header field, like pid: not an argument */
			r->ts = (double)f.u / 1e9;
			continue;
		}
		if (f.type == OT_V_STR)
			f.s = s_dup(k, text, tlen);
		f.raw = s_dup(k, v, vlen);
		add_field(k, r, key, klen, &f);
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

/* Canonical names for the seeds' field names (kept beside the originals). */
static void add_aliases(struct sink *k, struct ot_record *r)
{
	static const char *const ret_alias[] = {"ret_ptr", "dentry", NULL};

	if (r->kind == OT_REC_RET && !ot_rec_field(r, "ret")) {
		for (int i = 0; ret_alias[i]; i++) {
			const struct ot_field *f = ot_rec_field(r, ret_alias[i]);
			if (f && f->type != OT_V_STR) {
				struct ot_field c = *f;
				c.raw = s_dup(k, f->raw, strlen(f->raw));
				c.s = NULL;
				c.alias = true;
				c.kind = alias_kind(k, r, "ret");
				add_field(k, r, "ret", 3, &c);
				break;
			}
		}
	}
	if (r->kind == OT_REC_RET && !ot_rec_field(r, "dname_ptr")) {
		const struct ot_field *f = ot_rec_field(r, "name_ptr");
		if (f && f->type != OT_V_STR) {
			struct ot_field c = *f;
			c.raw = s_dup(k, f->raw, strlen(f->raw));
			c.s = NULL;
			c.alias = true;
			c.kind = alias_kind(k, r, "dname_ptr");
			add_field(k, r, "dname_ptr", 9, &c);
		}
	}
	if (r->kind == OT_REC_ENTRY && !ot_rec_field(r, "qstr")) {
		const struct ot_field *f = ot_rec_field(r, "name_qstr");
		if (!f)
			f = ot_rec_field(r, "qstr_ptr");
		if (f && f->type != OT_V_STR) {
			struct ot_field c = *f;
			c.raw = s_dup(k, f->raw, strlen(f->raw));
			c.s = NULL;
			c.alias = true;
			c.kind = alias_kind(k, r, "qstr");
			add_field(k, r, "qstr", 4, &c);
		}
	}
}

static int set_func_kind(struct sink *k, struct ot_record *r, const char *name, size_t n)
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
	rec->tag = s_name(k, tag, taglen);
	p = q;

	if (taglen == 14 && !strncmp(tag, "DLOOKUP_REPLAY", 14)) {
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
		if (taglen == 9 && !strncmp(tag, "opentrail", 9)) {
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
	rec->shape = s_name(k, taglen == 9 && !strncmp(tag, "opentrail", 9) ? "opentrail" : "seed",
			    taglen == 9 && !strncmp(tag, "opentrail", 9) ? 9 : 4);
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

/* RAW: LEN bytes, followed by a NUL when TERMINATED (NULs inside are escaped). KEEP:
 * the record goes into log->recs; otherwise it is left in *OUT, valid until the next
 * line (its texts in the reader's STAGING arena, its fields in the scratch array). */
static int add_line_to(struct sink *k, struct ot_log *log, const char *raw, size_t len,
		       bool terminated, struct ot_arena *staging, struct ot_record *out)
{
	struct ot_record rec;
	const char *reason;
	unsigned what = 0;
	char *esc = NULL;
	const char *line;

	if (!log->arena)
		log->arena = ot_arena_new();
	k->names = log->arena;
	k->kinds = log->described ? log->described : ot_kinds_legacy();
	k->a = staging ? staging : log->arena;
	if (staging)
		ot_arena_reset(staging);
	if (terminated && is_clean(raw, len, "\t"))
		line = raw; /* nothing to escape: read in place */
	else
		line = esc = escape_bytes(raw, len, "\t", &what);
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
	return add_line_to(&log_sink, log, raw, len, terminated, NULL, NULL);
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
		r = add_line_to(rd->sink, log, rd->buf, (size_t)n, true, NULL, NULL);
		if (r > 0 && log->nrecs > before)
			*rec = &log->recs[log->nrecs - 1];
		return 1;
	}
	if (!rd->staging)
		rd->staging = ot_arena_new();
	r = add_line_to(rd->sink, log, rd->buf, (size_t)n, true, rd->staging, &rd->rec);
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
