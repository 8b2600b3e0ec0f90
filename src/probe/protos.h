/* SPDX-License-Identifier: MIT */
/* Prototypes a kernel's BTF lacks, taken from its debug info. Some kernels' BTF has
 * every struct but no prototype of a static function (Debian's arm64 5.10: no
 * do_sys_openat2, may_open, __d_alloc, ...), so no argument could be found by name.
 * The source index built from the kernel's DWARF (`opentrail debuginfo`) keeps the
 * prototype of every probed function (docs/source-index.md); from it, a BTF split on
 * the kernel's own gets a FUNC and FUNC_PROTO for each function asked for, its
 * parameter and return types being the kernel's own types found by name. The
 * kernel's BTF itself is left as it is (modules' BTF is split on it). */
#ifndef OT_PROBE_PROTOS_H
#define OT_PROBE_PROTOS_H

#include <stdbool.h>
#include <stddef.h>

#include "srcmap/indexread.h"

struct btf;

struct ot_protos {
	const struct btf *vmlinux; /* the kernel's BTF */
	const char *index_path;	   /* the index (NULL: the running kernel's, from the cache) */
	int state;		   /* 0: index not read yet; 1: read; -1: none to read */
	struct ot_srcindex ix;
	struct btf *split; /* the prototypes added so far, on VMLINUX (NULL: none) */
	char said[512];	   /* for -v: what was added, what was left out and why */
};

/* Before a resolution: prototypes for VMLINUX from INDEX_PATH (NULL: the running
 * kernel's index in opentrail's cache, used only when it is this kernel's). Nothing is
 * read until a prototype is asked for. */
void ot_protos_init(struct ot_protos *p, const struct btf *vmlinux, const char *index_path);

/* A BTF (VMLINUX's types and the prototypes added) that has function NAME's prototype
 * from the index, or NULL when the index has none, or names a type VMLINUX does not
 * have (said in P->said). Valid until ot_protos_free. */
const struct btf *ot_protos_get(struct ot_protos *p, const char *name);

void ot_protos_free(struct ot_protos *p);

#endif
