// SPDX-License-Identifier: MIT
/* The probe spec and the recipes built from it: the spec is consistent (what the
 * recipes and both backends rely on), roles are found under every name they have
 * had, and fields are resolved by name in a kernel's BTF -- here two BTFs built in
 * the test, one per prototype of may_open and one per name of the dentry's inline
 * name -- never by position. */
#include <bpf/btf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/protos.h"
#include "probe/recipe_build.h"
#include "probe/spec.h"
#include "testlib.h"

_Static_assert(OT_RCP_FIELDS == OT_MAX_FIELDS, "one recipe field per spec field");

static void check_half(int *ot_failed_, const struct ot_probe *p, const struct ot_field_spec *f)
{
	int nstr = 0;

	for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++) {
		for (int j = 0; j < i; j++)
			if (!strcmp(f[i].key, f[j].key)) {
				fprintf(stderr, "  %s: key %s twice\n", p->func, f[i].key);
				CHECK(0);
			}
		CHECK(f[i].path && *f[i].path);
		bool str_read = f[i].read == OT_READ_KSTR || f[i].read == OT_READ_USTR ||
				f[i].read == OT_READ_COUNTED;
		CHECK_INT(f[i].kind == OT_FK_STR, str_read);
		nstr += f[i].kind == OT_FK_STR;
		if (f[i].with) {
			int w = ot_probe_field_index(f, f[i].with);
			CHECK(w >= 0 && w < i);
		}
		if (f[i].guard) {
			int g = ot_probe_field_index(f, f[i].guard);
			CHECK(g >= 0 && g < i);
		}
	}
	CHECK(nstr <= OT_RCP_STRS);
}

TEST(spec_is_consistent)
{
	CHECK(ot_probe_count() >= 40);
	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);
		bool role_named = false;

		CHECK(p->names[0] != NULL);
		for (int k = 0; k < OT_MAX_NAMES && p->names[k]; k++) {
			role_named |= !strcmp(p->names[k], p->func);
			/* every name leads back to this role, and to no other */
			CHECK(ot_probe_find(p->names[k]) == p);
		}
		CHECK(role_named);
		check_half(ot_failed_, p, p->entry);
		check_half(ot_failed_, p, p->ret);
	}
}

TEST(spec_roles_under_every_name)
{
	CHECK_STR(ot_probe_role_of("do_file_open"), "do_filp_open");
	CHECK_STR(ot_probe_role_of("step_into_slowpath"), "step_into");
	CHECK_STR(ot_probe_role_of("dentry_kill"), "__dentry_kill");
	CHECK_STR(ot_probe_role_of("__d_lookup_done"), "__d_lookup_unhash_wake");
	CHECK_STR(ot_probe_role_of("d_alloc_parallel"), "d_alloc_parallel");
	CHECK(ot_probe_role_of("no_such_function") == NULL);
}

/* A BTF with struct path { struct dentry *dentry; }, struct dentry { ...; NAME[32] }
 * and, unless TYPES_ONLY, may_open with or without an idmap first parameter and
 * __d_alloc. */
static struct btf *make_btf_of(bool idmap_first, const char *inline_name, bool types_only)
{
	struct btf *b = btf__new_empty();
	int i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u8 = btf__add_int(b, "unsigned char", 1, 0);
	int u8ptr = btf__add_ptr(b, u8);
	int arr = btf__add_array(b, i32, u8, 32);
	int qstr = btf__add_struct(b, "qstr", 16);

