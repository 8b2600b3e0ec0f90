/* SPDX-License-Identifier: MIT */
/* What differs per architecture: the direct-call check the BPF side runs on a
 * return address (src/probe/callsite.h), on x86-64 and arm64, and the saved
 * registers of openat2's entry, read by name on either architecture's BTF. */
#include "probe/callsite.h"
#include "probe/recipe_build.h"
#include "probe/spec.h"
#include "testlib.h"

#include <bpf/btf.h>

/* CALL rel32 at 0x1000 (returning to 0x1005) to TARGET. */
static void x86_call(unsigned char insn[5], unsigned long long target)
{
	int rel = (int)(target - 0x1005);

	insn[0] = 0xe8;
	for (int i = 0; i < 4; i++)
		insn[1 + i] = (unsigned char)((unsigned int)rel >> (8 * i));
}

TEST(callsite_x86_call_rel32)
{
	unsigned char insn[OT_CALL_X86_LEN];

	x86_call(insn, 0x2000);
	CHECK(ot_call_is_x86(insn));
	CHECK_INT(ot_call_dest_x86(insn, 0x1005), 0x2000);
	x86_call(insn, 0x800); /* backwards: a negative displacement */
	CHECK_INT(ot_call_dest_x86(insn, 0x1005), 0x800);
	insn[0] = 0xff; /* an indirect call (FF /2) is no direct call */
	CHECK(!ot_call_is_x86(insn));
}

/* Little-endian bytes of the arm64 instruction word W. */
static void arm64_word(unsigned char insn[4], unsigned int w)
{
	for (int i = 0; i < 4; i++)
		insn[i] = (unsigned char)(w >> (8 * i));
}

TEST(callsite_arm64_bl_imm26)
{
	unsigned char insn[OT_CALL_ARM64_LEN];

	/* BL +0x100 at 0x1000, returning to 0x1004: 0x94000000 | 0x40 words */
	arm64_word(insn, 0x94000040u);
	CHECK(ot_call_is_arm64(insn));
	CHECK_INT(ot_call_dest_arm64(insn, 0x1004), 0x1100);
	/* BL -8: imm26 all ones but the last bit, sign-extended */
	arm64_word(insn, 0x97fffffeu);
	CHECK(ot_call_is_arm64(insn));
	CHECK_INT(ot_call_dest_arm64(insn, 0x1004), 0xff8);
	/* the farthest BL reaches, -128 MiB */
	arm64_word(insn, 0x96000000u);
	CHECK_INT(ot_call_dest_arm64(insn, 0x10000004ull), 0x10000000ull - 0x8000000ull);
	/* B (no link), BLR x1 and a NOP are no direct call */
	arm64_word(insn, 0x14000040u);
	CHECK(!ot_call_is_arm64(insn));
	arm64_word(insn, 0xd63f0020u);
	CHECK(!ot_call_is_arm64(insn));
	arm64_word(insn, 0xd503201fu);
	CHECK(!ot_call_is_arm64(insn));
}

TEST(callsite_reaches_function_or_its_padding)
{
	CHECK(ot_call_reaches(0x2000, 0x2000));
	CHECK(ot_call_reaches(0x2000 - OT_CALL_PAD, 0x2000));
	CHECK(!ot_call_reaches(0x2000 - OT_CALL_PAD - 1, 0x2000));
	CHECK(!ot_call_reaches(0x2004, 0x2000)); /* into the function: another entry */
}

/* A BTF with the architecture's struct pt_regs and its openat2 entry,
 * NAME(const struct pt_regs *regs). */
static struct btf *regs_btf(bool arm64, const char *name)
{
	struct btf *b = btf__new_empty();
	int u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	int regs;

	if (arm64) {
		/* arm64: a union of struct user_pt_regs and its members unnamed */
		int u32 = btf__add_int(b, "unsigned int", 4, 0);
		int arr = btf__add_array(b, u32, u64, 31);
		int inner = btf__add_struct(b, NULL, 272);

		btf__add_field(b, "regs", arr, 0, 0);
		btf__add_field(b, "sp", u64, 31 * 64, 0);
		btf__add_field(b, "pc", u64, 32 * 64, 0);
		btf__add_field(b, "pstate", u64, 33 * 64, 0);
		int un = btf__add_union(b, NULL, 272);
		btf__add_field(b, NULL, inner, 0, 0);
		regs = btf__add_struct(b, "pt_regs", 336);
		btf__add_field(b, NULL, un, 0, 0);
	} else {
		static const char *const x86[] = {"r15", "r14", "r13", "r12", "bp",
						  "bx",	 "r11", "r10", "r9",  "r8",
						  "ax",	 "cx",	"dx",  "si",  "di"};

		regs = btf__add_struct(b, "pt_regs", 168);
		for (int i = 0; i < 15; i++)
			btf__add_field(b, x86[i], u64, i * 64, 0);
	}
	/* (the parameters must directly follow their prototype) */
	int rptr = btf__add_ptr(b, btf__add_const(b, regs));
	int proto = btf__add_func_proto(b, u64);
	btf__add_func_param(b, "regs", rptr);
	btf__add_func(b, name, BTF_FUNC_STATIC, proto);
	return b;
}

