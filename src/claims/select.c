// SPDX-License-Identifier: MIT
#include "claims/select.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"
#include "srcmap/srcinfo.h"

static int parse_int(const char **p, int *out)
{
	char *end;
	long v = strtol(*p, &end, 10);

	if (end == *p)
		return -1;
	*out = (int)v;
	*p = end;
	return 0;
}

static int parse_ordinal(const char **p, int *out)
{
	if (!strncmp(*p, "last", 4)) {
		*out = -1;
		*p += 4;
		return 0;
	}
	return parse_int(p, out) || *out <= 0 ? -1 : 0;
}

static int parse_scope(const char *p, struct ot_scope *s, char *err, size_t errsz)
{
	memset(s, 0, sizeof(*s));
	if (strncmp(p, "op", 2) != 0)
		goto bad;
	p += 2;
	s->op = true;
	if (*p == '[') {
		const char *end = strchr(p, ']');
		if (!end || (size_t)(end - p - 1) >= sizeof(s->has))
			goto bad;
		snprintf(s->has, sizeof(s->has), "%.*s", (int)(end - p - 1), p + 1);
		p = end + 1;
	}
	if (*p++ != '#' || parse_ordinal(&p, &s->n))
		goto bad;
	if (*p == '+') {
		p++;
		if (parse_int(&p, &s->plus) || s->plus <= 0)
			goto bad;
	}
	if (*p)
		goto bad;
	return 0;
bad:
	snprintf(err, errsz, "bad scope (want op#N, op#last, op[FUNC]#N or op[FUNC]#N+K)");
	return -1;
}

int ot_sel_parse(const char *text, struct ot_sel *sel, char *err, size_t errsz)
{
	const char *p = text;
	size_t n = 0;

	memset(sel, 0, sizeof(*sel));
	/* FUNC, or FUNC|FUNC...: any of these roles (a kernel that releases a file
	 * with fput_close where an older one calls fput). */
	while (isalnum((unsigned char)p[n]) || p[n] == '_' || (p[n] == '|' && n && p[n + 1] != '|'))
		n++;
	if (n == 0 || n >= sizeof(sel->func)) {
		snprintf(err, errsz, "selector '%s' does not start with a function name", text);
		return -1;
	}
	memcpy(sel->func, p, n);
	p += n;
	if (!strncmp(p, ".entry", 6)) {
		p += 6;
	} else if (!strncmp(p, ".ret", 4)) {
		sel->ret = true;
		p += 4;
	}
	if (*p == '{') {
		p++;
		while (*p && *p != '}') {
			if (sel->nfilt == OT_SEL_MAX_FILTERS)
				goto bad;
			const char *eq = strchr(p, '=');
			if (!eq)
				goto bad;
			snprintf(sel->filt[sel->nfilt].key, sizeof(sel->filt[0].key), "%.*s",
				 (int)(eq - p), p);
			p = eq + 1;
			const char *end;
			if (*p == '"') {
				end = strchr(p + 1, '"');
				if (!end)
					goto bad;
				snprintf(sel->filt[sel->nfilt].val, sizeof(sel->filt[0].val),
					 "%.*s", (int)(end - p - 1), p + 1);
				end++;
			} else {
				end = p + strcspn(p, ",}");
				snprintf(sel->filt[sel->nfilt].val, sizeof(sel->filt[0].val),
					 "%.*s", (int)(end - p), p);
			}
			sel->nfilt++;
			p = end;
			if (*p == ',')
				p++;
		}
		if (*p++ != '}')
			goto bad;
	}
	if (*p == '#') {
		p++;
		if (parse_ordinal(&p, &sel->nth))
			goto bad;
	}
	if (*p == ':') {
		p++;
		n = strcspn(p, "@");
		if (n == 0 || n >= sizeof(sel->field))
			goto bad;
		memcpy(sel->field, p, n);
		p += n;
	}
	if (*p == '@')
		return parse_scope(p + 1, &sel->scope, err, errsz);
	if (*p)
		goto bad;
	return 0;
bad:
	snprintf(err, errsz,
		 "bad selector '%s' (want FUNC[.entry|.ret][{k=v}][#N][:FIELD][@SCOPE])", text);
	return -1;
}