	btf__add_field(b, "hash_len", i32, 0, 0);
	btf__add_field(b, "name", u8ptr, 64, 0);
	int dentry = btf__add_struct(b, "dentry", 64);
	btf__add_field(b, "d_inode", u8ptr, 0, 0);
	btf__add_field(b, "d_parent", u8ptr, 64, 0);
	btf__add_field(b, "d_name", qstr, 128, 0);
	btf__add_field(b, inline_name, arr, 256, 0);
	int dptr = btf__add_ptr(b, dentry);
	int path = btf__add_struct(b, "path", 16);
	btf__add_field(b, "mnt", u8ptr, 0, 0);
	btf__add_field(b, "dentry", dptr, 64, 0);
	int pptr = btf__add_ptr(b, path);
	if (types_only)
		return b;
	int proto = btf__add_func_proto(b, i32);
	if (idmap_first)
		btf__add_func_param(b, "idmap", u8ptr);
	btf__add_func_param(b, "path", pptr);
	btf__add_func_param(b, "acc_mode", i32);
	btf__add_func_param(b, "flag", i32);
	btf__add_func(b, "may_open", BTF_FUNC_STATIC, proto);
	/* __d_alloc(sb, name) returning a dentry */
	int proto2 = btf__add_func_proto(b, dptr);
	btf__add_func_param(b, "sb", u8ptr);
	btf__add_func_param(b, "name", u8ptr);
	btf__add_func(b, "__d_alloc", BTF_FUNC_STATIC, proto2);
	return b;
}

static struct btf *make_btf(bool idmap_first, const char *inline_name)
{
	return make_btf_of(idmap_first, inline_name, false);
}

/* A kernel whose BTF has the types but not the prototypes: they come from the
 * index, and the recipes are the ones the kernel's own prototypes would give. */
TEST(recipe_prototypes_from_the_index)
{
	const struct ot_probe *m = ot_probe_find("may_open"), *d = ot_probe_find("__d_alloc");
	struct btf *full = make_btf(true, "d_iname"), *types = make_btf_of(true, "d_iname", true);
	struct ot_rcp_notes notes;
	struct ot_rcp_func want, got;
	struct ot_protos pr;
	char path[] = "/tmp/ot-protos-XXXXXX";
	int fd = mkstemp(path);
	unsigned before = btf__type_cnt(types);
	const struct btf *b;

	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(ot_test_write_file(path, "opentrail-srcindex 1\nkernel k\ntext 1000\nf fs/namei.c\n"
					   "n may_open\nn __d_alloc\nn odd\nn va\nn gone\n"
					   "p 0 base:int idmap=*struct:mnt_idmap path=*struct:path "
					   "acc_mode=base:int flag=base:int\n"
					   "p 1 *struct:dentry sb=*struct:super_block name=*base:unsigned+char\n"
					   "p 2 base:int x=struct:no_such_struct\n"
					   "p 3 base:int n=base:int ...\n"), 0);
	CHECK_INT(ot_recipe_build(types, m, "may_open", true, true, &got, &notes), -1);
	ot_protos_init(&pr, types, path);
	b = ot_protos_get(&pr, "may_open");
	CHECK(b != NULL);
	CHECK(ot_recipe_build(full, m, "may_open", true, true, &want, &notes) > 0);
	CHECK(ot_recipe_build(b, m, "may_open", true, true, &got, &notes) > 0);
	CHECK(!memcmp(&want, &got, sizeof(want)));
	CHECK(ot_protos_get(&pr, "__d_alloc") == b);
	ot_recipe_build(full, d, "__d_alloc", true, true, &want, &notes);
	ot_recipe_build(b, d, "__d_alloc", true, true, &got, &notes);
	CHECK(!memcmp(&want, &got, sizeof(want)));
	CHECK_INT(ot_recipe_ret_kind(b, "__d_alloc", OT_RET_INT), OT_RET_PTR);
	/* a by-value type BTF lacks, variable arguments, no prototype: none given */
	CHECK(ot_protos_get(&pr, "odd") == NULL);
	CHECK(ot_protos_get(&pr, "va") == NULL);
	CHECK(ot_protos_get(&pr, "gone") == NULL);
	CHECK(strstr(pr.said, "odd: left out, a parameter's type is not in BTF") != NULL);
	CHECK(strstr(pr.said, "va: left out, variable arguments") != NULL);
	/* the kernel's own BTF is left as it was */
	CHECK_INT(btf__type_cnt(types), before);
	CHECK(btf__find_by_name_kind(types, "may_open", BTF_KIND_FUNC) < 0);
	ot_protos_free(&pr);
	/* no index: nothing */
	ot_protos_init(&pr, types, "/nonexistent/srcindex");
	CHECK(ot_protos_get(&pr, "may_open") == NULL);
	ot_protos_free(&pr);
	unlink(path);
	btf__free(full);
	btf__free(types);
}

