/* SPDX-License-Identifier: MIT */
/* Decoding return values and arguments: ERR_PTR / NULL / valid pointer, 0 / -errno,
 * errno names, AT_FDCWD. The kind of a return comes from the probe spec. */
#ifndef OT_DECODE_H
#define OT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/spec.h"

enum ot_ret_class {
	OT_RC_OK,      /* valid pointer, or 0 / non-negative int */
	OT_RC_NULL,    /* NULL pointer */
	OT_RC_ERR,     /* ERR_PTR(-errno) or -errno */
	OT_RC_VOID,    /* void function */
	OT_RC_UNKNOWN, /* function not in the probe spec, or no value */
};

struct ot_ret {
	enum ot_ret_class cls;
	int err;       /* positive errno for OT_RC_ERR */
	int64_t value; /* signed value for ints */
	uint64_t raw;
};

#define OT_MAX_ERRNO 4095

/* Decode RAW as a return of kind K. */
struct ot_ret ot_decode_ret(enum ot_ret_kind k, uint64_t raw);
/* Short text: "ok", "NULL", "ERR_PTR(-ENOENT)", "-EACCES", "0", "3", "void", "?". */
void ot_ret_text(const struct ot_ret *r, enum ot_ret_kind k, char *out, size_t outsz);
/* "ENOENT" for 2; NULL for an unknown number. */
const char *ot_errno_name(int err);
/* The other name of errno ERR ("EWOULDBLOCK" for 11, EAGAIN's), or NULL. */
const char *ot_errno_alias(int err);
/* 2 for "ENOENT" (also accepts "2" and the aliases); -1 if unknown. */
int ot_errno_from_name(const char *name);
/* The errno a program sees for a syscall whose kernel function returned -ERR, when
 * a signal handler ran on the way out: -ERESTARTNOHAND and -ERESTART_RESTARTBLOCK
 * become EINTR, and -ERESTARTSYS too when the handler was installed without
 * SA_RESTART (with it, the call is restarted and returns nothing to compare);
 * -ERESTARTNOINTR is always restarted (arch/x86/kernel/signal.c and
 * arch/arm64/kernel/signal.c, handle_signal). ERR itself for every other errno. */
int ot_errno_after_signal(int err);
/* A 32-bit signed view of a logged word (4294967196 -> -100). */
int32_t ot_as_int32(uint64_t raw);

#endif
