// SPDX-License-Identifier: MIT
/* A JSON report checked against the schema's table, without recursion: a call tree
 * is as deep as its log made it. */
#include "site/report_check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_schema.h"

json_object *site_json_read(const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	json_tokener *tok;
	json_object *root = NULL;
	char buf[1 << 16];
	size_t n;

	if (!f) {
		snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	tok = json_tokener_new_ex(SITE_JSON_DEPTH);
	if (!tok) {
		fclose(f);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	enum json_tokener_error je = json_tokener_continue;

	while (!root && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		root = json_tokener_parse_ex(tok, buf, (int)n);
		je = json_tokener_get_error(tok);
		if (je != json_tokener_continue && je != json_tokener_success)
			break;
	}
	if (!root && je == json_tokener_continue)
		je = json_tokener_error_parse_eof;
	if (!root)
		snprintf(err, errsz, "%s is not JSON: %s (at byte %zu)", path,
			 json_tokener_error_desc(je), json_tokener_get_parse_end(tok));
	json_tokener_free(tok);
	fclose(f);
	return root;
}

/* What to check next: a value, the kind it must be, and where it is. */
struct todo {
	json_object *v;
	enum ot_robj kind;
	char *path;
};

struct checker {
	FILE *out;
	size_t max, problems;
	struct todo *stack;
	size_t n, cap;
};

static void problem(struct checker *c, const char *path, const char *fmt, const char *what)
{
	if (c->problems++ < c->max) {
		fprintf(c->out, "%s: ", *path ? path : "(top)");
		fprintf(c->out, fmt, what);
		fputc('\n', c->out);
	}
}

static void push(struct checker *c, json_object *v, enum ot_robj kind, const char *path,
		 const char *key, size_t index)
{
	char *p;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->stack = realloc(c->stack, c->cap * sizeof(*c->stack));
		if (!c->stack)
			abort();
	}
	if ((key ? asprintf(&p, "%s%s%s", path, *path ? "." : "", key)
		 : asprintf(&p, "%s[%zu]", path, index)) < 0)
		abort();
	c->stack[c->n++] = (struct todo){v, kind, p};
}

static unsigned type_bit(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return OT_RT_NULL;
	case json_type_boolean:
		return OT_RT_BOOL;
	case json_type_int:
		return OT_RT_INT;
	case json_type_double:
		return OT_RT_NUM;
	case json_type_string:
		return OT_RT_STR;
	case json_type_object:
		return OT_RT_OBJ;
	case json_type_array:
		return OT_RT_ARR;
	default:
		return 0;
	}
}

static const char *type_name(json_object *v)
{
	return json_type_to_name(json_object_get_type(v));
}

/* A value that must be one of TYPES, holding objects of kind HOLDS. */
static void check_value(struct checker *c, json_object *v, unsigned types, enum ot_robj holds,
			const char *path, const char *key)
{
	unsigned bit = type_bit(v);

	if (bit == OT_RT_INT && (types & OT_RT_NUM))
		bit = OT_RT_NUM; /* a number that happens to be whole */
	if (!(bit & types)) {
		char p[512];

		snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
		problem(c, p, "a %s where the schema wants another type", type_name(v));
		return;
	}
	if (bit == OT_RT_OBJ || bit == OT_RT_ARR)
		push(c, v, holds, path, key, 0);
}

static void check_map(struct checker *c, json_object *o, enum ot_robj kind, const char *path)
{
	json_object_object_foreach(o, key, v)
	{
		if (kind == OT_RO_MAP_INT)
			check_value(c, v, OT_RT_INT, kind, path, key);
		else if (kind == OT_RO_MAP_RETURNS)
			check_value(c, v, OT_RT_OBJ, OT_RO_MAP_INT, path, key);
		else
			check_value(c, v, OT_RT_STR | OT_RT_INT, kind, path, key);
	}
}

static void check_object(struct checker *c, json_object *o, enum ot_robj kind, const char *path)
{
	json_object_object_foreach(o, key, v)
	{
		int k;

		for (k = 0; k < OT_RK_COUNT; k++)
			if (ot_report_keys[k].obj == kind && !strcmp(ot_report_keys[k].key, key))
				break;
		if (k == OT_RK_COUNT) {
			char p[512];

			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
			problem(c, p, "a key the schema does not know in a %s",
				ot_report_objects[kind].name);
			continue;
		}
		check_value(c, v, ot_report_keys[k].types, ot_report_keys[k].holds, path, key);
	}
	for (int k = 0; k < OT_RK_COUNT; k++)
		if (ot_report_keys[k].obj == kind && !ot_report_keys[k].optional &&
		    !json_object_object_get_ex(o, ot_report_keys[k].key, NULL))
			problem(c, path, "no \"%s\", which every object of its kind has",
				ot_report_keys[k].key);
}

/* The array V: each element of kind KIND (INTS / STRS: integers / strings). */
static void check_array(struct checker *c, json_object *v, enum ot_robj kind, const char *path)
{
	size_t n = json_object_array_length(v);

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		unsigned want = kind == OT_RO_INTS   ? OT_RT_INT
				: kind == OT_RO_STRS ? OT_RT_STR
						     : OT_RT_OBJ;

		if (type_bit(e) != want) {
			char p[512];

			snprintf(p, sizeof(p), "%s[%zu]", path, i);
			problem(c, p, "a %s where the schema wants another type", type_name(e));
		} else if (want == OT_RT_OBJ) {
			push(c, e, kind, path, NULL, i);
		}
	}
}

size_t site_report_check(json_object *root, FILE *out, size_t max)
{
	struct checker c = {.out = out, .max = max};

	if (type_bit(root) != OT_RT_OBJ) {
		problem(&c, "", "a %s where the schema wants the report's object", type_name(root));
		return c.problems;
	}
	push(&c, root, OT_RO_REPORT, "", "", 0);
	while (c.n) {
		struct todo t = c.stack[--c.n];

		if (json_object_is_type(t.v, json_type_array))
			check_array(&c, t.v, t.kind, t.path);
		else if (ot_report_object_is_map(t.kind))
			check_map(&c, t.v, t.kind, t.path);
		else
			check_object(&c, t.v, t.kind, t.path);
		free(t.path);
	}
	free(c.stack);
	return c.problems;
}
