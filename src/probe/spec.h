/* SPDX-License-Identifier: MIT */
/* The probe spec: one entry per kernel function opentrail knows, by ROLE (the name
 * claims use) with the names that role has had in Linux's history, how its return
 * value is decoded, and every field its records carry, each with the path it is read
 * from, by parameter and member NAME ("op->open_flag", "$ret->f_path.dentry").
 *
 * Everything else is generated from this one table: what the trace, claims and
 * reports read (field kinds, decoding), and at run time, against the
 * running kernel's BTF, the recipes both backends execute (src/probe/recipe.h):
 * argument positions come from the function's prototype, member offsets from the
 * kernel's own type information. No version numbers anywhere. */
#ifndef OT_PROBE_SPEC_H
#define OT_PROBE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "record/kinds.h" /* enum ot_field_kind: what each field is */

enum ot_ret_kind {
	OT_RET_PTR,  /* pointer: valid / NULL / ERR_PTR(-errno) */
	OT_RET_INT,  /* int: 0 or positive value / -errno (32-bit) */
	OT_RET_LONG, /* long: value / -errno (64-bit) */
	OT_RET_VOID, /* no meaningful return value */
};

/* How a field's value is obtained from what its path designates. */
enum ot_field_read {
	OT_READ_VALUE,	 /* the value stored at the path (or the argument itself) */
	OT_READ_KSTR,	 /* the NUL-terminated kernel string the path's value points to */
	OT_READ_USTR,	 /* the same, in user memory */
	OT_READ_COUNTED, /* `with` bytes (a length field of this record) at the path's value */
	OT_READ_ISNULL,	 /* 1 when the value at the path is NULL, else 0 */
	OT_READ_SAME,	 /* 1 when the path (an &address) equals field `with`'s value, else 0 */
};

struct ot_field_spec {
	const char *key;
	enum ot_field_kind kind; /* PTR, INT32, DFD, UINT, MASK or STR */
	const char *doc;
	bool on_stack; /* an address in the caller's stack frame: equal values are incidental */
	/* Where it comes from: "PARAM", "PARAM->member.member->member", "$ret->...",
	 * "&$ret->member" (an address, nothing read); alternatives separated by '|',
	 * the first that the kernel's types allow is used. */
	const char *path;
	enum ot_field_read read;
	const char *with; /* COUNTED: the length field; SAME: the field compared with */
	/* Read only when (field `guard`'s value & guard_mask) == guard_val. */
	const char *guard;
	unsigned guard_mask, guard_val;
};

#define OT_MAX_FIELDS 10
#define OT_MAX_NAMES  4

struct ot_probe {
	const char *func;		     /* the role: the name claims and reports use */
	const char *names[OT_MAX_NAMES + 1]; /* names it has had, newest last, or has on another architecture; NULL-ended */
	enum ot_ret_kind ret_kind;
	const char *user_call; /* user calls this syscall-level function serves ("open,openat"), or NULL */
	const char *doc;
	struct ot_field_spec entry[OT_MAX_FIELDS];
	struct ot_field_spec ret[OT_MAX_FIELDS]; /* besides "ret" itself */
};

/* The entry of a role, or of any name the role has had (do_file_open -> do_filp_open). */
const struct ot_probe *ot_probe_find(const char *func);
const struct ot_probe *ot_probe_at(size_t i);
/* Does P serve the user call CALL ("openat": one of its user_call list)? */
bool ot_probe_serves(const struct ot_probe *p, const char *call);
size_t ot_probe_count(void);
/* The role of a kernel function name (itself when it is a role), or NULL. */
const char *ot_probe_role_of(const char *name);
/* Kind of a field of FUNC's entry (is_ret=false) or return record as a number: a
 * dfd is an OT_FK_INT32, a mask an OT_FK_UINT; false if unknown. */
bool ot_probe_field_kind(const char *func, bool is_ret, const char *key, enum ot_field_kind *kind);
/* P's entry (IS_RET false) or return fields as a description's list, "key:kind ..."
 * (record/kinds.h), the return's "ret" first. Returns false if BUF (size SZ) is too small. */
bool ot_probe_describe(const struct ot_probe *p, bool is_ret, char *buf, size_t sz);
/* P's names as a description's list, "name,name". False if BUF is too small. */
bool ot_probe_names(const struct ot_probe *p, char *buf, size_t sz);
/* The table that types logs which do not describe their functions (the seeds', and
 * opentrail's own before spec.fact): every function of this spec, and the seeds'
 * dfd= anywhere. Built on first use. */
const struct ot_kinds *ot_probe_legacy_kinds(void);
/* For a syscall-level FUNC that was not probed: the function one level down whose
 * ok / error return still tells what the user got (do_sys_openat2 -> do_filp_open),
 * or NULL. */
const char *ot_probe_user_stand_in(const char *func);
/* Is that field an address on the kernel stack (nameidata, open_flags, the qstr in nd->last)? */
bool ot_probe_field_on_stack(const char *func, bool is_ret, const char *key);
/* Is NAME (a record's function as the kernel names it) a name under which a role
 * runs only when a fast path inlined in its callers cannot finish
 * (step_into_slowpath)? How many such calls a run makes depends on the RCU walk's
 * luck, so two runs are not compared on them. */
bool ot_probe_is_slow_path(const char *name);
/* Index of KEY in FIELDS, or -1. */
int ot_probe_field_index(const struct ot_field_spec *fields, const char *key);

#endif
