// SPDX-License-Identifier: MIT
#include "trace/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linux (x86-64) errno numbers, include/uapi/asm-generic/errno*.h, and the
 * kernel-internal ones of include/linux/errno.h that can reach a return value. */
static const struct {
	int no;
	const char *name;
} errnos[] = {
    {1, "EPERM"},
    {2, "ENOENT"},
    {3, "ESRCH"},
    {4, "EINTR"},
    {5, "EIO"},
    {6, "ENXIO"},
    {7, "E2BIG"},
    {8, "ENOEXEC"},
    {9, "EBADF"},
    {10, "ECHILD"},
    {11, "EAGAIN"},
    {12, "ENOMEM"},
    {13, "EACCES"},
    {14, "EFAULT"},
    {15, "ENOTBLK"},
    {16, "EBUSY"},
    {17, "EEXIST"},
    {18, "EXDEV"},
    {19, "ENODEV"},
    {20, "ENOTDIR"},
    {21, "EISDIR"},
    {22, "EINVAL"},
    {23, "ENFILE"},
    {24, "EMFILE"},
    {25, "ENOTTY"},
    {26, "ETXTBSY"},
    {27, "EFBIG"},
    {28, "ENOSPC"},
    {29, "ESPIPE"},
    {30, "EROFS"},
    {31, "EMLINK"},
    {32, "EPIPE"},
    {33, "EDOM"},
    {34, "ERANGE"},
    {35, "EDEADLK"},
    {36, "ENAMETOOLONG"},
    {37, "ENOLCK"},
    {38, "ENOSYS"},
    {39, "ENOTEMPTY"},
    {40, "ELOOP"},
    {42, "ENOMSG"},
    {43, "EIDRM"},
    {44, "ECHRNG"},
    {45, "EL2NSYNC"},
    {46, "EL3HLT"},
    {47, "EL3RST"},
    {48, "ELNRNG"},
    {49, "EUNATCH"},
    {50, "ENOCSI"},
    {51, "EL2HLT"},
    {52, "EBADE"},
    {53, "EBADR"},
    {54, "EXFULL"},
    {55, "ENOANO"},
    {56, "EBADRQC"},
    {57, "EBADSLT"},
    {59, "EBFONT"},
    {60, "ENOSTR"},
    {61, "ENODATA"},
    {62, "ETIME"},
    {63, "ENOSR"},
    {64, "ENONET"},
    {65, "ENOPKG"},
    {66, "EREMOTE"},
    {67, "ENOLINK"},
    {68, "EADV"},
    {69, "ESRMNT"},
    {70, "ECOMM"},
    {71, "EPROTO"},
    {72, "EMULTIHOP"},
    {73, "EDOTDOT"},
    {74, "EBADMSG"},
    {75, "EOVERFLOW"},
    {76, "ENOTUNIQ"},
    {77, "EBADFD"},
    {78, "EREMCHG"},
    {79, "ELIBACC"},
    {80, "ELIBBAD"},
    {81, "ELIBSCN"},
    {82, "ELIBMAX"},
    {83, "ELIBEXEC"},
    {84, "EILSEQ"},
    {85, "ERESTART"},
    {86, "ESTRPIPE"},
    {87, "EUSERS"},
    {88, "ENOTSOCK"},
    {89, "EDESTADDRREQ"},
    {90, "EMSGSIZE"},
    {91, "EPROTOTYPE"},
    {92, "ENOPROTOOPT"},
    {93, "EPROTONOSUPPORT"},
    {94, "ESOCKTNOSUPPORT"},
    {95, "EOPNOTSUPP"},
    {96, "EPFNOSUPPORT"},
    {97, "EAFNOSUPPORT"},
    {98, "EADDRINUSE"},
    {99, "EADDRNOTAVAIL"},
    {100, "ENETDOWN"},
    {101, "ENETUNREACH"},
    {102, "ENETRESET"},
    {103, "ECONNABORTED"},
    {104, "ECONNRESET"},
    {105, "ENOBUFS"},
    {106, "EISCONN"},
    {107, "ENOTCONN"},
    {108, "ESHUTDOWN"},
    {109, "ETOOMANYREFS"},
    {110, "ETIMEDOUT"},
    {111, "ECONNREFUSED"},
    {112, "EHOSTDOWN"},
    {113, "EHOSTUNREACH"},
    {114, "EALREADY"},
    {115, "EINPROGRESS"},
    {116, "ESTALE"},
    {117, "EUCLEAN"},
    {118, "ENOTNAM"},
    {119, "ENAVAIL"},
    {120, "EISNAM"},
    {121, "EREMOTEIO"},
    {122, "EDQUOT"},
    {123, "ENOMEDIUM"},
    {124, "EMEDIUMTYPE"},
    {125, "ECANCELED"},
    {126, "ENOKEY"},
    {127, "EKEYEXPIRED"},
    {128, "EKEYREVOKED"},
    {129, "EKEYREJECTED"},
    {130, "EOWNERDEAD"},
    {131, "ENOTRECOVERABLE"},
    {132, "ERFKILL"},
    {133, "EHWPOISON"},
    {512, "ERESTARTSYS"},
    {513, "ERESTARTNOINTR"},
    {514, "ERESTARTNOHAND"},
    {515, "ENOIOCTLCMD"},
    {516, "ERESTART_RESTARTBLOCK"},
    {517, "EPROBE_DEFER"},
    {518, "EOPENSTALE"},
    {519, "ENOPARAM"},
    {521, "EBADHANDLE"},
    {522, "ENOTSYNC"},
    {523, "EBADCOOKIE"},
    {524, "ENOTSUPP"},
    {525, "ETOOSMALL"},
    {526, "ESERVERFAULT"},
    {527, "EBADTYPE"},
    {528, "EJUKEBOX"},
    {529, "EIOCBQUEUED"},
    {530, "ERECALLCONFLICT"},
    {531, "ENOGRACE"},
};

#define NERRNOS (sizeof(errnos) / sizeof(errnos[0]))

const char *ot_errno_name(int err)
{
	for (size_t i = 0; i < NERRNOS; i++)
		if (errnos[i].no == err)
			return errnos[i].name;
	return NULL;
}

int ot_errno_from_name(const char *name)
{
	char *end;
	long v;

	if (!strcmp(name, "EWOULDBLOCK"))
		return 11;
	if (!strcmp(name, "EDEADLOCK"))
		return 35;
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
