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

#include "probe/spec.h"
#include "record/arena.h"

static char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

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

static int is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

/* Length of the well-formed UTF-8 sequence at S (N bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;

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
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return len;
}

enum { ESC_NUL = 1, ESC_CONTROL = 2, ESC_UTF8 = 4 };

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
		size_t len = utf8_len((const unsigned char *)s + i, n - i);
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

/* Unescape a quoted string starting after the opening quote. Bytes that would
 * cut the string or break UTF-8 stay escaped (*WHAT says which). */
static const char *parse_quoted(const char *p, char **out, unsigned *what)
{
	size_t cap = strlen(p) + 1, n = 0;
	char *s = malloc(cap);

	if (!s)
		abort();
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
				free(s);
				return NULL;
			default:
				free(s);
				return NULL;
			}
		}
		s[n++] = c;
	}
	if (*p != '"') {
		free(s);
		return NULL;
	}
	*out = escape_bytes(s, n, "\n\t", what);
	free(s);
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

/* Classify a bare value. KIND is the dictionary's kind of this field if known (-1 if not). */
static void classify_bare(struct ot_field *f, int kind)
{
	const char *v = f->raw;
	size_t n = strlen(v);
	const char *digits = v[0] == '-' ? v + 1 : v;

	if (kind == OT_FK_STR) {
		f->type = OT_V_STR;
	} else if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') &&
		   all_of(v + 2, n - 2, isxdigit)) {
		f->type = OT_V_HEX;
		f->u = strtoull(v + 2, NULL, 16);
	} else if (n == 16 && all_of(v, n, isxdigit)) {
		f->type = OT_V_HEX; /* a machine word as the kernel prints %lx / %016lx */
		f->u = strtoull(v, NULL, 16);
	} else if (all_of(digits, strlen(digits), isdigit) && kind != OT_FK_PTR) {
		f->type = OT_V_INT;
		errno = 0;
		if (v[0] == '-') {
			f->i = strtoll(v, NULL, 10);
		} else {
			unsigned long long u = strtoull(v, NULL, 10);
			f->u = u;
		}
	} else if (all_of(v, n, isxdigit) && (kind == OT_FK_PTR || n >= 8)) {
		f->type = OT_V_HEX;
		f->u = strtoull(v, NULL, 16);
	} else {
		f->type = OT_V_STR;
	}
	if (f->type == OT_V_STR)
		f->s = xstrndup(v, n);
}

static void add_field(struct ot_record *r, const char *key, size_t keylen, struct ot_field *f)
{
	struct ot_field *nf = realloc(r->fields, (r->nfields + 1) * sizeof(*nf));

	if (!nf)
		abort();
	r->fields = nf;
	f->key = xstrndup(key, keylen);
	r->fields[r->nfields++] = *f;
}

