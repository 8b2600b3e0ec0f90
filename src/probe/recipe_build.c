// SPDX-License-Identifier: MIT
/* Recipes from the spec and the kernel's BTF (see recipe_build.h). */
#include "probe/recipe_build.h"

#include "probe/backend.h"
#include "probe/fieldfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>


#define MAX_TOKEN 64

/* The type ID skips typedefs and qualifiers lead to. */
static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

/* Member NAME of the struct or union SID, looked for through anonymous members
 * too (qstr's len and hash sit in an anonymous struct of an anonymous union).
 * On success sets *BITS to its bit offset and *TYPE to its type. */
static bool find_member(const struct btf *btf, __u32 sid, const char *name, __u32 *bits,
			__u32 *type, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, sid));

	if (!t || !btf_is_composite(t) || depth > 4)
		return false;
	const struct btf_member *m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		__u32 off = btf_member_bit_offset(t, i);

		if (btf_member_bitfield_size(t, i))
			continue; /* a bitfield cannot be read byte-wise */
		if (mn && *mn) {
			if (!strcmp(mn, name)) {
				*bits = off;
				*type = m->type;
				return true;
			}
			continue;
		}
		__u32 inner_bits, inner_type;
		if (find_member(btf, m->type, name, &inner_bits, &inner_type, depth + 1)) {
			*bits = off + inner_bits;
			*type = inner_type;
			return true;
		}
	}
	return false;
}

/* The next token of a path: an identifier, "->", "." or "" at the end. */
static const char *next_token(const char *p, char *tok, size_t toksz)
{
	size_t n = 0;

	if (p[0] == '-' && p[1] == '>') {
		snprintf(tok, toksz, "->");
		return p + 2;
	}
	if (p[0] == '.') {
		snprintf(tok, toksz, ".");
		return p + 1;
	}
	while (p[n] && p[n] != '-' && p[n] != '.' && p[n] != '|' && n + 1 < toksz) {
		tok[n] = p[n];
		n++;
	}
	tok[n] = '\0';
	return p + n;
}

/* A member token with an index, "regs[2]" (arm64's saved registers are an
 * array): cuts TOK to the member's name and returns the index, -1 when there is
 * none, -2 when it is malformed. */
static int split_index(char *tok)
{
	char *open = strchr(tok, '['), *end;
	long n;

	if (!open)
		return -1;
	n = strtol(open + 1, &end, 10);
	if (end == open + 1 || *end != ']' || end[1] || n < 0 || n > 0xffff)
		return -2;
	*open = '\0';
	return (int)n;
}

/* Element IDX of the array *TYPE: adds its offset to *OFF and makes *TYPE its
 * element's type. Returns NULL, or why it cannot. */
static const char *index_array(const struct btf *btf, __u32 *type, int idx, int *off)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, *type));
	const struct btf_array *a;
	long esz;

	if (!t || !btf_is_array(t))
		return "an index on a member that is no array";
	a = btf_array(t);
	if ((__u32)idx >= a->nelems)
		return "an index past the array's end";
	esz = btf__resolve_size(btf, a->type);
	if (esz <= 0 || esz > 0xffff)
		return "an array whose elements have no usable size";
	*off += idx * (int)esz;
	*type = a->type;
	return NULL;
}

/* Resolves one alternative of a path (PATH up to END) into F. FP is the
 * function's prototype. Returns NULL on success, or why it does not apply. */
