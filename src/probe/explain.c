// SPDX-License-Identifier: MIT
/* The probe spec against a BTF file (see explain.h). */
#include "probe/explain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "probe/recipe_build.h"
#include "probe/spec.h"

/* The first of P's names that BTF has a function of, or NULL. */
static const char *name_in_btf(const struct btf *btf, const struct ot_probe *p)
{
	for (int k = 0; k < OT_MAX_NAMES && p->names[k]; k++)
		if (btf__find_by_name_kind(btf, p->names[k], BTF_KIND_FUNC) > 0)
			return p->names[k];
	return NULL;
}

int ot_probe_explain(FILE *out, const char *btf_path, char *why, size_t whysz)
{
	struct btf *btf = btf__parse(btf_path, NULL);
	struct ot_rcp_notes *notes = calloc(1, sizeof(*notes));
	struct ot_rcp_func rcp;

	if (!btf || !notes) {
		snprintf(why, whysz, "cannot read BTF from %s (%s): give a vmlinux with a .BTF section "
			 "or a raw BTF file such as /sys/kernel/btf/vmlinux",
			 btf_path, strerror(errno));
		btf__free(btf);
		free(notes);
		return -1;
	}
	enum ot_kprobe_arch arch = ot_recipe_arch(btf);

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);
		const char *name = name_in_btf(btf, p);

		if (!name) {
			fprintf(out, "%-24s absent: BTF has none of its names (inlined, renamed or gone)\n",
				p->func);
			continue;
		}
		ot_recipe_build(btf, p, name, true, true, &rcp, notes);
		if (strcmp(name, p->func))
			fprintf(out, "%-24s as %s, %d parameters\n", p->func, name, rcp.nargs);
		else
			fprintf(out, "%-24s %d parameters\n", p->func, rcp.nargs);
		for (int h = 0; h < 2; h++) {
			const struct ot_field_spec *f = h ? p->ret : p->entry;

			for (int k = 0; k < OT_MAX_FIELDS && f[k].key; k++) {
				char fetch[192];

				fprintf(out, "    %s %-14s %s", h ? "ret  " : "entry", f[k].key,
					h ? notes->ret[k] : notes->entry[k]);
				/* then the same read for kprobe_events, where it has one */
				if (ot_recipe_fetcharg(arch, h ? &rcp.ret[k] : &rcp.entry[k],
						       f[k].kind, fetch, sizeof(fetch)))
					fprintf(out, "  [kprobe_events: %s=%s]", f[k].key, fetch);
				fputc('\n', out);
			}
		}
	}
	btf__free(btf);
	free(notes);
	return 0;
}
