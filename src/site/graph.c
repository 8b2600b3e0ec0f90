// SPDX-License-Identifier: MIT
/* The pointer graph of a run: the objects its pointer chains name (addresses seen
 * in more than one event) as nodes, and as edges the calls that received one object
 * and returned or passed on another. Drawn by Graphviz `dot` to SVG. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "site/html.h"
#include "site/model.h"

#define DOT_TIMEOUT "30"

struct objs {
	const char **v;
	size_t n;
};

static bool is_obj(const struct objs *o, const char *v)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i], v))
			return true;
	return false;
}

static void dot_id(FILE *f, const char *v)
{
	fprintf(f, "\"o_%s\"", strncmp(v, "0x", 2) ? v : v + 2);
}

static size_t objects_of(json_object *o, const struct objs *objs, const char **out, size_t max,
			 size_t n)
{
	json_object_object_foreach(o, k, v)
	{
		(void)k;
		const char *s =
		    json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		bool dup = false;
		for (size_t i = 0; s && i < n; i++)
			dup |= !strcmp(out[i], s);
		if (s && !dup && n < max && is_obj(objs, s))
			out[n++] = s;
	}
	return n;
}

static void dot_call(FILE *f, json_object *c, const struct objs *objs)
{
	json_object *args = NULL, *rf = NULL, *kids = NULL, *v;
	const char *in[16], *out[16];
	size_t nin = 0, nout = 0;
	int le = 0;

	json_object_object_get_ex(c, "args", &args);
	json_object_object_get_ex(c, "ret_fields", &rf);
	json_object_object_get_ex(c, "children", &kids);
	if (json_object_object_get_ex(c, "line_entry", &v))
		le = json_object_get_int(v);
	if (args)
		nin = objects_of(args, objs, in, 16, 0);
	if (rf)
		nout = objects_of(rf, objs, out, 16, 0);
	bool ret_listed = false;
	for (size_t i = 0; i < nout; i++)
		ret_listed |= !strcmp(out[i], site_str(c, "ret"));
	if (!ret_listed && nout < 16 && is_obj(objs, site_str(c, "ret")))
		out[nout++] = site_str(c, "ret");
	const char *fn = site_str(c, "func");
	if (nin || nout) {
		if (!nin || !nout) /* the call itself stands at the open end */
			fprintf(f, "  \"c_%d\" [shape=plaintext,label=\"%s L%d\"];\n", le, fn, le);
		for (size_t i = 0; i < (nin ? nin : 1); i++)
			for (size_t j = 0; j < (nout ? nout : 1); j++) {
				if (nin && nout && !strcmp(in[i], out[j]))
					continue;
				if (nin)
					dot_id(f, in[i]);
				else
					fprintf(f, "\"c_%d\"", le);
				fputs(" -> ", f);
				if (nout)
					dot_id(f, out[j]);
				else
					fprintf(f, "\"c_%d\"", le);
				fprintf(f, " [label=\"%s L%d\"];\n", fn, le);
			}
	}
	for (size_t i = 0; kids && i < json_object_array_length(kids); i++)
		dot_call(f, json_object_array_get_idx(kids, i), objs);
}

static int run_dot(const char *in, const char *out)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("timeout", "timeout", DOT_TIMEOUT, "dot", "-Tsvg", "-o", out, in,
		       (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return 1; /* no dot */
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int site_write_graph(const struct site *s, const struct site_report *r, char *err, size_t errsz)
{
	json_object *chains = NULL, *calls = NULL;
	struct objs objs = {0};
	struct page p;
	char dotpath[4400], svgpath[4400], tmp[4420];
	int rc = -1;

	err[0] = '\0';
	json_object_object_get_ex(r->root, "pointer_chains", &chains);
	json_object_object_get_ex(r->root, "calls", &calls);
	size_t n = chains ? json_object_array_length(chains) : 0;
	if (!n)
		return 0;
	objs.v = calloc(n, sizeof(*objs.v));
	if (!objs.v)
		abort();
	snprintf(svgpath, sizeof(svgpath), "%s/%s", s->out, r->graph);
	snprintf(dotpath, sizeof(dotpath), "%.*s.dot", (int)(strlen(r->graph) - 4), r->graph);
	if (page_open(&p, s->out, dotpath, err, errsz))
		goto out;
	FILE *f = p.f;
	fputs("digraph pointers {\n  rankdir=LR;\n  node [shape=box,fontname=\"monospace\"];\n"
	      "  edge [fontname=\"monospace\",fontsize=10];\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(chains, i), *links = NULL;
		objs.v[objs.n++] = site_str(c, "value");
		json_object_object_get_ex(c, "links", &links);
		fputs("  ", f);
		dot_id(f, site_str(c, "value"));
		fprintf(f, " [label=\"%s", site_str(c, "value"));
		/* the names it went by: the fields it was seen in */
		const char *seen[4];
		size_t ns = 0;
		for (size_t k = 0; links && k < json_object_array_length(links) && ns < 3; k++) {
			const char *fl = site_str(json_object_array_get_idx(links, k), "field");
			bool dup = false;
			for (size_t m = 0; m < ns; m++)
				dup |= !strcmp(seen[m], fl);
			if (!dup)
				seen[ns++] = fl;
		}
		for (size_t m = 0; m < ns; m++)
			fprintf(f, "%s%s", m ? ", " : "\\n", seen[m]);
		fputs("\"];\n", f);
	}
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++)
		dot_call(f, json_object_array_get_idx(calls, i), &objs);
	fputs("}\n", f);
	if (page_close(&p, err, errsz))
		goto out;
	snprintf(dotpath, sizeof(dotpath), "%s/%.*s.dot", s->out, (int)(strlen(r->graph) - 4),
		 r->graph);
	snprintf(tmp, sizeof(tmp), "%s.tmp.svg", svgpath);
	rc = run_dot(dotpath, tmp);
	if (rc == 0 && rename(tmp, svgpath)) {
		snprintf(err, errsz, "cannot write %s: %s", svgpath, strerror(errno));
		rc = -1;
	} else if (rc < 0) {
		snprintf(err, errsz, "dot failed on %s (see the file; Graphviz installed?)",
			 dotpath);
	}
	if (rc)
		unlink(tmp);
out:
	free(objs.v);
	return rc;
}
