/* SPDX-License-Identifier: MIT */
/* The direct call that returns to an address, per architecture: what the BPF
 * side checks before it takes a word for a return address into the caller of a
 * probed function (src/bpf/arch.h), rather than unwind the stack. Pure integer
 * code with no includes, so that the BPF program and the unit tests compile the
 * same rules. */
#ifndef OT_PROBE_CALLSITE_H
#define OT_PROBE_CALLSITE_H

/* x86-64: CALL rel32, E8 and a little-endian 32-bit displacement counted from
 * the end of the instruction, which is the return address. */
#define OT_CALL_X86_LEN 5
/* arm64: BL, 0b100101 in the top six bits and a signed 26-bit count of 4-byte
 * words counted from the instruction itself (the return address minus 4). */
#define OT_CALL_ARM64_LEN 4

/* Padding the compiler may put before a function (alignment, patchable entry
 * NOPs): a call into it still calls the function that follows. */
#define OT_CALL_PAD 64

/* Whether INSN (OT_CALL_X86_LEN bytes) is an x86-64 direct call, and where
 * that call, returning to RET, goes. */
static inline int ot_call_is_x86(const unsigned char *insn)
{
	return insn[0] == 0xe8;
}

static inline unsigned long long ot_call_dest_x86(const unsigned char *insn, unsigned long long ret)
{
	int rel = (int)((unsigned int)insn[1] | (unsigned int)insn[2] << 8 |
			(unsigned int)insn[3] << 16 | (unsigned int)insn[4] << 24);

	return ret + (long long)rel;
}

/* The same for arm64, whose instruction is read as one little-endian word (the
 * kernel's text is little-endian). */
static inline unsigned int ot_insn_arm64(const unsigned char *insn)
{
	return (unsigned int)insn[0] | (unsigned int)insn[1] << 8 | (unsigned int)insn[2] << 16 |
	       (unsigned int)insn[3] << 24;
}

static inline int ot_call_is_arm64(const unsigned char *insn)
{
	return (ot_insn_arm64(insn) & 0xfc000000u) == 0x94000000u;
}

static inline unsigned long long ot_call_dest_arm64(const unsigned char *insn,
						    unsigned long long ret)
{
	long long words = (long long)(ot_insn_arm64(insn) & 0x03ffffffu);

	if (words & 0x02000000)
		words -= 0x04000000;
	return ret - OT_CALL_ARM64_LEN + (unsigned long long)(words * 4);
}

/* Whether a call to TARGET calls the function that starts at LO: TARGET is LO
 * or in the padding right before it. */
static inline int ot_call_reaches(unsigned long long target, unsigned long long lo)
{
	return !(target > lo || target + OT_CALL_PAD < lo);
}

#endif