/* Does call K name FUNC: traced as FUNC, or FUNC a frame of K's call site (an inlined
 * function)? */
static bool call_names(const struct ot_trace *t, const struct ot_call *k, const char *func)
{
	const struct ot_call_src *cs = ot_call_src_of(t, k);

	if (!strcmp(k->func, func))
		return true;
	for (size_t j = 0; cs && j < cs->nframes; j++)
		if (!strcmp(cs->frames[j].func, func))
			return true;
	return false;
}

/* BELOW[i]: how many of the first I calls of the pre-order name FUNC. A subtree is a
 * range of the pre-order, so whether FUNC ran below a call is one subtraction, whatever
 * the nesting depth (a scan of every subtree is quadratic in a deep one). */
static size_t *count_below(const struct ot_trace *t, const char *func)
{
	size_t *below = malloc((t->ncalls + 1) * sizeof(*below));

	if (!below)
		abort();
	below[0] = 0;
	for (size_t i = 0; i < t->ncalls; i++)
		below[i + 1] = below[i] + call_names(t, t->preorder[i], func);
	return below;
}

/* Did FUNC run inside C: C traced as FUNC, or a call below C naming it (C's own call
 * site is outside C)? */
static bool has_call_of(const size_t *below, const struct ot_call *c, const char *func)
{
	return !strcmp(c->func, func) || below[c->last + 1] > below[c->pre + 1];
}

/* The operation a scope names, or NULL. */
static const struct ot_call *scope_op(const struct ot_trace *t, const char *anchor,
				      const struct ot_scope *s)
{
	const struct ot_call **ops = calloc(t->ncalls + 1, sizeof(*ops));
	size_t nops = 0, found = (size_t)-1, nmatch = 0;
	const struct ot_call *res = NULL;
	size_t *below = s->has[0] ? count_below(t, s->has) : NULL;

	if (!ops)
		abort();
	for (size_t i = 0; i < t->ncalls; i++)
		if (!strcmp(t->calls[i]->func, anchor))
			ops[nops++] = t->calls[i];
	for (size_t i = 0; i < nops; i++) {
		if (below && !has_call_of(below, ops[i], s->has))
			continue;
		nmatch++;
		if (s->n > 0 && nmatch == (size_t)s->n) {
			found = i;
			break;
		}
		if (s->n < 0)
			found = i;
	}
	if (found != (size_t)-1 && found + (size_t)s->plus < nops)
		res = ops[found + (size_t)s->plus];
	free(below);
	free(ops);
	return res;
}

static const struct ot_field *call_field(const struct ot_call *c, bool ret_first, const char *key)
{
	const struct ot_record *a = ret_first ? c->ret : c->entry;
	const struct ot_record *b = ret_first ? c->entry : c->ret;
	const struct ot_field *f = a ? ot_rec_field(a, key) : NULL;

	return f ? f : b ? ot_rec_field(b, key) : NULL;
}

static bool field_matches(const struct ot_field *f, const char *want)
{
	if (f->type == OT_V_STR)
		return !strcmp(f->s, want);
	if (!strcmp(f->raw, want))
		return true;
	char *end;
	unsigned long long v = strtoull(want, &end, 0);
	return *end == '\0' && v == f->u;
}

static bool filters_match(const struct ot_call *c, const struct ot_sel *sel)
{
	for (int i = 0; i < sel->nfilt; i++) {
		const struct ot_field *f = call_field(c, sel->ret, sel->filt[i].key);
		if (!f || !field_matches(f, sel->filt[i].val))
			return false;
	}
	return true;
}

