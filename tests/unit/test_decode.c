// SPDX-License-Identifier: MIT
/* Return decoding: every errno as ERR_PTR and as -errno, NULL, valid pointers. */
#include "testlib.h"
#include "trace/decode.h"

TEST(decode_every_errno_as_err_ptr)
{
	char buf[64], want[64];
	int named = 0;

	for (int e = 1; e <= OT_MAX_ERRNO; e++) {
		struct ot_ret r = ot_decode_ret(OT_RET_PTR, (uint64_t) - (int64_t)e);
		CHECK_INT(r.cls, OT_RC_ERR);
		CHECK_INT(r.err, e);
		ot_ret_text(&r, OT_RET_PTR, buf, sizeof(buf));
		const char *n = ot_errno_name(e);
		if (n) {
			named++;
			snprintf(want, sizeof(want), "ERR_PTR(-%s)", n);
			CHECK_STR(buf, want);
			CHECK_INT(ot_errno_from_name(n), e);
		} else {
			snprintf(want, sizeof(want), "ERR_PTR(-%d)", e);
			CHECK_STR(buf, want);
		}
		/* The same errno as an int return, 64-bit and 32-bit encodings. */
		struct ot_ret i64 = ot_decode_ret(OT_RET_INT, (uint64_t) - (int64_t)e);
		struct ot_ret i32 = ot_decode_ret(OT_RET_INT, (uint32_t)-e);
		CHECK(i64.cls == OT_RC_ERR && i64.err == e);
		CHECK(i32.cls == OT_RC_ERR && i32.err == e);
	}
	CHECK(named >= 150);
}

TEST(decode_pointer_classes)
{
	char buf[64];
	struct ot_ret r = ot_decode_ret(OT_RET_PTR, 0xfffffffffffffffeull);

	ot_ret_text(&r, OT_RET_PTR, buf, sizeof(buf));
	CHECK_STR(buf, "ERR_PTR(-ENOENT)");
	r = ot_decode_ret(OT_RET_PTR, 0xffffffffffffffd8ull);
	ot_ret_text(&r, OT_RET_PTR, buf, sizeof(buf));
	CHECK_STR(buf, "ERR_PTR(-ELOOP)");
	r = ot_decode_ret(OT_RET_PTR, 0xffffffffffffffefull);
	ot_ret_text(&r, OT_RET_PTR, buf, sizeof(buf));
	CHECK_STR(buf, "ERR_PTR(-EEXIST)");
	r = ot_decode_ret(OT_RET_PTR, 0);
	CHECK_INT(r.cls, OT_RC_NULL);
	r = ot_decode_ret(OT_RET_PTR, 0xffff8dda05063000ull);
	CHECK_INT(r.cls, OT_RC_OK);
	/* One past the error range is a valid (if odd) pointer. */
	r = ot_decode_ret(OT_RET_PTR, (uint64_t)-4096);
	CHECK_INT(r.cls, OT_RC_OK);
}

TEST(decode_ints)
{
	char buf[64];
	struct ot_ret r = ot_decode_ret(OT_RET_INT, 0);

	CHECK(r.cls == OT_RC_OK && r.value == 0);
	r = ot_decode_ret(OT_RET_LONG, 3);
	ot_ret_text(&r, OT_RET_LONG, buf, sizeof(buf));
	CHECK_STR(buf, "3");
	r = ot_decode_ret(OT_RET_INT, (uint64_t)-13);
	ot_ret_text(&r, OT_RET_INT, buf, sizeof(buf));
	CHECK_STR(buf, "-EACCES");
	/* A large negative that is not an errno stays a value. */
	r = ot_decode_ret(OT_RET_LONG, (uint64_t)-5000);
	CHECK(r.cls == OT_RC_OK && r.value == -5000);
	r = ot_decode_ret(OT_RET_VOID, 123);
	CHECK_INT(r.cls, OT_RC_VOID);
	CHECK_INT(ot_as_int32(4294967196u), -100);
	CHECK_INT(ot_errno_from_name("EWOULDBLOCK"), 11);
	CHECK_INT(ot_errno_from_name("ENOPE"), -1);
	CHECK_STR(ot_errno_alias(11), "EWOULDBLOCK");
	CHECK(ot_errno_alias(2) == NULL);
}

/* What a program sees after a handled signal: the restart errnos that become EINTR
 * (512 ERESTARTSYS without SA_RESTART, 514, 516), and every other errno itself,
 * ERESTARTNOINTR (513, always restarted) included. */
TEST(decode_errno_after_signal)
{
	CHECK_INT(ot_errno_after_signal(512), 4);
	CHECK_INT(ot_errno_after_signal(514), 4);
	CHECK_INT(ot_errno_after_signal(516), 4);
	CHECK_INT(ot_errno_after_signal(513), 513);
	CHECK_INT(ot_errno_after_signal(2), 2);
	CHECK_INT(ot_errno_after_signal(4), 4);
}
