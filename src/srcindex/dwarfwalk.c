// SPDX-License-Identifier: MIT
/* The index builder's DWARF side (see dwarfwalk.h and docs/source-index.md). Which
 * compilation units: those whose code holds a --func symbol or an --addr address
 * (found through .debug_aranges, so the other thousands of units are never read).
 * From each: every function's ranges, the inlined instances nested in them with their
 * call sites, the unit's line table, and every function's definition. */
#include "srcindex/dwarfwalk.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <search.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct strtab {
	void *root; /* tsearch tree of struct str */
	char **v;
	size_t n;
};

struct str {
	char *s;
	unsigned id;
};

struct scope {
	uint64_t low, high;
	unsigned depth, name, file, line;
};

struct row {
	uint64_t addr;
	unsigned file, line;
	size_t ord; /* position in the line tables, to keep their order at equal addresses */
};

struct def {
	unsigned name, file, line;
};

/* A probed function's prototype, as the index spells it (docs/source-index.md). */
struct proto {
	unsigned name;
	char *sig;
};

struct walk {
	struct strtab files, names;
	struct scope *scopes;
	size_t nscopes, capscopes;
	struct row *rows;
	size_t nrows, caprows;
	struct def *defs;
	size_t ndefs, capdefs;
	void *defined; /* tsearch tree of names with a definition already */
	struct proto *protos;
	size_t nprotos, capprotos;
	const struct ot_walk_opts *o;
	bool oom;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(((const struct str *)a)->s, ((const struct str *)b)->s);
}

static unsigned intern(struct walk *w, struct strtab *t, const char *s)
{
	struct str key = {(char *)s, 0}, **found, *e;
	char **v;

	found = tfind(&key, &t->root, cmp_str);
	if (found)
		return (*found)->id;
	e = malloc(sizeof(*e));
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!e || !v || !(e->s = strdup(s))) {
		free(e);
		if (v)
			t->v = v;
		w->oom = true;
		return 0;
	}
	t->v = v;
	e->id = (unsigned)t->n;
	t->v[t->n++] = e->s;
	if (!tsearch(e, &t->root, cmp_str))
		w->oom = true;
	return e->id;
}

static void *grow(struct walk *w, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t nc = *cap ? *cap * 2 : 1024;
	void *p = realloc(arr, nc * size);

	if (!p) {
		w->oom = true;
		return NULL;
	}
	*cap = nc;
	return p;
}

/* A path as the kernel tree names it: Debian's build directory
 * (debian/build/build_amd64_none_cloud-amd64/) and the unit's directory dropped. */
static const char *tree_path(const char *path, const char *comp_dir)
{
	const char *p = strstr(path, "debian/build/build_");
	size_t cl = comp_dir ? strlen(comp_dir) : 0;

	if (p && (p = strchr(p + strlen("debian/build/build_"), '/')))
		path = p + 1;
	else if (cl && !strncmp(path, comp_dir, cl) && path[cl] == '/')
		path += cl + 1;
	while (!strncmp(path, "./", 2))
		path += 2;
	return path;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}

static void add_scopes(struct walk *w, Dwarf_Die *die, unsigned depth, unsigned name, unsigned file,
		       unsigned line)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		struct scope *p = grow(w, w->scopes, w->nscopes, &w->capscopes, sizeof(*p));

		if (!p)
			return;
		w->scopes = p;
		if (hi > lo)
			w->scopes[w->nscopes++] = (struct scope){lo, hi, depth, name, file, line};
	}
}

static void add_def(struct walk *w, Dwarf_Die *die, const char *name, const char *comp_dir)
{
	const char *file = dwarf_decl_file(die);
	int line = 0;
	struct def *p;

	if (!file || dwarf_decl_line(die, &line) || line <= 0 ||
	    tfind(name, &w->defined, (int (*)(const void *, const void *))strcmp))
		return;
	if (!(p = grow(w, w->defs, w->ndefs, &w->capdefs, sizeof(*p))))
		return;
	w->defs = p;
	unsigned n = intern(w, &w->names, name);
	w->defs[w->ndefs++] =
	    (struct def){n, intern(w, &w->files, tree_path(file, comp_dir)), (unsigned)line};
	if (!tsearch(w->names.v[n], &w->defined, (int (*)(const void *, const void *))strcmp))
		w->oom = true;
}

/* The DIE of DIE's type (false: void, or none). */
static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, out);
}

/* Appends to BUF the spelling of type T (NULL: void): a '*' per pointer level, then
 * struct:NAME, union:NAME, enum:NAME, typedef:NAME, base:NAME (spaces as '+'), fn,
 * void, or ? -- qualifiers dropped, arrays as pointers (as parameters decay). */
