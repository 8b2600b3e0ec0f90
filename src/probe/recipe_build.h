/* SPDX-License-Identifier: MIT */
/* Builds a function's recipe (recipe.h) from its spec (spec.h) and a kernel's
 * BTF: each parameter is found by name in the function's prototype, each member
 * by name in the kernel's own types. A field the kernel does not have is absent,
 * with the reason, never read from a guessed place. */
#ifndef OT_PROBE_RECIPE_BUILD_H
#define OT_PROBE_RECIPE_BUILD_H

#include <stdbool.h>
#include <linux/types.h>

#include "probe/recipe.h"
#include "probe/spec.h"

struct btf;

#define OT_RCP_NOTE 96

/* What became of each field: how it is read, or why it is absent. */
struct ot_rcp_notes {
	char entry[OT_RCP_FIELDS][OT_RCP_NOTE];
	char ret[OT_RCP_FIELDS][OT_RCP_NOTE];
};

/* Fills RCP for P as the kernel function FUNC_NAME has it in BTF. With
 * ARGS_OK false (only an optimised copy of the function exists, whose
 * parameters may differ from the prototype), arguments are absent and only
 * paths from the return value are kept; with RET_OK false, those too.
 * Returns the number of fields present, or -1 when BTF has no prototype for
 * FUNC_NAME (then every field is absent). */
int ot_recipe_build(const struct btf *btf, const struct ot_probe *p, const char *func_name,
		    bool args_ok, bool ret_ok, struct ot_rcp_func *rcp, struct ot_rcp_notes *notes);

/* What FUNC_NAME's prototype returns, as a kind (DEFLT without a prototype). */
enum ot_ret_kind ot_recipe_ret_kind(const struct btf *btf, const char *func_name,
				    enum ot_ret_kind deflt);

/* Whose registers a kprobe reads, for the fetch arguments below. */
enum ot_kprobe_arch {
	OT_KPROBE_ARCH_UNKNOWN,
	OT_KPROBE_ARCH_X86_64,
	OT_KPROBE_ARCH_ARM64,
};

/* The architecture a kernel's BTF is of, told by its struct pt_regs (x86-64's
 * has di, arm64's pstate); UNKNOWN for another one or without it. */
enum ot_kprobe_arch ot_recipe_arch(const struct btf *btf);

/* Field F of a recipe as a kprobe_events fetch argument on ARCH ("+8(%dx):u32",
 * "+0(+0(%si)):string", "$retval:x64"; on arm64 "%x2:s32"), for a kernel
 * engineer to read the same value with the kernel's own tracer; KIND is the spec
 * field's. False (and "-") when kprobe_events has no such fetch: an absent
 * field, an address computed but not read, a counted string, a comparison, an
 * architecture whose registers are not known here. */
bool ot_recipe_fetcharg(enum ot_kprobe_arch arch, const struct ot_rcp_field *f,
			enum ot_field_kind kind, char *buf, size_t size);

#endif
