// SPDX-License-Identifier: MIT
#include "trace/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/errnos.h"

/* The errno table (trace/errnos.h), by number. */
static const struct {
	int no;
	const char *name;
} errnos[] = {
#define OT_ERRNO_ENTRY(n, s) {n, #s},
    OT_ERRNOS(OT_ERRNO_ENTRY)
#undef OT_ERRNO_ENTRY
};

#define NERRNOS (sizeof(errnos) / sizeof(errnos[0]))

const char *ot_errno_name(int err)
{
	for (size_t i = 0; i < NERRNOS; i++)
		if (errnos[i].no == err)
			return errnos[i].name;
	return NULL;
}

int ot_errno_after_signal(int err)
{
	if (err == ot_errno_from_name("ERESTARTSYS") || err == ot_errno_from_name("ERESTARTNOHAND") ||
	    err == ot_errno_from_name("ERESTART_RESTARTBLOCK"))
		return ot_errno_from_name("EINTR");
	return err;
}

/* The second names of errno numbers (include/uapi/asm-generic/errno*.h defines them
 * as the first): the kernel's source uses them too (-EWOULDBLOCK in fs/locks.c). */
static const struct {
	int no;
	const char *name;
} aliases[] = {{11, "EWOULDBLOCK"}, {35, "EDEADLOCK"}};

const char *ot_errno_alias(int err)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (aliases[i].no == err)
			return aliases[i].name;
	return NULL;
}

int ot_errno_from_name(const char *name)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].name, name))
			return aliases[i].no;
	for (size_t i = 0; i < NERRNOS; i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].no;
	v = strtol(name, &end, 10);
	if (*name && !*end && v > 0 && v <= OT_MAX_ERRNO)
		return (int)v;
	return -1;
}

int32_t ot_as_int32(uint64_t raw)
{
	return (int32_t)(uint32_t)raw;
}

struct ot_ret ot_decode_ret(enum ot_ret_kind k, uint64_t raw)
{
	struct ot_ret r = {.cls = OT_RC_OK, .raw = raw};

	switch (k) {
	case OT_RET_PTR:
		if (raw == 0)
			r.cls = OT_RC_NULL;
		else if (raw >= (uint64_t)-OT_MAX_ERRNO) {
			r.cls = OT_RC_ERR;
			r.err = (int)-(int64_t)raw;
		}
		r.value = (int64_t)raw;
		break;
	case OT_RET_INT:
	case OT_RET_LONG: {
		/* Logged as a sign-extended 64-bit word, or as a 32-bit one (seeds' %x). */
		int64_t s = (int64_t)raw;

		if (raw <= UINT32_MAX &&
		    (k == OT_RET_INT || raw > (uint64_t)UINT32_MAX - OT_MAX_ERRNO))
			s = ot_as_int32(raw);
		r.value = s;
		if (s < 0 && s >= -OT_MAX_ERRNO) {
			r.cls = OT_RC_ERR;
			r.err = (int)-s;
		}
		break;
	}
	case OT_RET_VOID:
		r.cls = OT_RC_VOID;
		break;
	}
	return r;
}

static void err_text(int err, char *buf, size_t sz)
{
	const char *n = ot_errno_name(err);

	if (n)
		snprintf(buf, sz, "-%s", n);
	else
		snprintf(buf, sz, "-%d", err);
}

/* S into OUT (cut to fit), without printf: a return text is made for every call. */
static void put_text(char *out, size_t outsz, const char *s)
{
	size_t n = strlen(s);

	if (!outsz)
		return;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static void put_int(char *out, size_t outsz, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put_text(out, outsz, p);
}

void ot_ret_text(const struct ot_ret *r, enum ot_ret_kind k, char *out, size_t outsz)
{
	char e[32];

	switch (r->cls) {
	case OT_RC_OK:
		if (k == OT_RET_PTR)
			put_text(out, outsz, "ok");
		else
			put_int(out, outsz, r->value);
		break;
	case OT_RC_NULL:
		put_text(out, outsz, "NULL");
		break;
	case OT_RC_ERR:
		err_text(r->err, e, sizeof(e));
		if (k == OT_RET_PTR)
			snprintf(out, outsz, "ERR_PTR(%s)", e);
		else
			put_text(out, outsz, e);
		break;
	case OT_RC_VOID:
		put_text(out, outsz, "void");
		break;
	default:
		put_text(out, outsz, "?");
		break;
	}
}
