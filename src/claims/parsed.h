/* SPDX-License-Identifier: MIT */
/* A claim parsed once (the language: claims.h): its kind, what every kind has (the text,
 * the selectors), and the payload of its own kind, nothing else. */
#ifndef OT_CLAIMS_PARSED_H
#define OT_CLAIMS_PARSED_H

#include <stdbool.h>
#include <stdint.h>

#include "claims/select.h"

/* One value per kind; the kinds' table (kind.c) is indexed by it. */
enum ot_claim_kind_id {
	OT_CLAIM_UNKNOWN, /* not parsed */
	OT_CLAIM_PAIRS,
	OT_CLAIM_DECODED,
	OT_CLAIM_USER_AGREES,
	OT_CLAIM_NO_LOSS,
	OT_CLAIM_HIT,
	OT_CLAIM_ABSENT,
	OT_CLAIM_COUNT,
	OT_CLAIM_RET_OK,
	OT_CLAIM_RET_NULL,
	OT_CLAIM_RET_ERR,
	OT_CLAIM_SAME_PTR,
	OT_CLAIM_NEW_PTR,
	OT_CLAIM_PTR_DIFF,
	OT_CLAIM_ORDER,
	OT_CLAIM_FIELD,
	OT_CLAIM_USER,
	OT_CLAIM_CALLER,
	OT_CLAIM_RAN,
	OT_CLAIM_NOT_RAN,
	OT_CLAIM_ORIGIN,
	OT_CLAIM_NKINDS
};

/* pairs [FUNC] */
struct ot_claim_pairs {
	char func[64]; /* "" every function */
};

/* count SEL OP N */
struct ot_claim_count {
	char op[3]; /* == != < <= > >= & */
	int64_t num;
};

/* ret_ok SEL | ret_null SEL | ret_err SEL ENAME */
struct ot_claim_ret {
	int err;	/* ret_err: the errno */
	char ename[32]; /* ret_err: its name as written */
};

/* ptr_diff SEL SEL == N (same_ptr and new_ptr have no payload) */
struct ot_claim_ptr_diff {
	int64_t num;	 /* N */
	char value[160]; /* N as written */
	int user_ref;	 /* N is user#K:FIELD: K (0: a plain number) */
	char ufield[32]; /* FIELD of user#K:FIELD */
};

/* field SEL OP VALUE */
struct ot_claim_field {
	char op[3];
	int64_t num;	 /* VALUE as a number */
	char value[160]; /* VALUE as written */
	bool is_str;	 /* VALUE is a "string" */
};

/* user N == fd | user N == -1 ENAME | user N:FIELD OP VALUE */
enum ot_claim_user_form {
	OT_USER_FD = 1, /* == fd */
	OT_USER_ERR,	/* == -1 ENAME */
	OT_USER_FIELD,	/* :FIELD OP VALUE */
};

struct ot_claim_user {
	int seq; /* N */
	enum ot_claim_user_form form;
	int err;	 /* OT_USER_ERR: the errno */
	char op[3];	 /* OT_USER_FIELD */
	int64_t num;	 /* OT_USER_FIELD: VALUE */
	char value[160]; /* ENAME or VALUE as written */
	char ufield[32]; /* OT_USER_FIELD: FIELD */
};

/* caller SEL FUNC */
struct ot_claim_caller {
	char func[160];
};

/* ran SEL [FUNC] "TEXT" | not_ran SEL [FUNC] "TEXT" */
struct ot_claim_ran {
	char func[64];	/* whose lines TEXT is looked for in ("": SEL's function) */
	char text[160]; /* TEXT without its quotes */
};

/* origin SEL FUNC "TEXT" */
struct ot_claim_origin {
	char func[64];	/* FUNC, or alternatives F1|F2 */
	char text[160]; /* TEXT without its quotes */
};

struct ot_claim {
	enum ot_claim_kind_id kind;
	const char *text; /* the claim as written (not owned) */
	struct ot_sel sel[2];
	char seltext[2][160]; /* the selectors as written */
	int nsel;
	union {
		struct ot_claim_pairs pairs;
		struct ot_claim_count count;
		struct ot_claim_ret ret;
		struct ot_claim_ptr_diff ptr_diff;
		struct ot_claim_field field;
		struct ot_claim_user user;
		struct ot_claim_caller caller;
		struct ot_claim_ran ran;
		struct ot_claim_origin origin;
	} u;
};

#endif