static void add_text_field(struct ot_record *r, const char *key, const char *text)
{
	struct ot_field f = {0};

	f.type = OT_V_STR;
	f.s = xstrndup(text, strlen(text));
	f.raw = xstrndup(text, strlen(text));
	add_field(r, key, strlen(key), &f);
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
static int parse_fields(const char *p, struct ot_record *r, int allow_words, const char **reason)
{
	char *words = NULL;
	size_t wlen = 0;
	bool has_pid = false, has_tid = false, has_tgid = false;
	uint32_t tgid = 0;

	for (;;) {
		p = skip_spaces(p);
		if (!*p)
			break;
		const char *k = p;
		while (is_ident((unsigned char)*p))
			p++;
		size_t klen = (size_t)(p - k);
		if (*p != '=' || klen == 0) {
			const char *w = k;
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
		if (*p == '"') {
			const char *start = p;
			unsigned what = 0;
			p = parse_quoted(p + 1, &f.s, &what);
			if (!p) {
				*reason = "an unterminated or badly escaped quoted string";
				free(words);
				return -1;
			}
			if (what)
				r->kept_escapes |= what;
			f.type = OT_V_STR;
			f.raw = xstrndup(start, (size_t)(p - start));
		} else {
			const char *v = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			f.raw = xstrndup(v, (size_t)(p - v));
			enum ot_field_kind kind;
			int fk = -1;
			char keybuf[64];
			snprintf(keybuf, sizeof(keybuf), "%.*s", (int)klen, k);
			if (r->func && r->kind != OT_REC_FACT &&
			    ot_probe_field_kind(r->func, r->kind == OT_REC_RET, keybuf, &kind))
				fk = (int)kind;
			if (!strcmp(keybuf, "comm"))
				fk = OT_FK_STR;
			classify_bare(&f, fk);
		}
		/* Header fields. */
		if ((klen == 3 && !strncmp(k, "pid", 3)) || (klen == 3 && !strncmp(k, "tid", 3)) ||
		    (klen == 4 && !strncmp(k, "tgid", 4))) {
			uint32_t v;
			if (header_u32(&f, &v)) {
				*reason = "pid/tid is not a number";
				free(words);
				free(f.s);
				free(f.raw);
				return -1;
			}
			if (k[0] == 'p') {
				r->pid = v;
				has_pid = true;
			} else if (k[1] == 'i') {
				r->tid = v;
				has_tid = true;
			} else {
				tgid = v;
				has_tgid = true;
			}
			free(f.s);
			free(f.raw);
			continue;
		}
		if (klen == 4 && !strncmp(k, "comm", 4)) {
			free(r->comm);
			r->comm = f.type == OT_V_STR ? f.s : xstrndup(f.raw, strlen(f.raw));
			if (f.type != OT_V_STR)
				free(f.s);
			free(f.raw);
			continue;
		}
		if (klen == 2 && !strncmp(k, "ts", 2) && f.type == OT_V_INT) {
			r->has_ts = true; /* a header field, like pid: not an argument */
			r->ts = (double)f.u / 1e9;
			free(f.raw);
			continue;
		}
		add_field(r, k, klen, &f);
	}
	if (words)
		add_text_field(r, "text", words);
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

/* Canonical names for the seeds' field names (kept beside the originals). */
static void add_aliases(struct ot_record *r)
{
	static const char *const ret_alias[] = {"ret_ptr", "dentry", NULL};

	if (r->kind == OT_REC_RET && !ot_rec_field(r, "ret")) {
		for (int i = 0; ret_alias[i]; i++) {
			const struct ot_field *f = ot_rec_field(r, ret_alias[i]);
			if (f && f->type != OT_V_STR) {
				struct ot_field c = *f;
				c.raw = xstrndup(f->raw, strlen(f->raw));
				c.s = NULL;
				c.alias = true;
				add_field(r, "ret", 3, &c);
				break;
			}
		}
	}
	if (r->kind == OT_REC_RET && !ot_rec_field(r, "dname_ptr")) {
		const struct ot_field *f = ot_rec_field(r, "name_ptr");
		if (f && f->type != OT_V_STR) {
			struct ot_field c = *f;
			c.raw = xstrndup(f->raw, strlen(f->raw));
			c.s = NULL;
			c.alias = true;
			add_field(r, "dname_ptr", 9, &c);
		}
	}
	if (r->kind == OT_REC_ENTRY && !ot_rec_field(r, "qstr")) {
		const struct ot_field *f = ot_rec_field(r, "name_qstr");
		if (!f)
			f = ot_rec_field(r, "qstr_ptr");
		if (f && f->type != OT_V_STR) {
			struct ot_field c = *f;
			c.raw = xstrndup(f->raw, strlen(f->raw));
			c.s = NULL;
			c.alias = true;
			add_field(r, "qstr", 4, &c);
		}
	}
}

static int set_func_kind(struct ot_record *r, const char *name, size_t n)
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
	else
		return -1;
	r->func = xstrndup(name, r->kind == OT_REC_FACT ? n : (size_t)(dot - name));
	if (r->kind != OT_REC_FACT) {
		/* Records name the function the kernel ran; claims speak of its role. */
		const char *role = ot_probe_role_of(r->func);

		if (role && strcmp(role, r->func)) {
			r->real = r->func;
			r->func = xstrndup(role, strlen(role));
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

static int parse_at(const char *p, unsigned lineno, struct ot_record *rec, const char **reason)
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
	rec->line = lineno;
	rec->has_ts = has_ts;
	rec->ts = ts;
	rec->tag = xstrndup(tag, taglen);
	p = q;

	if (taglen == 14 && !strncmp(tag, "DLOOKUP_REPLAY", 14)) {
		rec->kind = OT_REC_FACT;
		rec->func = xstrndup(tag, taglen);
		rec->shape = xstrndup("replay", 6);
		if (parse_fields(p, rec, 1, reason))
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
		rec->func = xstrndup(fn, fnl);
		rec->shape = xstrndup("c17", 3);
		if (parse_fields(r2, rec, 0, reason))
			goto bad;
		add_aliases(rec);
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
	if ((*p && *p != ' ') || set_func_kind(rec, name, (size_t)(p - name))) {
		/* Not a call: another module's "[TAG] text key=value" line is a fact of its
		 * tag (opentrail's own lines must be calls or facts). */
		if (taglen == 9 && !strncmp(tag, "opentrail", 9)) {
			*reason = "no FUNC.entry, FUNC.ret or NAME.fact after the tag";
			goto bad;
		}
		free(rec->func);
		rec->kind = OT_REC_FACT;
		rec->func = xstrndup(tag, taglen);
		rec->shape = xstrndup("fact", 4);
		if (parse_fields(name, rec, 1, reason))
			goto bad;
		if (!has_key_value(rec)) {
			*reason = "no FUNC.entry, FUNC.ret or NAME.fact after the tag, and no "
				  "key=value of a fact";
			goto bad;
		}
		return 1;
	}
	rec->shape = xstrndup(taglen == 9 && !strncmp(tag, "opentrail", 9) ? "opentrail" : "seed",
			      taglen == 9 && !strncmp(tag, "opentrail", 9) ? 9 : 4);
	if (parse_fields(p, rec, 0, reason))
		goto bad;
	add_aliases(rec);
	return 1;
bad:
	ot_record_free(rec);
	return -1;
}

int ot_parse_line(const char *line, unsigned lineno, struct ot_record *rec, const char **reason)
{
	const char *p = line;
	int tries = 0;

	*reason = NULL;
	/* Find the record inside prose: try the first few '[' of the line. */
	while ((p = strchr(p, '[')) && tries++ < 4) {
		const char *r = NULL;
		int ret = parse_at(p, lineno, rec, &r);
		if (ret != 0) {
			*reason = r;
			return ret;
		}
		p++;
	}
	return 0;
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

/* Moves a parsed record's text into the log's arena, repeated texts shared. */
static char *pool_text(struct ot_arena *a, char *s, bool intern)
{
	char *p = intern ? (char *)ot_arena_intern(a, s) : ot_arena_strdup(a, s);

	free(s);
	return p;
}

static void pool_record(struct ot_arena *a, struct ot_record *r)
{
	struct ot_field *f = ot_arena_alloc(a, (r->nfields ? r->nfields : 1) * sizeof(*f));

	for (size_t i = 0; i < r->nfields; i++) {
		f[i] = r->fields[i];
		f[i].key = pool_text(a, f[i].key, true);
		f[i].s = pool_text(a, f[i].s, false);
		f[i].raw = pool_text(a, f[i].raw, false);
	}
	free(r->fields);
	r->fields = f;
	r->func = pool_text(a, r->func, true);
	r->real = pool_text(a, r->real, true);
	r->tag = pool_text(a, r->tag, true);
	r->shape = pool_text(a, r->shape, true);
	r->comm = pool_text(a, r->comm, true);
	r->pooled = true;
}

/* A fact the Markdown report quotes whole (not the run's or the trigger's). */
static bool quoted_fact(const struct ot_record *r)
{
	return r->kind == OT_REC_FACT && r->func && strcmp(r->func, "user.fact") &&
	       strcmp(r->func, "user") && strcmp(r->func, "run.fact") && strcmp(r->func, "run");
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

static int add_line(struct ot_log *log, const char *raw, size_t len)
{
	struct ot_record rec;
	const char *reason;
	unsigned what = 0;
	char *esc = escape_bytes(raw, len, "\t", &what);
	const char *line;

	if (!log->arena)
		log->arena = ot_arena_new();
	log->lines = room_for_one(log->lines, log->nlines, sizeof(*log->lines));
	if (log->nlines >= OT_LOG_KEEP_LINES_MAX || log->ncall_recs > OT_LOG_KEEP_CALL_RECORDS_MAX)
		log->lines_dropped = true;
	line = esc;
	log->lines[log->nlines++] = log->lines_dropped ? NULL : ot_arena_strdup(log->arena, esc);
	int r = ot_parse_line(line, (unsigned)log->nlines, &rec, &reason);
	if (r > 0 && rec.kind != OT_REC_FACT)
		log->ncall_recs++;
	if (r > 0 && !log->lines[log->nlines - 1] && quoted_fact(&rec))
		log->lines[log->nlines - 1] = ot_arena_strdup(log->arena, esc);
	if (r > 0) {
		what |= rec.kept_escapes; /* a quoted \xHH that would cut or break the text */
		pool_record(log->arena, &rec);
		log->recs = room_for_one(log->recs, log->nrecs, sizeof(*log->recs));
		log->recs[log->nrecs++] = rec;
	} else if (r < 0) {
		log->unparsed = room_for_one(log->unparsed, log->nunparsed, sizeof(*log->unparsed));
		log->unparsed[log->nunparsed].line = (unsigned)log->nlines;
		log->unparsed[log->nunparsed].text = xstrndup(line, strlen(line));
		log->unparsed[log->nunparsed].reason = xstrndup(reason, strlen(reason));
		log->nunparsed++;
	} else {
		log->nprose++;
	}
	if (what)
		add_warning(log, what);
	free(esc);
	return r;
}

int ot_log_add_line(struct ot_log *log, const char *line)
{
	return add_line(log, line, strlen(line));
}

int ot_log_add_bytes(struct ot_log *log, const char *line, size_t len)
{
	return add_line(log, line, len);
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
		add_line(log, buf, (size_t)n); /* NUL bytes included */
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
