/* SPDX-License-Identifier: MIT */
/* Resolution of roles on the running kernel, shared by both backends: which name
 * a role has here (kallsyms), which symbol to attach (the function, or an
 * optimised copy such as foo.isra.0; one of several static functions of one name
 * picked by address), how (fentry when BTF and trampolines allow, else kprobes),
 * and the recipe of every field (recipe_build.h). Never a version number. */
#ifndef OT_PROBE_RESOLVE_H
#define OT_PROBE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/recipe.h"
#include "probe/recipe_build.h"
#include "probe/spec.h"

struct btf;

enum ot_attach_mode {
	OT_ATTACH_SKIP,
	OT_ATTACH_FENTRY, /* fentry + fexit on the BTF name */
	OT_ATTACH_KPROBE, /* kprobe + kretprobe on the (possibly suffixed) symbol */
};

struct ot_resolved {
	const struct ot_probe *probe; /* the role's spec */
	char name[64];		      /* the role's name on this kernel ("" if none found) */
	char sym[128];		      /* the symbol attached: NAME or an optimised copy */
	unsigned long long addr;      /* SYM's address when several share the name (else 0) */
	unsigned long long start, end; /* SYM's text range, when kallsyms shows addresses */
	unsigned long long text_lo, text_hi; /* the kernel's own text (_stext.._etext) */
	bool several;		      /* several functions have this name */
	char mod[64];		      /* the module SYM is in ("" for vmlinux) */
	enum ot_attach_mode mode;
	char why[160]; /* why skipped, or why not fentry; never contains ',' */
	bool have_btf; /* BTF has NAME's prototype: fields found by name */
	bool proto_debuginfo; /* that prototype came from the debug info (protos.h) */
	enum ot_ret_kind ret_kind; /* what the prototype returns (the spec's without BTF) */
	struct ot_rcp_func rcp;
	struct ot_rcp_notes notes;
};

/* What the kernel allows; filled by the backend before ot_resolve. */
struct ot_resolve_env {
	const struct btf *btf; /* the running kernel's BTF (NULL: none) */
	/* -v: the backend's name, to say which prototypes came from the debug info
	 * (probe/protos.h) and which were left out (NULL: quiet). */
	const char *verbose;
	bool fentry;	       /* fentry/fexit programs attach */
	bool kprobes;	       /* kprobes (or kretprobes) exist */
	bool fragments_ok;     /* a .part.N fragment may be probed (it misses inlined calls) */
};

/* Resolves ROLES[0..N) into OUT[0..N) (kallsyms and ftrace's list are read once; a
 * vmlinux function BTF has no prototype of gets it from the running kernel's source
 * index when there is one, probe/protos.h).
 * Roles unknown to the spec are skipped with that reason. Sets *KTEXT to the
 * running kernel's _text (0 when hidden). Returns -1 when /proc/kallsyms cannot be
 * read. */
int ot_resolve(const struct ot_resolve_env *env, const char *const *roles, size_t n,
	       struct ot_resolved *out, unsigned long long *ktext);

/* -v: one line per function: name found, how it is attached, where each field is read. */
void ot_resolve_say(const struct ot_resolved *r, const char *backend);

/* For run.fact: "role=name,..." for roles whose name differs on this kernel. */
void ot_resolve_roles(const struct ot_resolved *r, size_t n, char *buf, size_t sz);

/* For run.fact: "role=ptr,..." for roles whose prototype here returns another kind
 * than the spec says (a pointer where the spec has an int, ...). */
void ot_resolve_returns(const struct ot_resolved *r, size_t n, char *buf, size_t sz);

/* The caller's return address among FRAMES[0..N) (a kernel stack, innermost
 * first): the frame after the one inside R's text; 0 when it cannot be told. */
unsigned long long ot_resolve_caller(const struct ot_resolved *r, const unsigned long long *frames,
				     int n);

#endif
