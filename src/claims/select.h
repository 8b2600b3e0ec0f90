/* SPDX-License-Identifier: MIT */
/* Selectors of the claim language (see claims.h): which calls of which function,
 * in which operation of the case, and which field of them. */
#ifndef OT_SELECT_H
#define OT_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

#define OT_SEL_MAX_FILTERS 4

struct ot_scope {
	bool op;      /* false: the whole trace */
	int n;	      /* 1-based; -1: last */
	char has[64]; /* op[F]: only operations that contain a call of F */
	int plus;     /* +K: the K-th operation after the one found */
};

struct ot_sel {
	char func[64];
	bool ret; /* .ret: read fields of the return record */
	struct {
		char key[32];
		char val[128];
	} filt[OT_SEL_MAX_FILTERS];
	int nfilt;
	int nth;	/* 0: every call; N: the N-th; -1: the last */
	char field[32]; /* "" when none */
	struct ot_scope scope;
};

struct ot_event {
	const struct ot_call *call;
	const struct ot_record *rec; /* the record the field is read from */
	unsigned line;
};

struct ot_events {
	struct ot_event *ev;
	size_t n;
	const struct ot_call *op; /* the operation the scope selected (NULL: whole trace) */
	bool scope_missing;	  /* the selected operation is not in the trace */
	char why[160];		  /* what was missing, for the claim's detail */
};

/* A scope resolved before the claims are evaluated: the operation it names (NULL:
 * none) and that operation's number among the calls of the anchor. A trace that holds
 * only some operations (claims/keep.h) has its scopes resolved as it streamed. */
struct ot_op_pick {
	struct ot_scope scope;
	const struct ot_call *op;
	size_t ordinal;
};

struct ot_op_picks {
	const struct ot_op_pick *v;
	size_t n;
};

/* Parse TEXT; returns 0 or -1 with an error message in ERR. */
int ot_sel_parse(const char *text, struct ot_sel *sel, char *err, size_t errsz);
/* Is A the scope B? */
bool ot_scope_same(const struct ot_scope *a, const struct ot_scope *b);
/* Events of SEL in T; the case's operations are the calls of ANCHOR. A scope in
 * PICKS (NULL: none) is that operation; any other is found in T. */
void ot_sel_events(const struct ot_trace *t, const char *anchor, const struct ot_op_picks *picks,
		   const struct ot_sel *sel, struct ot_events *out);
/* Is C one of SEL's calls, scope aside: its function, the record SEL reads, its filters? */
bool ot_sel_takes(const struct ot_sel *sel, const struct ot_call *c);
void ot_events_free(struct ot_events *e);

/* The field's value of an event as a comparable number (pointers, ints; int32 fields
 * sign-extended); false if absent or a string. */
bool ot_event_num(const struct ot_event *e, const char *field, int64_t *out);
/* The field's value as text (strings unescaped; numbers as written); NULL if absent. */
const char *ot_event_text(const struct ot_event *e, const char *field);

#endif