static const char *resolve_alt(const struct btf *btf, const struct btf_type *fp, const char *path,
			       const char *end, struct ot_rcp_field *f, __u32 *final_type,
			       char *where, size_t wsz)
{
	static char why[2 * OT_RCP_NOTE];
	char tok[MAX_TOKEN], buf[256];
	const char *p;
	__u32 type, bits;
	bool in_struct = false;
	int off = 0;
	size_t len = (size_t)(end - path);

	if (len >= sizeof(buf))
		return "path too long";
	memcpy(buf, path, len);
	buf[len] = '\0';
	p = buf;
	memset(f, 0, sizeof(*f));
	if (*p == '&') {
		f->addr = 1;
		p++;
	}
	p = next_token(p, tok, sizeof(tok));
	if (!strcmp(tok, "$ret")) {
		f->src = OT_SRC_RET;
		type = fp->type;
		snprintf(where, wsz, "return value");
	} else {
		const struct btf_param *prm = btf_params(fp);
		int i, n = btf_vlen(fp);

		for (i = 0; i < n; i++, prm++) {
			const char *pn = btf__name_by_offset(btf, prm->name_off);

			if (pn && !strcmp(pn, tok))
				break;
		}
		if (i == n) {
			ot_setf(why, sizeof(why), "the prototype has no parameter '%s'", tok);
			return why;
		}
		if (i >= OT_RCP_ARGS)
			return "the parameter is not passed in a register";
		for (int k = 0; k < i; k++) {
			long sz = btf__resolve_size(btf, btf_params(fp)[k].type);
			if (sz < 0 || sz > 8)
				return "an earlier parameter is passed by value in several registers";
		}
		f->src = OT_SRC_ARG;
		f->arg = (__u8)i;
		type = prm->type;
		snprintf(where, wsz, "arg%d (%s)", i, tok);
	}
	while (*p) {
		char sep[4];
		const struct btf_type *t;
		const char *bad;
		int idx;

		p = next_token(p, sep, sizeof(sep));
		p = next_token(p, tok, sizeof(tok));
		idx = split_index(tok);
		if (!*tok || idx == -2)
			return "malformed path";
		if (!strcmp(sep, "->")) {
			if (in_struct) {
				/* The pointer we follow is a member: read it. */
				if (f->nsteps >= OT_RCP_STEPS)
					return "path too deep";
				f->off[f->nsteps++] = (__u16)off;
			}
			t = btf__type_by_id(btf, skip_mods(btf, type));
			if (!t || !btf_is_ptr(t)) {
				ot_setf(why, sizeof(why), "'%s' does not follow a pointer", tok);
				return why;
			}
			type = t->type;
			off = 0;
			in_struct = true;
		} else if (strcmp(sep, ".") || !in_struct) {
			return "malformed path";
		}
		if (!find_member(btf, type, tok, &bits, &type, 0)) {
			t = btf__type_by_id(btf, skip_mods(btf, type));
			ot_setf(why, sizeof(why), "struct %s has no member '%s'",
				 t ? btf__name_by_offset(btf, t->name_off) : "?", tok);
			return why;
		}
		if (bits % 8)
			return "a member not on a byte boundary";
		off += (int)(bits / 8);
		if (idx >= 0 && (bad = index_array(btf, &type, idx, &off)))
			return bad;
		if (off > 0xffff)
			return "a member too far into its struct";
		ot_setf(where + strlen(where), wsz - strlen(where), "%s%s", sep, tok);
		if (idx >= 0)
			ot_setf(where + strlen(where), wsz - strlen(where), "[%d]", idx);
	}
	if (in_struct) {
		if (f->nsteps >= OT_RCP_STEPS)
			return "path too deep";
		f->off[f->nsteps++] = (__u16)off;
	} else if (f->addr) {
		return "'&' needs a member";
	}
	*final_type = type;
	if (f->addr) {
		f->size = 8;
		ot_setf(where + strlen(where), wsz - strlen(where), " (address)");
		return NULL;
	}
	long sz = btf__resolve_size(btf, type);
	if (sz != 1 && sz != 2 && sz != 4 && sz != 8) {
		ot_setf(why, sizeof(why), "the value is %ld bytes, not a word", sz);
		return why;
	}
	f->size = (__u8)sz;
	return NULL;
}

static enum ot_rcp_read read_of(enum ot_field_read r)
{
	switch (r) {
	case OT_READ_KSTR:
		return OT_RD_KSTR;
	case OT_READ_USTR:
		return OT_RD_USTR;
	case OT_READ_COUNTED:
		return OT_RD_COUNTED;
	case OT_READ_ISNULL:
		return OT_RD_ISNULL;
	case OT_READ_SAME:
		return OT_RD_SAME;
	case OT_READ_VALUE:
		break;
	}
	return OT_RD_VALUE;
}

static bool is_pointer(const struct btf *btf, __u32 type)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, type));

	return t && btf_is_ptr(t);
}

