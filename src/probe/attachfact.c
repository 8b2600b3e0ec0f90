// SPDX-License-Identifier: MIT
/* The attach fact of both backends (see attachfact.h). */
#include "probe/attachfact.h"

#include <stdint.h>
#include <unistd.h>

#include "record/lineformat.h"
#include "record/logwrite.h"
#include "probe/backend.h"

int ot_attach_fact_write(FILE *log, const char *backend, const struct ot_resolved *res, size_t nres,
			 unsigned long long ktext)
{
	char probes[2048] = "", skipped[4096] = "", modes[4096] = "", roles[1024], rets[512];
	struct ot_line l;

	for (size_t i = 0; i < nres; i++) {
		const struct ot_resolved *r = &res[i];
		const char *role = r->probe ? r->probe->func : "?";

		if (r->mode == OT_ATTACH_SKIP) {
			ot_appendf(skipped, sizeof(skipped), "%s%s:%s", *skipped ? "," : "", role,
				   r->why);
			continue;
		}
		ot_appendf(probes, sizeof(probes), "%s%s", *probes ? "," : "", role);
		if (r->mode == OT_ATTACH_FENTRY)
			ot_appendf(modes, sizeof(modes), "%s%s=fentry", *modes ? "," : "", role);
		else
			ot_appendf(modes, sizeof(modes), "%s%s=kprobe:%s", *modes ? "," : "", role,
				   r->sym);
	}
	ot_resolve_roles(res, nres, roles, sizeof(roles));
	ot_resolve_returns(res, nres, rets, sizeof(rets));
	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, OT_FACT_BACKEND, backend);
	ot_line_str(&l, OT_FACT_PROBES, probes);
	ot_line_str(&l, OT_FACT_SKIPPED, skipped);
	ot_line_str(&l, OT_FACT_ATTACH, modes);
	ot_line_str(&l, OT_FACT_ROLES, roles);
	if (*rets)
		ot_line_str(&l, OT_FACT_RETURNS, rets);
	if (ktext)
		ot_line_ptr(&l, OT_FACT_KTEXT, ktext);
	return ot_line_write(&l, log);
}
