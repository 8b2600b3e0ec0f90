/* SPDX-License-Identifier: MIT */
/* The probe dictionary: every kernel function opentrail knows, how its return
 * value is decoded and which fields its records carry. Backends emit these
 * field names; the trace and claims read them. */
#ifndef OT_PROBES_H
#define OT_PROBES_H

#include <stdbool.h>
#include <stddef.h>

enum ot_ret_kind {
	OT_RET_PTR,  /* pointer: valid / NULL / ERR_PTR(-errno) */
	OT_RET_INT,  /* int: 0 or positive value / -errno (32-bit) */
	OT_RET_LONG, /* long: value / -errno (64-bit) */
	OT_RET_VOID, /* no meaningful return value */
};

enum ot_field_kind {
	OT_FK_PTR,   /* kernel or user address */
	OT_FK_INT32, /* signed 32-bit (dfd: 4294967196 is -100) */
	OT_FK_UINT,  /* unsigned integer, printed in hex if it is a mask */
	OT_FK_STR,   /* string read from memory */
};

struct ot_field_spec {
	const char *key;
	enum ot_field_kind kind;
	const char *doc;
	bool on_stack; /* an address in the caller's stack frame: equal values are incidental */
};

#define OT_MAX_FIELDS 10

struct ot_probe {
	const char *func; /* kernel symbol, without .isra/.constprop suffix */
	enum ot_ret_kind ret_kind;
	const char
	    *user_call; /* user calls this syscall-level function serves ("open,openat"), or NULL */
	const char *doc;
	struct ot_field_spec entry[OT_MAX_FIELDS];
	struct ot_field_spec ret[OT_MAX_FIELDS]; /* besides "ret" itself */
};

const struct ot_probe *ot_probe_find(const char *func);
const struct ot_probe *ot_probe_at(size_t i);
size_t ot_probe_count(void);
/* Kind of a field of FUNC's entry (is_ret=false) or return record; false if unknown. */
bool ot_probe_field_kind(const char *func, bool is_ret, const char *key, enum ot_field_kind *kind);
/* For a syscall-level FUNC that was not probed: the function one level down whose
 * ok / error return still tells what the user got (do_sys_openat2 -> do_filp_open),
 * or NULL. */
const char *ot_probe_user_stand_in(const char *func);
/* Is that field an address on the kernel stack (nameidata, open_flags, the qstr in nd->last)? */
bool ot_probe_field_on_stack(const char *func, bool is_ret, const char *key);

#endif
