/* SPDX-License-Identifier: MIT */
/* Source-level facts of a trace's calls: each call's call site (file:line in its
 * caller) and the chain of inlined functions between the traced caller and the call,
 * from the caller= return address of its entry record and the run's ktext=, and each
 * called function's definition. Read from the kernel's source index. */
#ifndef OT_SRCINFO_H
#define OT_SRCINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "srcmap/indexread.h"
#include "trace/trace.h"

struct ot_call_src {
	struct ot_src_frame *frames; /* innermost first; NULL: no call site known */
	size_t nframes;		     /* frames[nframes-1] is the out-of-line caller */
	const char *def_file;	     /* the called function's definition, or NULL */
	unsigned def_line;
	/* The line the caller resumes at (the return address's line, in the same function
	 * as the call), or 0. frames[0].line is the line of the call itself. */
	const char *resume_file;
	unsigned resume_line;
};

struct ot_srcinfo {
	char *kernel;
	struct ot_srcindex ix;
	struct ot_call_src *calls; /* by call index (trace->calls) */
	size_t ncalls;
	size_t with_caller; /* calls whose entry carries caller= */
	size_t resolved;    /* ... and whose call site the index resolved */
};

/* Why a trace has no source-level facts. */
enum ot_srcinfo_status {
	OT_SRC_OK,
	OT_SRC_NO_CALLERS, /* the log has no caller= fields (older backends, the seeds) */
	OT_SRC_NO_KERNEL,  /* no run.fact kernel= or ktext= */
	OT_SRC_NO_INDEX,   /* no usable source index for the kernel */
};

/* The kernel (uname -r) a trace's log names and whether its calls carry caller=. */
const char *ot_srcinfo_kernel(const struct ot_trace *t);
bool ot_srcinfo_has_callers(const struct ot_trace *t);

/* Resolve T's calls with the index at INDEX_PATH. On OT_SRC_OK *out is set (free it
 * with ot_srcinfo_free); otherwise *why says what was missing. */
enum ot_srcinfo_status ot_srcinfo_build(const struct ot_trace *t, const char *index_path,
					struct ot_srcinfo **out, const char **why);
void ot_srcinfo_free(struct ot_srcinfo *s);

/* The call-site facts of C, or NULL. */
const struct ot_call_src *ot_call_src_of(const struct ot_trace *t, const struct ot_call *c);

/* The name the kernel's debug info knows FUNC by: run.fact roles="ROLE=REALNAME,..."
 * maps a role name to the real one. Writes into BUF. */
const char *ot_srcinfo_real_name(const struct ot_trace *t, const char *func, char *buf,
				 size_t size);
/* One pair of a roles= list: from *P, the next ROLE (*RL bytes) = NAME (*NL bytes);
 * *P moves past it. False at the end. */
bool ot_srcinfo_role_next(const char **p, const char **role, size_t *rl, const char **name,
			  size_t *nl);

/* Was C called from function NAME: NAME is one of the inlined frames between C and its
 * out-of-line caller, or that caller, or (without call-site facts) the traced parent? */
bool ot_call_called_from(const struct ot_trace *t, const struct ot_call *c, const char *name);

#endif
