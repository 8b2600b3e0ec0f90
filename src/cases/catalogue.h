/* SPDX-License-Identifier: MIT */
/* The case catalogue as data: every scenario (docs/cases.md lists them), its probe
 * set and its claims (in the claim language of src/claims/claims.h). */
#ifndef OT_CATALOGUE_H
#define OT_CATALOGUE_H

#include <stddef.h>

#define OT_MAX_CASE_CLAIMS 16

/* The open path's functions, as the cases and `trace`'s default probe set name them:
 * the path walk, then the dentry cache's lookups and allocations. */
#define OT_OPEN_PATH "do_sys_openat2,getname,do_filp_open,path_openat,link_path_walk,"
#define OT_DCACHE                                                                                  \
	"lookup_open,d_lookup,__d_lookup,__d_lookup_rcu,d_alloc_parallel,__d_alloc,d_splice_alias,"  \
	"__d_add"

struct ot_case {
	const char *id;
	const char *title;
	const char *intent;
	const char *trigger; /* program in build/triggers/, run with the gate protocol */
	const char *anchor;  /* function whose calls are the case's operations: op#1, op#2, ... */
	const char *probes;  /* comma-separated probe set (names from the probe spec) */
	const char *claims[OT_MAX_CASE_CLAIMS]; /* the case's own claims */
	const char *notes; /* kernel facts behind the claims (source file:function) */
	/* Functions whose source lines are probed (comma-separated; NULL: none): where the
	 * kernel's debug info is at hand (docs/source-index.md "Line probes"). */
	const char *lines;
};

const struct ot_case *ot_case_find(const char *id);
const struct ot_case *ot_case_at(size_t i);
size_t ot_case_count(void);

/* The probe sets of several cases as one: each function once, those more cases use
 * first (a backend that holds fewer than all keeps what most cases need), in order
 * of first use among equals. */
struct ot_probe_union {
	const char **funcs;
	size_t n;
	char *buf;
};
int ot_probe_union_of(const struct ot_case *const *cases, size_t ncases, struct ot_probe_union *u);
void ot_probe_union_free(struct ot_probe_union *u);

#endif