static void spell_type(Dwarf_Die *t, char *buf, size_t size)
{
	Dwarf_Die cur, next;
	const char *kind = NULL, *name;
	size_t len = strlen(buf);

	for (int hops = 0; t && hops < 32; hops++) {
		int tag = dwarf_tag(t);

		if (tag == DW_TAG_pointer_type || tag == DW_TAG_array_type) {
			if (len + 1 < size)
				buf[len++] = '*';
			buf[len] = '\0';
		} else if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
			   tag != DW_TAG_restrict_type && tag != DW_TAG_atomic_type) {
			kind = tag == DW_TAG_structure_type	    ? "struct"
			       : tag == DW_TAG_union_type	    ? "union"
			       : tag == DW_TAG_enumeration_type ? "enum"
			       : tag == DW_TAG_typedef	    ? "typedef"
			       : tag == DW_TAG_base_type	    ? "base"
			       : tag == DW_TAG_subroutine_type  ? "fn"
								    : "?";
			break;
		}
		if (!type_of(t, &next)) {
			t = NULL;
			break;
		}
		cur = next;
		t = &cur;
	}
	if (!t) {
		snprintf(buf + len, size - len, "void");
		return;
	}
	name = die_name(t);
	if (!strcmp(kind, "fn") || !strcmp(kind, "?") || !name) {
		snprintf(buf + len, size - len, "%s", name || !strcmp(kind, "fn") ? kind : "?");
		return;
	}
	snprintf(buf + len, size - len, "%s:%s", kind, name);
	for (char *c = buf + len; *c; c++)
		if (*c == ' ')
			*c = '+';
}

/* Keeps the prototype of function DIE NAME when it is one asked for (--func): its
 * return type, then each parameter as NAME=TYPE ('-' for an unnamed one, "..." for
 * variable arguments), from the abstract instance when DIE is a concrete one. */
static bool wanted(const struct ot_walk_opts *o, const char *sym);

static void add_proto(struct walk *w, Dwarf_Die *die, const char *name)
{
	char sig[1024] = "";
	Dwarf_Die origin, ret, p;
	Dwarf_Attribute a;
	unsigned n;

	if (!w->o || !wanted(w->o, name))
		return;
	n = intern(w, &w->names, name);
	for (size_t i = 0; i < w->nprotos; i++)
		if (w->protos[i].name == n)
			return;
	if (dwarf_attr(die, DW_AT_abstract_origin, &a) && dwarf_formref_die(&a, &origin))
		die = &origin;
	spell_type(type_of(die, &ret) ? &ret : NULL, sig, sizeof(sig));
	if (dwarf_child(die, &p) == 0) {
		do {
			int tag = dwarf_tag(&p);
			size_t len = strlen(sig);
			const char *pn;

			if (tag == DW_TAG_unspecified_parameters) {
				snprintf(sig + len, sizeof(sig) - len, " ...");
			} else if (tag == DW_TAG_formal_parameter) {
				Dwarf_Die pt;

				pn = die_name(&p);
				snprintf(sig + len, sizeof(sig) - len, " %s=", pn ? pn : "-");
				spell_type(type_of(&p, &pt) ? &pt : NULL, sig, sizeof(sig));
			}
		} while (dwarf_siblingof(&p, &p) == 0);
	}
	struct proto *pp = grow(w, w->protos, w->nprotos, &w->capprotos, sizeof(*pp));

	if (!pp)
		return;
	w->protos = pp;
	if (!(w->protos[w->nprotos].sig = strdup(sig))) {
		w->oom = true;
		return;
	}
	w->protos[w->nprotos++].name = n;
}

