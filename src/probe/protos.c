// SPDX-License-Identifier: MIT
/* Prototypes from the source index for a BTF that lacks them (see protos.h). */
#include "probe/protos.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/btf.h>

#include "probe/backend.h"
#include "srcmap/indexread.h"
#include "srcmap/srccache.h"

#define PROTO_MAX_PARAMS 16

static bool has_func(const struct btf *btf, const char *name)
{
	return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* The id of NAME of one of KINDS in BTF, or -1. */
static int find_kind(const struct btf *btf, const char *name, const int *kinds, size_t nk)
{
	for (size_t k = 0; k < nk; k++) {
		int id = btf__find_by_name_kind(btf, name, (__u32)kinds[k]);

		if (id > 0)
			return id;
	}
	return -1;
}

/* The BTF id of the index's type spelling T (docs/source-index.md), adding the
 * pointer types it needs to OUT; -1 with *WHY when BTF has no such type. A pointer
 * to a type BTF does not have is a pointer to void: its members are then absent,
 * never guessed. */
static int type_id(struct btf *out, const char *t, const char **why)
{
	static const int ints[] = {BTF_KIND_INT, BTF_KIND_FLOAT};
	static const int enums[] = {BTF_KIND_ENUM, BTF_KIND_ENUM64};
	static const int structs[] = {BTF_KIND_STRUCT, BTF_KIND_FWD};
	static const int unions[] = {BTF_KIND_UNION, BTF_KIND_FWD};
	static const int typedefs[] = {BTF_KIND_TYPEDEF};
	char name[128];
	int ptrs = 0, id = -1;

	while (*t == '*') {
		ptrs++;
		t++;
	}
	const char *colon = strchr(t, ':');

	if (colon) {
		ot_setf(name, sizeof(name), "%s", colon + 1);
		for (char *c = name; *c; c++)
			if (*c == '+')
				*c = ' ';
	}
	if (!strcmp(t, "void"))
		id = 0;
	else if (!colon)
		id = -1; /* fn, ?: only through a pointer */
	else if (!strncmp(t, "base:", 5))
		id = find_kind(out, name, ints, 2);
	else if (!strncmp(t, "enum:", 5))
		id = find_kind(out, name, enums, 2);
	else if (!strncmp(t, "struct:", 7))
		id = find_kind(out, name, structs, 2);
	else if (!strncmp(t, "union:", 6))
		id = find_kind(out, name, unions, 2);
	else if (!strncmp(t, "typedef:", 8))
		id = find_kind(out, name, typedefs, 1);
	if (id < 0) {
		if (!ptrs) {
			*why = "a parameter's type is not in BTF";
			return -1;
		}
		id = 0; /* the pointer below is to void */
	}
	while (ptrs-- > 0)
		if ((id = btf__add_ptr(out, id)) < 0) {
			*why = "cannot add to BTF";
			return -1;
		}
	return id;
}

/* Adds NAME's prototype SIG ("RET P=T P=T ...") to OUT; NULL, or why not. */
static const char *add_proto(struct btf *out, const char *name, const char *sig)
{
	char buf[1024], *save = NULL, *tok;
	const char *pname[PROTO_MAX_PARAMS], *why = NULL;
	int ptype[PROTO_MAX_PARAMS], ret, np = 0, proto;

	ot_setf(buf, sizeof(buf), "%s", sig);
	if (!(tok = strtok_r(buf, " ", &save)))
		return "an empty prototype";
	if ((ret = type_id(out, tok, &why)) < 0)
		return "its return type is not in BTF";
	while ((tok = strtok_r(NULL, " ", &save))) {
		char *eq = strchr(tok, '=');

		if (!strcmp(tok, "..."))
			return "variable arguments";
		if (!eq || np == PROTO_MAX_PARAMS)
			return "a malformed prototype";
		*eq = '\0';
		pname[np] = strcmp(tok, "-") ? tok : "";
		if ((ptype[np] = type_id(out, eq + 1, &why)) < 0)
			return why;
		np++;
	}
	/* A prototype's parameters follow it: every type they name is added first. */
	if ((proto = btf__add_func_proto(out, ret)) < 0)
		return "cannot add to BTF";
	for (int i = 0; i < np; i++)
		if (btf__add_func_param(out, pname[i], ptype[i]))
			return "cannot add to BTF";
	if (btf__add_func(out, name, BTF_FUNC_STATIC, proto) < 0)
		return "cannot add to BTF";
	return NULL;
}

void ot_protos_init(struct ot_protos *p, const struct btf *vmlinux, const char *index_path)
{
	memset(p, 0, sizeof(*p));
	p->vmlinux = vmlinux;
	p->index_path = index_path;
}

/* Reads the index once; false when there is none (or not this kernel's). */
static bool load_index(struct ot_protos *p)
{
	struct utsname u;
	char path[4096];
	const char *bad;

	if (p->state)
		return p->state > 0;
	p->state = -1;
	if (p->index_path)
		ot_setf(path, sizeof(path), "%s", p->index_path);
	else if (uname(&u) || ot_srccache_index_path(u.release, path, sizeof(path)))
		return false;
	if (ot_srcindex_load(path, &p->ix, &bad))
		return false;
	if (!p->index_path && (!p->ix.kernel || strcmp(p->ix.kernel, u.release))) {
		ot_srcindex_free(&p->ix);
		return false;
	}
	p->state = 1;
	return true;
}

const struct btf *ot_protos_get(struct ot_protos *p, const char *name)
{
	const char *sig, *why;
	size_t len;

	if (!p->vmlinux || !load_index(p) || !(sig = ot_srcindex_proto(&p->ix, name)))
		return NULL;
	if (p->split && has_func(p->split, name))
		return p->split;
	/* libbpf takes the base as non-const: it only reads it. */
	if (!p->split && !(p->split = btf__new_empty_split((struct btf *)p->vmlinux)))
		return NULL;
	why = add_proto(p->split, name, sig);
	len = strlen(p->said);
	ot_setf(p->said + len, sizeof(p->said) - len, "%s%s%s%s", len ? ", " : "", name,
		why ? ": left out, " : "", why ? why : "");
	return why ? NULL : p->split;
}

void ot_protos_free(struct ot_protos *p)
{
	if (p->state > 0)
		ot_srcindex_free(&p->ix);
	btf__free(p->split);
	memset(p, 0, sizeof(*p));
}
