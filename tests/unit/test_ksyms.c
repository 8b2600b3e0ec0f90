// SPDX-License-Identifier: MIT
/* The kallsyms reader: vmlinux's text symbols and those of loaded modules, each
 * with its module, and vmlinux's section bounds never taken from a module. */
#include <stdio.h>

#include "probe/ksyms.h"
#include "testlib.h"

static const struct ot_ksym *find(const struct ot_ksyms *k, const char *name, const char *mod)
{
	for (size_t i = 0; i < k->ntext; i++) {
		const struct ot_ksym *s = &k->text[i];

		if (!strcmp(s->name, name) && (mod ? s->mod && !strcmp(s->mod, mod) : !s->mod))
			return s;
	}
	return NULL;
}

TEST(ksyms_module_symbols)
{
	FILE *f = fopen(FIXTURE("ksyms/kallsyms.txt"), "r");
	struct ot_ksyms k;
	const struct ot_ksym *s;

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(ot_ksyms_read(&k, f), 0);
	fclose(f);
	/* t/T only: data symbols and a line with a torn module tag are left out. */
	CHECK_INT(k.ntext, 11);
	CHECK(find(&k, "do_filp_open", NULL) != NULL);
	CHECK(find(&k, "lookup_open.isra.0", NULL) != NULL);
	CHECK(find(&k, "bad_tag", NULL) == NULL && find(&k, "bad_tag", "unterminated") == NULL);
	CHECK(find(&k, "ext4_dir_inode_operations", "ext4") == NULL);

	s = find(&k, "ext4_lookup", "ext4");
	CHECK(s != NULL);
	if (s)
		CHECK_INT(s->addr, 0xffffffffc0312000ULL);
	CHECK(find(&k, "ext4_lookup", NULL) == NULL);
	CHECK(find(&k, "ext4_mkdir", "ext4") != NULL);
	CHECK(find(&k, "jbd2_journal_start", "jbd2") != NULL);

	/* A module's own _text is not the kernel's. */
	CHECK_INT(k.ktext, 0xffffffff81000000ULL);
	CHECK_INT(k.stext, 0xffffffff81001000ULL);
	CHECK_INT(k.etext, 0xffffffff81e00000ULL);

	/* Addresses inside a module's function find it, and its end is the next one. */
	s = ot_ksym_at(&k, 0xffffffffc0312010ULL);
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(s->name, "ext4_lookup");
		CHECK_STR(s->mod, "ext4");
	}
	CHECK_INT(ot_ksym_end(&k, 0xffffffffc0312000ULL), 0xffffffffc0312400ULL);
	s = ot_ksym_at(&k, 0xffffffff81402510ULL);
	CHECK(s != NULL && !strcmp(s->name, "lookup_open") && !s->mod);
	ot_ksyms_free(&k);
}

/* A kernel without CONFIG_KALLSYMS_ALL lists no _text (arm64's lies before
 * _stext): it is derived from _stext where the distance is known, never
 * guessed where it is not, and a listed _text is kept. */
TEST(ksyms_text_derived_from_stext)
{
	static const char arm64[] = "ffffa72efc810000 T _stext\n"
				    "ffffa72efc846548 T do_sys_openat2\n"
				    "ffffa72efd3e0000 D _etext\n";
	struct ot_ksyms k;
	FILE *f = fmemopen((void *)arm64, sizeof(arm64) - 1, "r");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(ot_ksyms_read(&k, f), 0);
	fclose(f);
	CHECK_INT(k.ktext, 0);
	ot_ksyms_derive_text(&k, 0);
	CHECK_INT(k.ktext, 0);
	ot_ksyms_derive_text(&k, 0x10000);
	CHECK_INT(k.ktext, 0xffffa72efc800000ULL);
	k.ktext = 0xffffa72efc000000ULL;
	ot_ksyms_derive_text(&k, 0x10000);
	CHECK_INT(k.ktext, 0xffffa72efc000000ULL);
	ot_ksyms_free(&k);
}
