/* SPDX-License-Identifier: MIT */
/* A kernel's compact source index (docs/source-index.md): the address ranges of the
 * functions opentrail traces and of their callers, the inlined instances inside them
 * with their call sites, those ranges' line table, and each function's definition.
 * Built once per kernel from the DWARF vmlinux (src/srcindex/), read here without
 * libdw, so that reports need neither the debug package nor the vmlinux. */
#ifndef OT_SRCMAP_INDEXREAD_H
#define OT_SRCMAP_INDEXREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OT_SRCINDEX_MAGIC "opentrail-srcindex 1"

/* One code range of a function: DEPTH 0 is an out-of-line function (FILE:LINE its
 * definition); DEPTH n > 0 an instance inlined n levels deep (FILE:LINE the call
 * site in the function it was inlined into). */
struct ot_src_scope {
	uint64_t low, high; /* [low, high), link-time addresses */
	unsigned depth;
	unsigned name; /* index into names */
	unsigned file; /* index into files */
	unsigned line;
};

struct ot_src_line {
	uint64_t addr;
	unsigned file;
	unsigned line; /* 0: end of a sequence (no line from here on) */
};

struct ot_src_def {
	unsigned name, file, line;
};

/* A probed function's prototype from DWARF: its return type, then NAME=TYPE per
 * parameter (docs/source-index.md), for a kernel whose BTF lacks it. */
struct ot_src_proto {
	unsigned name;
	char *sig;
};

struct ot_srcindex {
	char *kernel;  /* uname -r of the kernel it describes */
	uint64_t text; /* link-time address of _text */
	char **files;  /* source paths, relative to the kernel tree */
	size_t nfiles;
	char **names; /* function names */
	size_t nnames;
	struct ot_src_scope *scopes; /* sorted by low */
	size_t nscopes;
	uint64_t *reach; /* reach[i]: the highest end of scopes[0..i] (lookups stop below it) */
	struct ot_src_line *lines; /* sorted by addr */
	size_t nlines;
	struct ot_src_def *defs; /* sorted by name */
	size_t ndefs;
	struct ot_src_proto *protos; /* as written (an index built before them has none) */
	size_t nprotos;
};

/* One frame of a resolved address, innermost first: the function the instruction
 * belongs to and the source line it came from. Every frame but the last is inlined
 * into the next; the last is the out-of-line function. */
struct ot_src_frame {
	const char *func;
	const char *file;
	unsigned line;
	bool inlined;
};

/* Read an index file. Returns 0, or -1 with *why saying what is wrong with it. */
int ot_srcindex_load(const char *path, struct ot_srcindex *ix, const char **why);
void ot_srcindex_free(struct ot_srcindex *ix);

/* The frames of the instruction at link-time address ADDR, innermost first; returns
 * how many (0: ADDR is in none of the index's ranges). For a return address pass
 * the address of the call instruction's last byte (return address - 1). */
size_t ot_srcindex_frames(const struct ot_srcindex *ix, uint64_t addr, struct ot_src_frame *out,
			  size_t max);

/* The link-time address of a running kernel's ADDR, given that kernel's _text (KTEXT;
 * 0: ADDR is already a link-time address). */
/* The prototype of function NAME (exactly so named) as the index spells it, or NULL. */
const char *ot_srcindex_proto(const struct ot_srcindex *ix, const char *name);

uint64_t ot_srcindex_unrandomise(const struct ot_srcindex *ix, uint64_t addr, uint64_t ktext);

/* The definition of function NAME (also NAME.isra.0 and other compiler clones):
 * true with *file and *line set, or false when the index does not know it. */
bool ot_srcindex_definition(const struct ot_srcindex *ix, const char *name, const char **file,
			    unsigned *line);

#endif
