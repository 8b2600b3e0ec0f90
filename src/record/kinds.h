/* SPDX-License-Identifier: MIT */
/* What a value is: the kinds of a record's fields, and the descriptions that give
 * them. A log written by opentrail describes each probed function once, in a
 * spec.fact line (its role, the names it runs under, each field's kind), so that
 * its reader needs no compiled-in spec (docs/line-format.md "Descriptions"). A log
 * without descriptions (the seeds', older opentrail logs) is typed by the legacy
 * table that the layer above installs (ot_kinds_set_legacy), built from its spec. */
#ifndef OT_RECORD_KINDS_H
#define OT_RECORD_KINDS_H

#include <stdbool.h>
#include <stddef.h>

enum ot_field_kind {
	OT_FK_UNKNOWN, /* not described: the value's spelling decides how it is shown */
	OT_FK_PTR,     /* kernel or user address */
	OT_FK_INT32,   /* signed 32-bit (4294967196 is -100) */
	OT_FK_DFD,     /* a directory fd: signed 32-bit, -100 is AT_FDCWD */
	OT_FK_UINT,    /* unsigned integer: a count, a length, an id, a boolean */
	OT_FK_MASK,    /* bit mask, mode or hash: shown in hex */
	OT_FK_STR,     /* string read from memory */
	/* the "ret" of a return record, by how the function returns */
	OT_FK_ERRPTR,  /* pointer, NULL or ERR_PTR(-errno) */
	OT_FK_ERRINT,  /* int: a value or -errno (32-bit) */
	OT_FK_ERRLONG, /* long: a value or -errno (64-bit) */
	OT_FK_VOID,    /* nothing meaningful */
	OT_FK_COUNT
};

/* The kind's name in a description ("ptr", "mask", ...), or NULL. */
const char *ot_field_kind_name(enum ot_field_kind k);
/* The kind named by the N bytes at S; false if none is. */
bool ot_field_kind_parse(const char *s, size_t n, enum ot_field_kind *k);

/* A table of described functions. */
struct ot_kinds;
/* One described function. */
struct ot_func_kinds;

struct ot_kinds *ot_kinds_new(void);
void ot_kinds_free(struct ot_kinds *t);
/* Describes the function ROLE, which records may also name by any of NAMES
 * (comma-separated, may be NULL or empty): ENTRY and RET list its fields as
 * "key:kind key:kind ..." (RET's "ret" is the return value itself). A role wins
 * over another function's name; otherwise the first description of a name stays.
 * Returns 0, or -1 when a word is not key:kind (the words before it are kept). */
int ot_kinds_describe(struct ot_kinds *t, const char *role, const char *names, const char *entry,
		      const char *ret);
/* Every record's field KEY, when its function does not say otherwise, is of kind K. */
void ot_kinds_describe_any(struct ot_kinds *t, const char *key, enum ot_field_kind k);

/* The function that records name NAME (N bytes), or NULL. */
const struct ot_func_kinds *ot_kinds_func(const struct ot_kinds *t, const char *name, size_t n);
/* Its role (the name claims and reports use). */
const char *ot_func_kinds_role(const struct ot_func_kinds *fk);
/* The kind of field KEY (KLEN bytes) of FK's entry or return record (FK may be NULL:
 * a fact, or a function not described), or OT_FK_UNKNOWN. */
enum ot_field_kind ot_kinds_field(const struct ot_kinds *t, const struct ot_func_kinds *fk,
				  bool is_ret, const char *key, size_t klen);
/* The same, with *NAME the table's own copy of KEY (NULL when it has none), which
 * lives as long as T: a parser's key without a copy of its own. */
enum ot_field_kind ot_kinds_field_named(const struct ot_kinds *t, const struct ot_func_kinds *fk,
					bool is_ret, const char *key, size_t klen,
					const char **name);

/* The table that types logs without descriptions (NULL: none, every value is typed by
 * its spelling). Set once, before logs are read; it is only read from then on. */
void ot_kinds_set_legacy(const struct ot_kinds *t);
const struct ot_kinds *ot_kinds_legacy(void);

#endif