static void walk_die(struct walk *w, Dwarf_Die *parent, unsigned depth, Dwarf_Files *files,
		     const char *comp_dir)
{
	Dwarf_Die d;

	if (dwarf_child(parent, &d) != 0)
		return;
	do {
		int tag = dwarf_tag(&d);
		const char *name;

		if (tag == DW_TAG_subprogram) {
			const char *file = dwarf_decl_file(&d);
			int line = 0;

			if (!(name = die_name(&d)) || dwarf_hasattr(&d, DW_AT_declaration))
				continue; /* a prototype: its file:line is not the definition */
			add_def(w, &d, name, comp_dir);
			if (depth == 0)
				add_proto(w, &d, name);
			dwarf_decl_line(&d, &line);
			add_scopes(w, &d, 0, intern(w, &w->names, name),
				   intern(w, &w->files, file ? tree_path(file, comp_dir) : "?"),
				   line > 0 ? (unsigned)line : 0);
			walk_die(w, &d, 0, files, comp_dir);
		} else if (tag == DW_TAG_inlined_subroutine) {
			Dwarf_Attribute a;
			Dwarf_Word fidx = 0, cline = 0;
			const char *cfile = NULL;

			if (!(name = die_name(&d)))
				continue;
			if (dwarf_attr(&d, DW_AT_call_file, &a) && !dwarf_formudata(&a, &fidx) &&
			    files)
				cfile = dwarf_filesrc(files, fidx, NULL, NULL);
			if (dwarf_attr(&d, DW_AT_call_line, &a))
				dwarf_formudata(&a, &cline);
			add_scopes(w, &d, depth + 1, intern(w, &w->names, name),
				   intern(w, &w->files, cfile ? tree_path(cfile, comp_dir) : "?"),
				   (unsigned)cline);
			walk_die(w, &d, depth + 1, files, comp_dir);
		} else if (tag == DW_TAG_lexical_block) {
			walk_die(w, &d, depth, files, comp_dir);
		}
	} while (dwarf_siblingof(&d, &d) == 0);
}

static void walk_lines(struct walk *w, Dwarf_Die *cu, const char *comp_dir)
{
	Dwarf_Lines *lines;
	size_t n;
	unsigned last_file = ~0u, last_line = ~0u;

	if (dwarf_getsrclines(cu, &lines, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr addr;
		int lineno = 0;
		bool end = false;
		const char *src;
		struct row *p;

		if (!l || dwarf_lineaddr(l, &addr) || !(src = dwarf_linesrc(l, NULL, NULL)))
			continue;
		dwarf_lineno(l, &lineno);
		dwarf_lineendsequence(l, &end);
		unsigned file = intern(w, &w->files, tree_path(src, comp_dir));
		unsigned line = end || lineno < 0 ? 0 : (unsigned)lineno;

		if (file == last_file && line == last_line)
			continue; /* same line, later instruction: the first row covers it */
		if (!(p = grow(w, w->rows, w->nrows, &w->caprows, sizeof(*p))))
			return;
		w->rows = p;
		w->rows[w->nrows] = (struct row){addr, file, line, w->nrows};
		w->nrows++;
		last_file = file;
		last_line = line;
	}
}

static bool wanted(const struct ot_walk_opts *o, const char *sym)
{
	size_t bl = strcspn(sym, ".");

	for (size_t i = 0; i < o->nfuncs; i++)
		if (strlen(o->funcs[i]) == bl && !strncmp(o->funcs[i], sym, bl))
			return true;
	return false;
}

/* The link-time address of the text symbol, and the addresses of the wanted functions. */
static int read_symbols(Elf *elf, const struct ot_walk_opts *o, uint64_t *text, uint64_t **addrs,
			size_t *naddrs)
{
	Elf_Scn *scn = NULL;
	bool have_text = false;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    !(name = elf_strptr(elf, sh.sh_link, sym.st_name)))
				continue;
			if (!strcmp(name, o->text_symbol)) {
				*text = sym.st_value;
				have_text = true;
			} else if (GELF_ST_TYPE(sym.st_info) == STT_FUNC && sym.st_value &&
				   wanted(o, name)) {
				uint64_t *p = realloc(*addrs, (*naddrs + 1) * sizeof(*p));

				if (!p)
					return -1;
				*addrs = p;
				p[(*naddrs)++] = sym.st_value;
			}
		}
	}
	return have_text ? 0 : 1;
}

