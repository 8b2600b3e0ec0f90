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

#include "probe/spec.h"
#include "report/report_schema.h"
#include "site/html.h"
#include "site/model.h"

#define DOT_TIMEOUT "30"

struct objs {
	const char **v;
	size_t n;
};

/* One arrow; the same function between the same two objects is one arrow, with
 * every log line it happened at. */
struct edge {
	char src[40], dst[40];
	const char *label; /* function, or field name */
	bool field;	   /* dashed: the object at the head is a field of the one at the tail */
	char lines[120];
};

struct edges {
	struct edge *e;
	size_t n;
};

static bool is_obj(const struct objs *o, const char *v)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i], v))
			return true;
	return false;
}

static void node_id(char *out, size_t sz, const char *v)
{
	snprintf(out, sz, "o_%s", strncmp(v, "0x", 2) ? v : v + 2);
}

static void edge_add(struct edges *es, const char *src, const char *dst, const char *label,
		     bool field, int line)
{
	struct edge *e = NULL;

	for (size_t i = 0; i < es->n && !e; i++)
		if (!strcmp(es->e[i].src, src) && !strcmp(es->e[i].dst, dst) &&
		    !strcmp(es->e[i].label, label))
			e = &es->e[i];
	if (!e) {
		struct edge *ne = realloc(es->e, (es->n + 1) * sizeof(*ne));
		if (!ne)
			abort();
		es->e = ne;
		e = &es->e[es->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->src, sizeof(e->src), "%s", src);
		snprintf(e->dst, sizeof(e->dst), "%s", dst);
		e->label = label;
		e->field = field;
	}
	size_t l = strlen(e->lines);
	if (field || l + 12 >= sizeof(e->lines))
		return;
	snprintf(e->lines + l, sizeof(e->lines) - l, "%sL%d", l ? ", " : " ", line);
}

/* The objects among a record's fields (kernel-stack addresses left out: equal values
 * there are incidental). */
static size_t objects_of(json_object *o, const char *func, bool is_ret, const struct objs *objs,
			 const char **out, const char **keys, size_t max)
{
	size_t n = 0;

	json_object_object_foreach(o, k, v)
	{
		const char *s =
		    json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		bool dup = false;
		for (size_t i = 0; s && i < n; i++)
			dup |= !strcmp(out[i], s);
		if (s && !dup && n < max && is_obj(objs, s) &&
		    !ot_probe_field_on_stack(func, is_ret, k)) {
			keys[n] = k;
			out[n++] = s;
		}
	}
	return n;
}

static void graph_call(FILE *f, struct edges *es, json_object *c, const struct objs *objs)
{
	json_object *args = NULL, *rf = NULL, *kids = NULL, *v;
	const char *in[16], *out[16], *ink[16], *outk[16];
	size_t nin = 0, nout = 0;
	int le = 0;
	char a[40], b[40], box[40];

	json_object_object_get_ex(c, OT_RKEY(CALL, ARGS), &args);
	json_object_object_get_ex(c, OT_RKEY(CALL, RET_FIELDS), &rf);
	json_object_object_get_ex(c, OT_RKEY(CALL, CHILDREN), &kids);
	if (json_object_object_get_ex(c, OT_RKEY(CALL, LINE_ENTRY), &v))
		le = json_object_get_int(v);
	const char *fn = site_str(c, OT_RKEY(CALL, FUNC));
	if (args)
		nin = objects_of(args, fn, false, objs, in, ink, 16);
	if (rf)
		nout = objects_of(rf, fn, true, objs, out, outk, 16);
	const char *ret = site_str(c, OT_RKEY(CALL, RET));
	bool ret_obj = is_obj(objs, ret);
	snprintf(box, sizeof(box), "c_%s", fn);
	if (ret_obj || nout) {
		/* what the call returned: the object itself, or else the objects of its result */
		size_t heads = ret_obj ? 1 : nout;
		for (size_t j = 0; j < heads; j++) {
			node_id(b, sizeof(b), ret_obj ? ret : out[j]);
			if (!nin) {
				fprintf(f, "  \"%s\" [shape=plaintext,label=\"%s\"];\n", box, fn);
				edge_add(es, box, b, fn, false, le);
			}
			for (size_t i = 0; i < nin; i++) {
				node_id(a, sizeof(a), in[i]);
				if (strcmp(a, b))
					edge_add(es, a, b, fn, false, le);
			}
		}
		for (size_t j = 0; ret_obj && j < nout; j++) { /* fields of the returned object */
			node_id(a, sizeof(a), ret);
			node_id(b, sizeof(b), out[j]);
			if (strcmp(a, b))
				edge_add(es, a, b, outk[j], true, le);
		}
	} else if (nin) { /* the call only received objects */
		fprintf(f, "  \"%s\" [shape=plaintext,label=\"%s\"];\n", box, fn);
		for (size_t i = 0; i < nin; i++) {
			node_id(a, sizeof(a), in[i]);
			edge_add(es, a, box, fn, false, le);
		}
	}
	for (size_t i = 0; kids && i < json_object_array_length(kids); i++)
		graph_call(f, es, json_object_array_get_idx(kids, i), objs);
}