TEST(openat2_entry_registers_per_architecture)
{
	const struct ot_probe *p = ot_probe_find("__x64_sys_openat2");
	int dfd = ot_probe_field_index(p->entry, "dfd"),
	    how = ot_probe_field_index(p->entry, "how");
	int usize = ot_probe_field_index(p->entry, "usize");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;

	CHECK_STR(ot_probe_role_of("__arm64_sys_openat2"), "__x64_sys_openat2");
	/* x86-64: di, dx, r10 */
	struct btf *b = regs_btf(false, "__x64_sys_openat2");
	CHECK(ot_recipe_build(b, p, "__x64_sys_openat2", true, true, &r, &notes) > 0);
	CHECK_INT(r.entry[dfd].off[0], 14 * 8);
	CHECK_INT(r.entry[how].off[0], 12 * 8);
	CHECK_INT(r.entry[usize].off[0], 7 * 8);
	btf__free(b);
	/* arm64: x0, x2, x3, through the anonymous union */
	b = regs_btf(true, "__arm64_sys_openat2");
	CHECK(ot_recipe_build(b, p, "__arm64_sys_openat2", true, true, &r, &notes) > 0);
	CHECK_INT(r.entry[dfd].src, OT_SRC_ARG);
	CHECK_INT(r.entry[dfd].nsteps, 1);
	CHECK_INT(r.entry[dfd].off[0], 0);
	CHECK_INT(r.entry[dfd].size, 8);
	CHECK_INT(r.entry[how].off[0], 2 * 8);
	CHECK_INT(r.entry[usize].off[0], 3 * 8);
	CHECK(strstr(notes.entry[usize], "regs[3]") != NULL);
	btf__free(b);
}

/* The kprobe_events fetch argument of a field names the architecture's argument
 * registers, the architecture told by the BTF's struct pt_regs. */
TEST(fetcharg_registers_per_architecture)
{
	const struct ot_probe *p = ot_probe_find("__x64_sys_openat2");
	int usize = ot_probe_field_index(p->entry, "usize");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;
	char fa[192];

	struct btf *b = regs_btf(false, "__x64_sys_openat2");
	CHECK_INT(ot_recipe_arch(b), OT_KPROBE_ARCH_X86_64);
	CHECK(ot_recipe_build(b, p, "__x64_sys_openat2", true, true, &r, &notes) > 0);
	CHECK(ot_recipe_fetcharg(ot_recipe_arch(b), &r.entry[usize], p->entry[usize].kind, fa,
				 sizeof(fa)));
	CHECK(!strncmp(fa, "+56(%di):", 9));
	btf__free(b);

	b = regs_btf(true, "__arm64_sys_openat2");
	CHECK_INT(ot_recipe_arch(b), OT_KPROBE_ARCH_ARM64);
	CHECK(ot_recipe_build(b, p, "__arm64_sys_openat2", true, true, &r, &notes) > 0);
	CHECK(ot_recipe_fetcharg(ot_recipe_arch(b), &r.entry[usize], p->entry[usize].kind, fa,
				 sizeof(fa)));
	CHECK(!strncmp(fa, "+24(%x0):", 9));
	/* registers of an architecture not known here: no fetch argument */
	CHECK(!ot_recipe_fetcharg(OT_KPROBE_ARCH_UNKNOWN, &r.entry[usize], p->entry[usize].kind, fa,
				  sizeof(fa)));
	CHECK_STR(fa, "-");
	btf__free(b);

	b = btf__new_empty();
	CHECK_INT(ot_recipe_arch(b), OT_KPROBE_ARCH_UNKNOWN);
	btf__free(b);
}

/* An index is checked against the array: past its end, or on a member that is
 * no array, the field is absent, never read from a computed place. */
TEST(path_index_checked_against_the_array)
{
	static const struct ot_probe bad = {
	    .func = "__x64_sys_openat2",
	    .names = {"__arm64_sys_openat2", NULL},
	    .ret_kind = OT_RET_LONG,
	    .doc = "test",
	    .entry = {{.key = "past", .kind = OT_FK_UINT, .path = "regs->regs[31]"},
		      {.key = "noarray", .kind = OT_FK_UINT, .path = "regs->sp[0]"},
		      {.key = "junk", .kind = OT_FK_UINT, .path = "regs->regs[x]"}},
	};
	struct btf *b = regs_btf(true, "__arm64_sys_openat2");
	struct ot_rcp_notes notes;
	struct ot_rcp_func r;

	CHECK(ot_recipe_build(b, &bad, "__arm64_sys_openat2", true, true, &r, &notes) >= 0);
	for (int i = 0; i < 3; i++)
		CHECK_INT(r.entry[i].src, OT_SRC_NONE);
	CHECK(strstr(notes.entry[0], "past the array") != NULL);
	CHECK(strstr(notes.entry[1], "no array") != NULL);
	CHECK(strstr(notes.entry[2], "malformed") != NULL);
	btf__free(b);
}
