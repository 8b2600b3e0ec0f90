/* SPDX-License-Identifier: MIT */
/* The running kernel's text symbols (/proc/kallsyms: vmlinux's and those of the
 * modules loaded when it is read) and the functions ftrace can trace
 * (available_filter_functions), read once per process: reading them is slow (under
 * emulation about a second for both, for every case of a `run --all`), and a run
 * loads no module it probes. */
#ifndef OT_PROBE_KSYMS_H
#define OT_PROBE_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ot_arena;

struct ot_ksym {
	unsigned long long addr;
	const char *name;
	const char *mod; /* the module it belongs to ("ext4"), NULL for vmlinux */
};

struct ot_ksyms {
	const struct ot_ksym *text; /* t/T symbols, in the file's order */
	size_t ntext;
	const struct ot_ksym *by_addr;		/* the same, sorted by address */
	unsigned long long ktext, stext, etext; /* _text, _stext, _etext (0: hidden) */
	const char *const *ftrace;		/* available_filter_functions, one name per line */
	size_t nftrace;
	bool have_ftrace; /* the list could be read */
	struct ot_arena *names; /* holds every name above */
};

/* Reads a kallsyms listing ("addr type name [module]" lines) from F into K: its
 * text symbols, with their module, and vmlinux's _text, _stext, _etext (never a
 * module's). 0, or -1 with errno set. */
int ot_ksyms_read(struct ot_ksyms *k, FILE *f);
/* Frees what ot_ksyms_read allocated (not K itself). */
void ot_ksyms_free(struct ot_ksyms *k);

/* How far _stext lies after _text where the architecture fixes it (0: it does
 * not): arm64's linker script starts .text, and _stext, at the first 64 KiB
 * boundary after the image header that _text begins. */
#if defined(__aarch64__)
#define OT_KSYMS_STEXT_AFTER_TEXT 0x10000ULL
#else
#define OT_KSYMS_STEXT_AFTER_TEXT 0ULL
#endif

/* A kernel built without CONFIG_KALLSYMS_ALL lists symbols from _stext on only,
 * which leaves out arm64's _text (64 KiB before): K's _text is then taken as
 * _stext - STEXT_AFTER_TEXT, where that distance is known (non-zero). Source
 * lines need it to undo KASLR. */
void ot_ksyms_derive_text(struct ot_ksyms *k, unsigned long long stext_after_text);

/* The snapshot, read on first use; NULL (errno set) if /proc/kallsyms cannot be read. */
const struct ot_ksyms *ot_ksyms_get(void);
/* The symbol at or below ADDR, or NULL. */
const struct ot_ksym *ot_ksym_at(const struct ot_ksyms *k, unsigned long long addr);
/* The address of the next symbol above ADDR (the end of a function starting at
 * ADDR), or 0. */
unsigned long long ot_ksym_end(const struct ot_ksyms *k, unsigned long long addr);

#endif
