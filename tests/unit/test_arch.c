/* SPDX-License-Identifier: MIT */
/* What differs per architecture: the direct-call check the BPF side runs on a
 * return address (src/probe/callsite.h), on x86-64 and arm64. */
#include "probe/callsite.h"
#include "testlib.h"

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
