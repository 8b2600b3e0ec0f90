/* SPDX-License-Identifier: MIT */
/* What the BPF programs read differently per architecture (__TARGET_ARCH_*, set
 * by the build): a kprobe's argument registers and return value, the caller's
 * return address at a function's first instruction, and the direct call that
 * returns there (src/probe/callsite.h). Included by opentrail.bpf.c after
 * vmlinux.h and bpf_tracing.h. */
#ifndef OT_BPF_ARCH_H
#define OT_BPF_ARCH_H

#include "probe/callsite.h"

#if defined(__TARGET_ARCH_x86)

/* The six argument registers, in the ABI's order. */
#define OT_KPROBE_ARGS(ctx)                                                                        \
	{                                                                                          \
		ctx->di, ctx->si, ctx->dx, ctx->cx, ctx->r8, ctx->r9                               \
	}
#define OT_KPROBE_RC(ctx) PT_REGS_RC(ctx)
#define OT_KPROBE_IP(ctx) PT_REGS_IP(ctx)
/* A kprobe's program sees the instruction pointer past the probed address by the
 * INT3 the kprobe put there (and an optimised kprobe or one on ftrace sets it so). */
#define OT_KPROBE_HIT_ADDR(ctx) (PT_REGS_IP(ctx) - 1)
/* At the first instruction the CALL has pushed the return address: the word at
 * the stack pointer. */
#define OT_KPROBE_RET(ctx, ret) bpf_probe_read_kernel(ret, sizeof(*(ret)), (void *)PT_REGS_SP(ctx))
#define OT_CALL_LEN		OT_CALL_X86_LEN
#define OT_CALL_IS(insn)	ot_call_is_x86(insn)
#define OT_CALL_DEST(insn, ret) ot_call_dest_x86(insn, ret)
/* fentry_caller knows the x86 trampoline's frame (the saved rbp, then the
 * return addresses above the saved argument registers). */
#define OT_FENTRY_FRAME 1

#elif defined(__TARGET_ARCH_arm64)

/* The kernel's struct pt_regs on arm64 begins with the UAPI struct user_pt_regs:
 * x0-x30, sp, pc, pstate, a layout the ABI fixes. Declared here because the
 * build's vmlinux.h may come from another architecture's BTF (CO-RE relocates
 * kernel structs, not a context's registers). */
struct ot_arm64_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
#define OT_REGS(ctx) ((const struct ot_arm64_regs *)(ctx))
#define OT_KPROBE_ARGS(ctx)                                                                        \
	{                                                                                          \
		OT_REGS(ctx)->regs[0], OT_REGS(ctx)->regs[1], OT_REGS(ctx)->regs[2],               \
		    OT_REGS(ctx)->regs[3], OT_REGS(ctx)->regs[4], OT_REGS(ctx)->regs[5]            \
	}
#define OT_KPROBE_RC(ctx)	OT_REGS(ctx)->regs[0]
#define OT_KPROBE_IP(ctx)	OT_REGS(ctx)->pc
/* A kprobe's BRK leaves the pc at the probed address when the program runs. */
#define OT_KPROBE_HIT_ADDR(ctx) (OT_REGS(ctx)->pc)
/* BL leaves the return address in the link register, x30, not on the stack; a
 * kretprobe replaces it only after this program ran (see kprobe_caller). Any
 * other value fails the BL check and is unwound: a return address signed by
 * pointer authentication is no readable address. */
#define OT_KPROBE_RET(ctx, ret) ((*(ret) = OT_REGS(ctx)->regs[30]), 0)
#define OT_CALL_LEN		OT_CALL_ARM64_LEN
#define OT_CALL_IS(insn)	ot_call_is_arm64(insn)
#define OT_CALL_DEST(insn, ret) ot_call_dest_arm64(insn, ret)
/* The arm64 trampoline's frame is not checked yet: fentry_caller says "not
 * checked" and the caller is unwound (bpf_get_stack), never guessed. */
#define OT_FENTRY_FRAME		0

#else
#error "opentrail's BPF side knows x86 and arm64 only: build with -D__TARGET_ARCH_x86 or arm64"
#endif

#endif