static void push_event(struct ot_events *out, const struct ot_call *c, const struct ot_record *r)
{
	struct ot_event *ne = realloc(out->ev, (out->n + 1) * sizeof(*ne));

	if (!ne)
		abort();
	out->ev = ne;
	out->ev[out->n++] = (struct ot_event){c, r, r->line};
}

static void scope_text(const struct ot_scope *s, char *buf, size_t sz)
{
	char n[16];

	if (s->n < 0)
		snprintf(n, sizeof(n), "last");
	else
		snprintf(n, sizeof(n), "%d", s->n);
	if (s->has[0])
		snprintf(buf, sz, "op[%s]#%s", s->has, n);
	else
		snprintf(buf, sz, "op#%s", n);
	if (s->plus) {
		size_t l = strlen(buf);
		snprintf(buf + l, sz - l, "+%d", s->plus);
	}
}

bool ot_scope_same(const struct ot_scope *a, const struct ot_scope *b)
{
	return a->op == b->op && a->n == b->n && a->plus == b->plus && !strcmp(a->has, b->has);
}

bool ot_sel_takes(const struct ot_sel *sel, const struct ot_call *c)
{
	return ot_func_is(c->func, sel->func) && (sel->ret ? c->ret : c->entry) &&
	       filters_match(c, sel);
}

static const struct ot_op_pick *pick_of(const struct ot_op_picks *picks, const struct ot_scope *s)
{
	for (size_t i = 0; picks && i < picks->n; i++)
		if (ot_scope_same(&picks->v[i].scope, s))
			return &picks->v[i];
	return NULL;
}

void ot_sel_events(const struct ot_trace *t, const char *anchor, const struct ot_op_picks *picks,
		   const struct ot_sel *sel, struct ot_events *out)
{
	const struct ot_call *op = NULL;
	const struct ot_op_pick *pick;
	size_t seen = 0;

	memset(out, 0, sizeof(*out));
	if (sel->scope.op) {
		pick = pick_of(picks, &sel->scope);
		op = pick ? pick->op : scope_op(t, anchor ? anchor : "do_filp_open", &sel->scope);
		if (!op) {
			char s[96];
			scope_text(&sel->scope, s, sizeof(s));
			out->scope_missing = true;
			snprintf(out->why, sizeof(out->why), "the trace has no %s (%s calls)", s,
				 anchor ? anchor : "do_filp_open");
			return;
		}
		out->op = op;
	}
	for (size_t i = 0; i < t->ncalls; i++) {
		const struct ot_call *c = t->calls[i];
		const struct ot_record *r = sel->ret ? c->ret : c->entry;

		if (!ot_func_is(c->func, sel->func) || !r)
			continue;
		if (op && !ot_call_within(c, op))
			continue;
		if (!filters_match(c, sel))
			continue;
		seen++;
		if (sel->nth > 0 && seen != (size_t)sel->nth)
			continue;
		if (sel->nth < 0) {
			out->n = 0;
		}
		push_event(out, c, r);
	}
}

void ot_events_free(struct ot_events *e)
{
	free(e->ev);
	memset(e, 0, sizeof(*e));
}

bool ot_event_num(const struct ot_event *e, const char *field, int64_t *out)
{
	const struct ot_field *f = ot_rec_field(e->rec, field);
	enum ot_field_kind kind;

	if (!f)
		f = call_field(e->call, e->rec == e->call->ret, field);
	if (!f || f->type == OT_V_STR)
		return false;
	*out = (int64_t)f->u;
	if (ot_probe_field_kind(e->call->func, e->rec == e->call->ret, field, &kind) &&
	    kind == OT_FK_INT32 && f->u <= UINT32_MAX)
		*out = (int32_t)(uint32_t)f->u;
	return true;
}

const char *ot_event_text(const struct ot_event *e, const char *field)
{
	const struct ot_field *f = ot_rec_field(e->rec, field);

	if (!f)
		f = call_field(e->call, e->rec == e->call->ret, field);
	if (!f)
		return NULL;
	return f->type == OT_V_STR ? f->s : f->raw;
}