/* Resolves field I of FIELDS (the entry or return half of a spec). */
static void build_field(const struct btf *btf, const struct btf_type *fp,
			const struct ot_field_spec *fields, int i, bool args_ok, bool ret_ok,
			struct ot_rcp_field *out, int *nstr, char *note)
{
	const struct ot_field_spec *s = &fields[i];
	const char *why = "no path", *alt = s->path, *bar;
	char where[OT_RCP_NOTE] = "";
	__u32 final_type = 0;

	memset(&out[i], 0, sizeof(out[i]));
	while (alt && *alt) {
		bar = strchr(alt, '|');
		if (!bar)
			bar = alt + strlen(alt);
		where[0] = '\0';
		why = resolve_alt(btf, fp, alt, bar, &out[i], &final_type, where, sizeof(where));
		if (!why && out[i].src == OT_SRC_ARG && !args_ok)
			why = "only an optimised copy exists: its parameters may differ";
		if (!why && out[i].src == OT_SRC_RET && !ret_ok)
			why = "only a fragment exists: its return is not the function's";
		if (!why)
			break;
		alt = *bar ? bar + 1 : bar;
	}
	if (why) {
		memset(&out[i], 0, sizeof(out[i]));
		ot_setf(note, OT_RCP_NOTE, "absent: %.86s", why);
		return;
	}
	out[i].read = read_of(s->read);
	out[i].put = (__u8)ot_field_put(s);
	if (s->kind == OT_FK_STR) {
		if (!out[i].addr && !is_pointer(btf, final_type)) {
			memset(&out[i], 0, sizeof(out[i]));
			ot_setf(note, OT_RCP_NOTE, "absent: %.60s is not a pointer to a string", where);
			return;
		}
		if (*nstr >= OT_RCP_STRS) {
			memset(&out[i], 0, sizeof(out[i]));
			ot_setf(note, OT_RCP_NOTE, "absent: more than %d strings in one record",
				 OT_RCP_STRS);
			return;
		}
		out[i].str = (__u8)(*nstr)++;
	}
	if (s->with) {
		int w = ot_probe_field_index(fields, s->with);

		if (w < 0 || w >= i || !out[w].src) {
			memset(&out[i], 0, sizeof(out[i]));
			ot_setf(note, OT_RCP_NOTE, "absent: needs field '%s', which is absent",
				 s->with);
			return;
		}
		out[i].aux = (__u8)w;
	}
	if (s->guard) {
		int g = ot_probe_field_index(fields, s->guard);

		if (g < 0 || g >= i || !out[g].src) {
			memset(&out[i], 0, sizeof(out[i]));
			ot_setf(note, OT_RCP_NOTE, "absent: needs field '%s', which is absent",
				 s->guard);
			return;
		}
		out[i].guard = (__u8)(g + 1);
		out[i].guard_mask = s->guard_mask;
		out[i].guard_val = s->guard_val;
	}
	ot_setf(note, OT_RCP_NOTE, "%s", where);
}

int ot_recipe_build(const struct btf *btf, const struct ot_probe *p, const char *func_name,
		    bool args_ok, bool ret_ok, struct ot_rcp_func *rcp, struct ot_rcp_notes *notes)
{
	const struct btf_type *fn, *fp;
	int id, present = 0;

	memset(rcp, 0, sizeof(*rcp));
	memset(notes, 0, sizeof(*notes));
	id = btf ? btf__find_by_name_kind(btf, func_name, BTF_KIND_FUNC) : -1;
	fn = id > 0 ? btf__type_by_id(btf, id) : NULL;
	fp = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!fp || !btf_is_func_proto(fp)) {
		for (int h = 0; h < 2; h++) {
			const struct ot_field_spec *f = h ? p->ret : p->entry;

			for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
				ot_setf(h ? notes->ret[i] : notes->entry[i], OT_RCP_NOTE,
					 "absent: BTF has no prototype of %s", func_name);
		}
		return -1;
	}
	rcp->nargs = (__u8)btf_vlen(fp);
	rcp->ret_void = fp->type == 0;
	for (int h = 0; h < 2; h++) {
		const struct ot_field_spec *f = h ? p->ret : p->entry;
		struct ot_rcp_field *out = h ? rcp->ret : rcp->entry;
		int nstr = 0;

		for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++) {
			build_field(btf, fp, f, i, args_ok, ret_ok, out, &nstr,
				    h ? notes->ret[i] : notes->entry[i]);
			present += out[i].src != OT_SRC_NONE;
			if (out[i].src == OT_SRC_ARG) {
				rcp->args_used |= (__u8)(1u << out[i].arg);
				if (h)
					rcp->ret_args |= (__u8)(1u << out[i].arg);
			}
		}
	}
	return present;
}

