/* SPDX-License-Identifier: MIT */
/* Walking a vmlinux's DWARF (libdw) into the compact source index's lines. */
#ifndef OT_DWARFWALK_H
#define OT_DWARFWALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ot_walk_addr {
	uint64_t addr;
	uint64_t ktext; /* the running kernel's _text for a runtime address; 0: link-time */
};

struct ot_walk_opts {
	const char *kernel;	 /* uname -r */
	const char *text_symbol; /* "_text" */
	char **funcs;		 /* index the units defining these */
	size_t nfuncs;
	struct ot_walk_addr *addrs; /* and the units holding these addresses */
	size_t naddrs;
};

/* Writes the index of VMLINUX to OUT. Returns 0, or 2 after a one-line message on stderr. */
int ot_walk_vmlinux(const char *vmlinux, const struct ot_walk_opts *o, FILE *out);

#endif
