/* SPDX-License-Identifier: MIT */
/* Pointer evidence found in a log without being asked for: the same address in
 * fields of several events (a chain: the object passed from one function to the
 * next), and string pointers that lie inside another string's bytes (address
 * subtraction: where a name starts within a path). NULL and ERR_PTR values are
 * not addresses and are never followed. */
#ifndef OT_REPORT_POINTERS_H
#define OT_REPORT_POINTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/record.h"

/* An event of the log, as the pointer evidence names it: its line, and whose entry,
 * return or fact it was (records need not be kept to name it). */
struct ot_ptr_event {
	unsigned line;
	enum ot_rec_kind kind;
	const char *func;
};

struct ot_ptr_link {
	struct ot_ptr_event ev;
	const char *field; /* the field's key ("ret" for a return value) */
};

struct ot_ptr_chain {
	uint64_t value;
	struct ot_ptr_link *links; /* in log order; at least two distinct records */
	size_t nlinks;
};

/* inner.ptr - base.ptr == diff, with 0 < diff < strlen(base string). Repeats of the
 * same pair of event fields with the same difference and prefix are grouped. */
struct ot_ptr_offset {
	struct ot_ptr_event base, inner;      /* first occurrence */
	const char *base_field, *inner_field; /* the pointer fields ("name_ptr") */
	uint64_t diff;
	char *prefix;	  /* the base string's first DIFF bytes */
	bool text_agrees; /* the inner string is the base string's text from DIFF on */
	unsigned *base_lines, *inner_lines; /* every occurrence */
	size_t n;
};

struct ot_pointers {
	struct ot_ptr_chain *chains; /* by first appearance */
	size_t nchains;
	struct ot_ptr_offset *offsets; /* by first appearance of the inner pointer */
	size_t noffsets;
};

/* The pointer evidence of a whole log. */
int ot_pointers_find(const struct ot_log *log, struct ot_pointers *p);
void ot_pointers_free(struct ot_pointers *p);

/* The same fed record by record, in log order (records need not outlive the call):
 * what is kept is each address's uses and each string pointer's text, not records. */
struct ot_ptr_finder;
struct ot_ptr_finder *ot_ptr_finder_new(void);
int ot_ptr_finder_add(struct ot_ptr_finder *pf, const struct ot_record *r);
/* The chains and offsets into P; the finder is freed either way. */
int ot_ptr_finder_finish(struct ot_ptr_finder *pf, struct ot_pointers *p);

/* "do_filp_open.entry", "__d_alloc.ret", or a fact's name. */
void ot_ptr_event_name(const struct ot_ptr_event *e, char *out, size_t outsz);

#endif