/* A chain whose every link is a kernel-stack address is no object. */
static bool chain_on_stack(json_object *links)
{
	size_t n = links ? json_object_array_length(links) : 0;

	for (size_t k = 0; k < n; k++) {
		json_object *l = json_object_array_get_idx(links, k);
		char func[128];
		const char *ev = site_str(l, OT_RKEY(LINK, EVENT)), *dot = strrchr(ev, '.');
		if (!dot)
			return false;
		snprintf(func, sizeof(func), "%.*s", (int)(dot - ev), ev);
		if (!ot_probe_field_on_stack(func, !strcmp(dot, ".ret"), site_str(l, OT_RKEY(LINK, FIELD))))
			return false;
	}
	return n > 0;
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
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, POINTER_CHAINS), &chains);
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, CALLS), &calls);
	size_t n = chains ? json_object_array_length(chains) : 0;
	if (!n)
		return 0;
	size_t nobj = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *links = NULL;
		json_object_object_get_ex(json_object_array_get_idx(chains, i),
					  OT_RKEY(CHAIN, LINKS), &links);
		nobj += !chain_on_stack(links);
	}
	if (nobj > SITE_GRAPH_MAX_OBJECTS)
		return SITE_GRAPH_TOO_LARGE;
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
		char id[40];
		json_object_object_get_ex(c, OT_RKEY(CHAIN, LINKS), &links);
		if (chain_on_stack(links))
			continue;
		objs.v[objs.n++] = site_str(c, OT_RKEY(CHAIN, VALUE));
		node_id(id, sizeof(id), site_str(c, OT_RKEY(CHAIN, VALUE)));
		fprintf(f, "  \"%s\" [label=\"%s", id, site_str(c, OT_RKEY(CHAIN, VALUE)));
		/* the names it went by: the fields it was seen in ("f()" for a return value) */
		char seen[3][96];
		size_t ns = 0;
		for (size_t k = 0; links && k < json_object_array_length(links) && ns < 3; k++) {
			json_object *l = json_object_array_get_idx(links, k);
			const char *fl = site_str(l, OT_RKEY(LINK, FIELD)), *ev = site_str(l, OT_RKEY(LINK, EVENT));
			char name[96];
			if (!strcmp(fl, "ret"))
				snprintf(name, sizeof(name), "%.*s()", (int)strcspn(ev, "."), ev);
			else
				snprintf(name, sizeof(name), "%s", fl);
			bool dup = false;
			for (size_t m = 0; m < ns; m++)
				dup |= !strcmp(seen[m], name);
			if (!dup)
				memcpy(seen[ns++], name, sizeof(name));
		}
		for (size_t m = 0; m < ns; m++)
			fprintf(f, "%s%s", m ? ", " : "\\n", seen[m]);
		fputs("\"];\n", f);
	}
	struct edges es = {0};
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++)
		graph_call(f, &es, json_object_array_get_idx(calls, i), &objs);
	for (size_t i = 0; i < es.n; i++)
		fprintf(f, "  \"%s\" -> \"%s\" [label=\"%s%s\"%s];\n", es.e[i].src, es.e[i].dst,
			es.e[i].label, es.e[i].lines, es.e[i].field ? ",style=dashed" : "");
	free(es.e);
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
