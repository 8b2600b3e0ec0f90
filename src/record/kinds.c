// SPDX-License-Identifier: MIT
/* Field kinds and function descriptions (see kinds.h). */
#include "record/kinds.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/hashmap.h"

/* The probe spec has at most 10 fields a record; a description may hold a few more. */
#define KINDS_MAX 16
#define ANY_MAX	  8

struct kind_of {
	const char *key;
	size_t klen;
	enum ot_field_kind kind;
};

struct ot_func_kinds {
	const char *role;
	struct kind_of entry[KINDS_MAX], ret[KINDS_MAX];
	size_t nentry, nret;
};

struct ot_kinds {
	struct ot_func_kinds **funcs;
	size_t nfuncs;
	struct ot_map by_name; /* name -> index << 1 | (1 when the name is the role) */
	struct kind_of any[ANY_MAX];
	size_t nany;
	struct ot_arena *text;
};

static const char *const kind_names[OT_FK_COUNT] = {
    [OT_FK_UNKNOWN] = NULL,	 [OT_FK_PTR] = "ptr",	    [OT_FK_INT32] = "int32",
    [OT_FK_DFD] = "dfd",	 [OT_FK_UINT] = "uint",	    [OT_FK_MASK] = "mask",
    [OT_FK_STR] = "str",	 [OT_FK_ERRPTR] = "errptr", [OT_FK_ERRINT] = "errint",
    [OT_FK_ERRLONG] = "errlong", [OT_FK_VOID] = "void",
};

const char *ot_field_kind_name(enum ot_field_kind k)
{
	return k < OT_FK_COUNT ? kind_names[k] : NULL;
}

bool ot_field_kind_parse(const char *s, size_t n, enum ot_field_kind *k)
{
	for (size_t i = 0; i < OT_FK_COUNT; i++)
		if (kind_names[i] && strlen(kind_names[i]) == n && !memcmp(kind_names[i], s, n)) {
			*k = (enum ot_field_kind)i;
			return true;
		}
	return false;
}

struct ot_kinds *ot_kinds_new(void)
{
	struct ot_kinds *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->text = ot_arena_new();
	return t;
}

void ot_kinds_free(struct ot_kinds *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nfuncs; i++)
		free(t->funcs[i]);
	free(t->funcs);
	ot_map_free(&t->by_name);
	ot_arena_free(t->text);
	free(t);
}

/* "key:kind key:kind ..." into KO (at most KINDS_MAX); -1 at a word that is not one. */
static int parse_list(struct ot_kinds *t, const char *s, struct kind_of *ko, size_t *n)
{
	while (s && *s) {
		const char *w = s, *colon;
		enum ot_field_kind k;

		while (*s && *s != ' ')
			s++;
		colon = memchr(w, ':', (size_t)(s - w));
		if (s == w) {
			s++;
			continue;
		}
		if (!colon || colon == w ||
		    !ot_field_kind_parse(colon + 1, (size_t)(s - colon - 1), &k))
			return -1;
		if (*n < KINDS_MAX) {
			ko[*n].klen = (size_t)(colon - w);
			ko[*n].key = ot_arena_intern_n(t->text, w, ko[*n].klen);
			ko[*n].kind = k;
			(*n)++;
		}
	}
	return 0;
}

static void add_name(struct ot_kinds *t, const char *name, size_t n, size_t at, bool is_role)
{
	bool added;
	size_t *v;

	if (!n)
		return;
	v = ot_map_get(&t->by_name, name, n, &added);
	if (added || (is_role && !(*v & 1)))
		*v = at << 1 | (is_role ? 1 : 0);
}

int ot_kinds_describe(struct ot_kinds *t, const char *role, const char *names, const char *entry,
		      const char *ret)
{
	struct ot_func_kinds *fk = calloc(1, sizeof(*fk));
	size_t at = t->nfuncs;
	int bad;

	if (!fk)
		abort();
	fk->role = ot_arena_strdup(t->text, role);
	bad = parse_list(t, entry, fk->entry, &fk->nentry);
	bad |= parse_list(t, ret, fk->ret, &fk->nret);
	if (!(t->nfuncs & (t->nfuncs - 1))) { /* at powers of two */
		t->funcs = realloc(t->funcs, (t->nfuncs ? 2 * t->nfuncs : 1) * sizeof(*t->funcs));
		if (!t->funcs)
			abort();
	}
	t->funcs[t->nfuncs++] = fk;
	add_name(t, role, strlen(role), at, true);
	for (const char *p = names; p && *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		add_name(t, p, n, at, false);
		p += n + (e ? 1 : 0);
	}
	return bad ? -1 : 0;
}

void ot_kinds_describe_any(struct ot_kinds *t, const char *key, enum ot_field_kind k)
{
	if (t->nany == ANY_MAX)
		return;
	t->any[t->nany].klen = strlen(key);
	t->any[t->nany].key = ot_arena_intern_n(t->text, key, t->any[t->nany].klen);
	t->any[t->nany++].kind = k;
}

const struct ot_func_kinds *ot_kinds_func(const struct ot_kinds *t, const char *name, size_t n)
{
	const size_t *v = t ? ot_map_find(&t->by_name, name, n) : NULL;

	return v ? t->funcs[*v >> 1] : NULL;
}

const char *ot_func_kinds_role(const struct ot_func_kinds *fk)
{
	return fk->role;
}

static const struct kind_of *find(const struct kind_of *ko, size_t n, const char *key, size_t klen)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		if (ko[i].klen != klen)
			continue;
		while (j < klen && ko[i].key[j] == key[j]) /* keys are short: no call */
			j++;
		if (j == klen)
			return &ko[i];
	}
	return NULL;
}

enum ot_field_kind ot_kinds_field_named(const struct ot_kinds *t, const struct ot_func_kinds *fk,
					bool is_ret, const char *key, size_t klen,
					const char **name)
{
	const struct kind_of *k = NULL;

	if (fk)
		k = is_ret ? find(fk->ret, fk->nret, key, klen)
			   : find(fk->entry, fk->nentry, key, klen);
	if ((!k || k->kind == OT_FK_UNKNOWN) && t)
		k = find(t->any, t->nany, key, klen);
	*name = k ? k->key : NULL;
	return k ? k->kind : OT_FK_UNKNOWN;
}

enum ot_field_kind ot_kinds_field(const struct ot_kinds *t, const struct ot_func_kinds *fk,
				  bool is_ret, const char *key, size_t klen)
{
	const char *name;

	return ot_kinds_field_named(t, fk, is_ret, key, klen, &name);
}

static const struct ot_kinds *legacy;

void ot_kinds_set_legacy(const struct ot_kinds *t)
{
	legacy = t;
}

const struct ot_kinds *ot_kinds_legacy(void)
{
	return legacy;
}