TEST(recipe_reads_arguments_by_name)
{
	const struct ot_probe *p = ot_probe_find("may_open");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;
	int acc = ot_probe_field_index(p->entry, "acc_mode");
	int ino = ot_probe_field_index(p->entry, "inode");

	for (int idmap = 0; idmap < 2; idmap++) {
		struct btf *b = make_btf(idmap, "d_iname");

		CHECK(b != NULL);
		CHECK(ot_recipe_build(b, p, "may_open", true, true, &r, &notes) > 0);
		CHECK_INT(r.nargs, 3 + idmap);
		/* acc_mode is the second parameter before 5.12, the third since */
		CHECK_INT(r.entry[acc].src, OT_SRC_ARG);
		CHECK_INT(r.entry[acc].arg, 1 + idmap);
		CHECK_INT(r.entry[acc].nsteps, 0);
		CHECK_INT(r.entry[acc].size, 4);
		/* inode: path->dentry->d_inode, two reads at the members' offsets */
		CHECK_INT(r.entry[ino].arg, idmap);
		CHECK_INT(r.entry[ino].nsteps, 2);
		CHECK_INT(r.entry[ino].off[0], 8);
		CHECK_INT(r.entry[ino].off[1], 0);
		/* mode reads path->dentry->d_inode->i_mode: this BTF's inode has none */
		int mode = ot_probe_field_index(p->entry, "mode");
		CHECK_INT(r.entry[mode].src, OT_SRC_NONE);
		CHECK(strstr(notes.entry[mode], "absent") != NULL);
		btf__free(b);
	}
	/* a parameter the prototype lacks is absent, never guessed */
	struct btf *b = make_btf(false, "d_iname");
	CHECK_INT(ot_recipe_build(b, p, "may_open", false, true, &r, &notes) >= 0, 1);
	CHECK_INT(r.entry[acc].src, OT_SRC_NONE);
	CHECK(strstr(notes.entry[acc], "optimised copy") != NULL);
	CHECK_INT(ot_recipe_build(b, p, "no_such_function", true, true, &r, &notes), -1);
	btf__free(b);
}

TEST(recipe_follows_renamed_members)
{
	const struct ot_probe *p = ot_probe_find("__d_alloc");
	int in = ot_probe_field_index(p->ret, "inline_name");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;

	for (int renamed = 0; renamed < 2; renamed++) {
		struct btf *b = make_btf(true, renamed ? "d_shortname" : "d_iname");

		ot_recipe_build(b, p, "__d_alloc", true, true, &r, &notes);
		CHECK_INT(r.ret[in].src, OT_SRC_RET);
		CHECK_INT(r.ret[in].addr, 1);
		CHECK_INT(r.ret[in].off[0], 32);
		int dn = ot_probe_field_index(p->ret, "dname_ptr");
		CHECK_INT(r.ret[dn].nsteps, 1);
		CHECK_INT(r.ret[dn].off[0], 16 + 8); /* d_name.name */
		CHECK(strstr(notes.ret[in], renamed ? "d_shortname" : "d_iname") != NULL);
		btf__free(b);
	}
}

/* Each field as kprobe_events would fetch it, from the same recipe: registers by
 * position, one +OFF() per read, strings read at the value, and nothing for what
 * kprobe_events cannot fetch (an address computed, a comparison). */