enum ot_ret_kind ot_recipe_ret_kind(const struct btf *btf, const char *func_name,
				    enum ot_ret_kind deflt)
{
	int id = btf ? btf__find_by_name_kind(btf, func_name, BTF_KIND_FUNC) : -1;
	const struct btf_type *fn = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_type *fp = fn ? btf__type_by_id(btf, fn->type) : NULL;
	const struct btf_type *rt;

	if (!fp || !btf_is_func_proto(fp))
		return deflt;
	if (!fp->type)
		return OT_RET_VOID;
	rt = btf__type_by_id(btf, skip_mods(btf, fp->type));
	if (!rt)
		return deflt;
	if (btf_is_ptr(rt))
		return OT_RET_PTR;
	return btf__resolve_size(btf, fp->type) == 8 ? OT_RET_LONG : OT_RET_INT;
}

enum ot_kprobe_arch ot_recipe_arch(const struct btf *btf)
{
	__s32 regs = btf__find_by_name_kind(btf, "pt_regs", BTF_KIND_STRUCT);
	__u32 bits, type;

	if (regs <= 0)
		return OT_KPROBE_ARCH_UNKNOWN;
	if (find_member(btf, (__u32)regs, "di", &bits, &type, 0))
		return OT_KPROBE_ARCH_X86_64;
	if (find_member(btf, (__u32)regs, "pstate", &bits, &type, 0))
		return OT_KPROBE_ARCH_ARM64;
	return OT_KPROBE_ARCH_UNKNOWN;
}

bool ot_recipe_fetcharg(enum ot_kprobe_arch arch, const struct ot_rcp_field *f,
			enum ot_field_kind kind, char *buf, size_t size)
{
	/* the argument registers, in the calling convention's order */
	static const char *const regs[][OT_RCP_ARGS] = {
	    [OT_KPROBE_ARCH_X86_64] = {"%di", "%si", "%dx", "%cx", "%r8", "%r9"},
	    [OT_KPROBE_ARCH_ARM64] = {"%x0", "%x1", "%x2", "%x3", "%x4", "%x5"},
	};
	char a[160], b[160], *v = a, *next = b, *t;
	int n;

	if (size)
		snprintf(buf, size, "-");
	if (arch == OT_KPROBE_ARCH_UNKNOWN || f->src == OT_SRC_NONE || f->addr || f->guard ||
	    f->read == OT_RD_COUNTED || f->read == OT_RD_ISNULL || f->read == OT_RD_SAME ||
	    (f->src == OT_SRC_ARG && f->arg >= OT_RCP_ARGS))
		return false;
	snprintf(v, sizeof(a), "%s", f->src == OT_SRC_RET ? "$retval" : regs[arch][f->arg]);
	for (int s = 0; s < f->nsteps && s < OT_RCP_STEPS; s++) {
		/* every step reads at value + offset: a pointer, then the last field */
		n = snprintf(next, sizeof(a), "+%u(%s)", f->off[s], v);
		if (n < 0 || (size_t)n >= sizeof(a))
			return false;
		t = v;
		v = next;
		next = t;
	}
	if (f->read == OT_RD_KSTR || f->read == OT_RD_USTR)
		n = snprintf(buf, size, "+0(%s):%s", v, f->read == OT_RD_USTR ? "ustring" : "string");
	else if (kind == OT_FK_PTR)
		n = snprintf(buf, size, "%s:x64", v);
	else
		n = snprintf(buf, size, "%s:%c%u", v, kind == OT_FK_INT32 || kind == OT_FK_DFD ? 's' : 'u',
			     8u * (f->size ? f->size : 8));
	return n > 0 && (size_t)n < size;
}