static int cmp_scope(const void *a, const void *b)
{
	const struct scope *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	return x->depth < y->depth ? -1 : x->depth > y->depth;
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((x->line == 0) != (y->line == 0)) /* one sequence's end before the next's start */
		return x->line == 0 ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static void write_index(const struct walk *w, const struct ot_walk_opts *o, uint64_t text,
			FILE *out)
{
	fprintf(out, "opentrail-srcindex 1\nkernel %s\ntext %" PRIx64 "\n", o->kernel, text);
	for (size_t i = 0; i < w->files.n; i++)
		fprintf(out, "f %s\n", w->files.v[i]);
	for (size_t i = 0; i < w->names.n; i++)
		fprintf(out, "n %s\n", w->names.v[i]);
	for (size_t i = 0; i < w->ndefs; i++)
		fprintf(out, "d %u %u %u\n", w->defs[i].name, w->defs[i].file, w->defs[i].line);
	for (size_t i = 0; i < w->nprotos; i++)
		fprintf(out, "p %u %s\n", w->protos[i].name, w->protos[i].sig);
	for (size_t i = 0; i < w->nscopes; i++) {
		const struct scope *s = &w->scopes[i];

		fprintf(out, "s %" PRIx64 " %" PRIx64 " %u %u %u %u\n", s->low, s->high, s->depth,
			s->name, s->file, s->line);
	}
	for (size_t i = 0; i < w->nrows; i++)
		fprintf(out, "l %" PRIx64 " %u %u\n", w->rows[i].addr, w->rows[i].file,
			w->rows[i].line);
}

static void nofree(void *p)
{
	(void)p;
}

static void free_str(void *p)
{
	free(p); /* the string itself is freed through the table's vector */
}

static void walk_free(struct walk *w)
{
	tdestroy(w->files.root, free_str);
	tdestroy(w->names.root, free_str);
	tdestroy(w->defined, nofree);
	for (size_t i = 0; i < w->files.n; i++)
		free(w->files.v[i]);
	for (size_t i = 0; i < w->names.n; i++)
		free(w->names.v[i]);
	free(w->files.v);
	free(w->names.v);
	free(w->scopes);
	free(w->rows);
	free(w->defs);
	for (size_t i = 0; i < w->nprotos; i++)
		free(w->protos[i].sig);
	free(w->protos);
}

int ot_walk_vmlinux(const char *vmlinux, const struct ot_walk_opts *o, FILE *out)
{
	struct walk w = {.o = o};
	uint64_t text = 0, *addrs = NULL;
	size_t naddrs = 0, nunits = 0;
	Dwarf_Off *units = NULL;
	Dwarf *dw = NULL;
	Elf *elf = NULL;
	int fd, ret = 2;

	elf_version(EV_CURRENT);
	fd = open(vmlinux, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "opentrail-srcindex: cannot open %s: %s\n", vmlinux,
			strerror(errno));
		return 2;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || !(dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL))) {
		fprintf(stderr, "opentrail-srcindex: %s has no DWARF debug info (%s)\n", vmlinux,
			dwarf_errmsg(-1));
		goto out;
	}
	int r = read_symbols(elf, o, &text, &addrs, &naddrs);
	if (r) {
		fprintf(stderr, "opentrail-srcindex: %s: %s\n", vmlinux,
			r < 0 ? "out of memory" : "no text symbol in its symbol table");
		goto out;
	}
	for (size_t i = 0; i < o->naddrs; i++) {
		uint64_t *p = realloc(addrs, (naddrs + 1) * sizeof(*p));

		if (!p)
			goto oom;
		addrs = p;
		addrs[naddrs++] = o->addrs[i].ktext ? o->addrs[i].addr - (o->addrs[i].ktext - text)
						    : o->addrs[i].addr;
	}
	if (!(units = calloc(naddrs + 1, sizeof(*units))))
		goto oom;
	for (size_t i = 0; i < naddrs; i++) {
		Dwarf_Die cu;
		bool seen = false;

		if (!dwarf_addrdie(dw, addrs[i], &cu))
			continue;
		Dwarf_Off off = dwarf_dieoffset(&cu);
		for (size_t j = 0; j < nunits; j++)
			seen |= units[j] == off;
		if (seen)
			continue;
		units[nunits++] = off;

		Dwarf_Files *files = NULL;
		size_t nfiles;
		Dwarf_Attribute a;
		const char *comp_dir =
		    dwarf_attr(&cu, DW_AT_comp_dir, &a) ? dwarf_formstring(&a) : NULL;

		if (dwarf_getsrcfiles(&cu, &files, &nfiles))
			files = NULL;
		walk_die(&w, &cu, 0, files, comp_dir);
		walk_lines(&w, &cu, comp_dir);
	}
	if (w.oom)
		goto oom;
	if (!nunits) {
		fprintf(stderr,
			"opentrail-srcindex: %s: none of the functions or addresses asked for is "
			"in its debug info\n",
			vmlinux);
		goto out;
	}
	qsort(w.scopes, w.nscopes, sizeof(*w.scopes), cmp_scope);
	qsort(w.rows, w.nrows, sizeof(*w.rows), cmp_row);
	write_index(&w, o, text, out);
	fprintf(stderr, "opentrail-srcindex: %zu units, %zu functions, %zu scopes, %zu line rows\n",
		nunits, w.names.n, w.nscopes, w.nrows);
	ret = 0;
	goto out;
oom:
	fprintf(stderr, "opentrail-srcindex: out of memory\n");
out:
	walk_free(&w);
	free(addrs);
	free(units);
	if (dw)
		dwarf_end(dw);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}