TEST(recipe_fields_as_kprobe_events_fetchargs)
{
	const struct ot_probe *p = ot_probe_find("__d_alloc"), *m = ot_probe_find("may_open");
	const enum ot_kprobe_arch x86 = OT_KPROBE_ARCH_X86_64;
	struct btf *b = make_btf(true, "d_iname");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;
	char fa[192];
	int dn = ot_probe_field_index(p->ret, "dname_ptr"), in = ot_probe_field_index(p->ret, "inline_name");
	int ino = ot_probe_field_index(m->entry, "inode"), acc = ot_probe_field_index(m->entry, "acc_mode");

	CHECK(b != NULL);
	ot_recipe_build(b, p, "__d_alloc", true, true, &r, &notes);
	CHECK(ot_recipe_fetcharg(x86, &r.ret[dn], p->ret[dn].kind, fa, sizeof(fa)));
	CHECK_STR(fa, "+24($retval):x64");
	CHECK(!ot_recipe_fetcharg(x86, &r.ret[in], p->ret[in].kind, fa, sizeof(fa)));
	CHECK_STR(fa, "-");
	ot_recipe_build(b, m, "may_open", true, true, &r, &notes);
	CHECK(ot_recipe_fetcharg(x86, &r.entry[ino], m->entry[ino].kind, fa, sizeof(fa)));
	CHECK_STR(fa, "+0(+8(%si)):x64"); /* idmap first: path is the second parameter */
	CHECK(ot_recipe_fetcharg(x86, &r.entry[acc], m->entry[acc].kind, fa, sizeof(fa)));
	CHECK_STR(fa, "%dx:s32");
	/* a string is read at the value; a cut buffer is refused */
	struct ot_rcp_field s = {.src = OT_SRC_ARG, .arg = 1, .nsteps = 1, .read = OT_RD_KSTR, .size = 8};
	CHECK(ot_recipe_fetcharg(x86, &s, OT_FK_STR, fa, sizeof(fa)));
	CHECK_STR(fa, "+0(+0(%si)):string");
	CHECK(!ot_recipe_fetcharg(x86, &s, OT_FK_STR, fa, 8));
	btf__free(b);
}

/* What a log's spec.fact says of a function is what the spec says: every row's
 * description reads back with each field's kind and the return's. */
TEST(spec_descriptions_read_back)
{
	struct ot_kinds *t = ot_kinds_new();
	char names[256], entry[512], ret[512];

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);
		const struct ot_func_kinds *fk;

		CHECK(ot_probe_names(p, names, sizeof(names)));
		CHECK(ot_probe_describe(p, false, entry, sizeof(entry)));
		CHECK(ot_probe_describe(p, true, ret, sizeof(ret)));
		CHECK_INT(ot_kinds_describe(t, p->func, names, entry, ret), 0);
		fk = ot_kinds_func(t, p->names[0], strlen(p->names[0]));
		CHECK(fk != NULL);
		if (!fk)
			continue;
		for (size_t j = 0; j < OT_MAX_FIELDS && p->entry[j].key; j++)
			CHECK_INT(ot_kinds_field(t, fk, false, p->entry[j].key,
						 strlen(p->entry[j].key)),
				  p->entry[j].kind);
		for (size_t j = 0; j < OT_MAX_FIELDS && p->ret[j].key; j++)
			CHECK_INT(
			    ot_kinds_field(t, fk, true, p->ret[j].key, strlen(p->ret[j].key)),
			    p->ret[j].kind);
		enum ot_field_kind rk = p->ret_kind == OT_RET_PTR    ? OT_FK_ERRPTR
					: p->ret_kind == OT_RET_INT  ? OT_FK_ERRINT
					: p->ret_kind == OT_RET_LONG ? OT_FK_ERRLONG
								     : OT_FK_VOID;
		CHECK_INT(ot_kinds_field(t, fk, true, "ret", 3), rk);
	}
	ot_kinds_free(t);
}
