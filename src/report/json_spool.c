// SPDX-License-Identifier: MIT
/* The JSON report's "calls" of a trace built streamed (report/model.h): each operation
 * written as it completes, spooled to a temporary file, copied into the report in
 * thread and root order at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/jsonw.h"
#include "report/model.h"
#include "report/report_json.h"
#include "srcmap/srcinfo.h"

/* The spool: each thread's operations are gathered in a buffer of its own and go to
 * the spool file a megabyte at a time, each after the one before it with its comma,
 * so that the final copy is a few large ranges (copy_file_range: in the kernel,
 * without passing through this process) rather than one read and write per
 * operation. */
#define THREAD_CHUNK (1u << 20)
/* All the threads' buffers together: past this, every buffer is spooled and freed. */
#define BUFFERS_MAX (8u << 20)

struct spooled_op {
	size_t thread, index; /* the operation's thread (its place in trace->threads), root */
	off_t at;	      /* in the spool; while buffered, in its thread's buffer */
	size_t len;	      /* without its comma */
	bool comma;	      /* a ',' right before it: not its thread's first */
};

struct thread_buf {
	char *p;
	size_t len, size;
	size_t *pending; /* its operations still buffered (places in ops) */
	size_t npending, cap;
	bool any; /* an operation of the thread was written */
};

struct ot_json_calls {
	struct ot_srctext *text; /* source lines of line probes' hits (NULL: none yet) */
	FILE *spool;
	off_t end; /* the spool's length */
	int err;
	struct ot_jw w; /* in memory, as if inside the report's "calls" array */
	struct thread_buf *tb;
	size_t ntb;
	size_t cur;	  /* the thread being written */
	bool cur_spilled; /* its buffer was spooled in the middle of an operation */
	size_t held;	  /* the buffers' sizes, together */
	struct spooled_op *ops;
	size_t n, cap;
	struct ot_show_memo *memo;
};

static void spool_buf(struct ot_json_calls *jc, struct thread_buf *b)
{
	size_t done = 0;

	while (done < b->len) {
		ssize_t k =
		    pwrite(fileno(jc->spool), b->p + done, b->len - done, jc->end + (off_t)done);

		if (k <= 0) {
			jc->err = -1;
			break;
		}
		done += (size_t)k;
	}
	for (size_t i = 0; i < b->npending; i++)
		jc->ops[b->pending[i]].at += jc->end;
	jc->end += (off_t)b->len;
	b->len = 0;
	b->npending = 0;
}

/* The writer's hook: an operation outgrew its buffer. */
static void spill_cur(struct ot_jw *w, void *ctx)
{
	struct ot_json_calls *jc = ctx;
	struct thread_buf *b = &jc->tb[jc->cur];

	b->len = w->len;
	b->p = w->buf;
	spool_buf(jc, b);
	w->len = 0;
	jc->cur_spilled = true;
}

struct ot_json_calls *ot_json_calls_new(void)
{
	struct ot_json_calls *jc = calloc(1, sizeof(*jc));

	if (!jc)
		return NULL;
	jc->spool = tmpfile();
	if (!jc->spool) {
		free(jc);
		return NULL;
	}
	jc->memo = ot_show_memo_new();
	if (!jc->memo) {
		fclose(jc->spool);
		free(jc);
		return NULL;
	}
	ot_jw_init_at(&jc->w, NULL, 2); /* the report's object, its "calls" array */
	ot_jw_set_lines(&jc->w, OT_JSON_REPORT_LINES);
	free(jc->w.buf);
	jc->w.buf = NULL;
	jc->w.size = 0;
	jc->w.spill = spill_cur;
	jc->w.spill_ctx = jc;
	return jc;
}

/* An operation's calls (their op numbers those the trace gave its anchor's calls)
 * written as the report would write them there: after a comma but for its thread's
 * first. */
void ot_json_calls_add_op(struct ot_json_calls *jc, const struct ot_trace *t,
			  const struct ot_call *root)
{
	if (!jc->text && t->nline_points)
		jc->text = ot_srctext_new(ot_srcinfo_kernel(t));
	size_t th = ot_trace_thread_index(t, root);
	struct thread_buf *b;
	struct spooled_op *op;
	uint64_t start;

	if (th >= jc->ntb) {
		size_t n = th + 1 > 2 * jc->ntb ? th + 1 : 2 * jc->ntb;
		struct thread_buf *nb = realloc(jc->tb, n * sizeof(*nb));

		if (!nb)
			abort();
		memset(nb + jc->ntb, 0, (n - jc->ntb) * sizeof(*nb));
		jc->tb = nb;
		jc->ntb = n;
	}
	b = &jc->tb[th];
	if (jc->n == jc->cap) {
		jc->cap = jc->cap ? 2 * jc->cap : 1024;
		jc->ops = realloc(jc->ops, jc->cap * sizeof(*jc->ops));
		if (!jc->ops)
			abort();
	}
	if (b->npending == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->pending = realloc(b->pending, b->cap * sizeof(*b->pending));
		if (!b->pending)
			abort();
	}
	op = &jc->ops[jc->n];
	*op = (struct spooled_op){th, root->index, (off_t)b->len + b->any, 0, b->any};
	b->pending[b->npending++] = jc->n++;

	jc->held -= b->size;
	jc->cur = th;
	jc->cur_spilled = false;
	jc->w.buf = b->p;
	jc->w.len = b->len;
	jc->w.size = b->size;
	jc->w.first[jc->w.depth - 1] = !b->any;
	start = jc->w.written;
	ot_json_call_tree(&jc->w, t, jc->memo, jc->text, root);
	op->len = (size_t)(jc->w.written - start) - op->comma;
	b->p = jc->w.buf;
	b->len = jc->w.len;
	b->size = jc->w.size;
	b->any = true;
	jc->held += b->size;

	if (jc->cur_spilled || b->len >= THREAD_CHUNK) /* an operation's end follows its start */
		spool_buf(jc, b);
	if (jc->held > BUFFERS_MAX)
		for (size_t i = 0; i < jc->ntb; i++) {
			spool_buf(jc, &jc->tb[i]);
			free(jc->tb[i].p);
			jc->held -= jc->tb[i].size;
			jc->tb[i].p = NULL;
			jc->tb[i].size = 0;
		}
}

void ot_json_calls_free(struct ot_json_calls *jc)
{
	if (!jc)
		return;
	ot_srctext_free(jc->text);
	free(jc->memo);
	if (jc->spool)
		fclose(jc->spool);
	for (size_t i = 0; i < jc->ntb; i++) {
		free(jc->tb[i].p);
		free(jc->tb[i].pending);
	}
	free(jc->tb);
	jc->w.buf = NULL;
	ot_jw_free(&jc->w);
	free(jc->ops);
	free(jc);
}

static int cmp_spooled(const void *a, const void *b)
{
	const struct spooled_op *x = a, *y = b;

	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* LEN bytes of the spool from AT to the report's FILE (flushed). */
static int copy_range(FILE *out, FILE *spool, off_t at, size_t len, bool *in_kernel)
{
	static char buf[1 << 16];

	while (len && *in_kernel) {
		ssize_t k = copy_file_range(fileno(spool), &at, fileno(out), NULL, len, 0);

		if (k <= 0) { /* not between these files (a pipe, another file system) */
			if (k < 0 && errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
			    errno != EOPNOTSUPP && errno != EBADF)
				return -1;
			*in_kernel = false;
			break;
		}
		len -= (size_t)k;
	}
	/* read exactly the range (stdio would refill its whole buffer per seek) */
	while (len) {
		ssize_t k = pread(fileno(spool), buf, len < sizeof(buf) ? len : sizeof(buf), at);

		if (k <= 0) /* the spool could not be read back: the report fails */
			return -1;
		fwrite_unlocked(buf, 1, (size_t)k, out);
		len -= (size_t)k;
		at += k;
	}
	return 0;
}

/* The spooled operations into the open "calls" array, threads and roots in order:
 * runs of them that lie in the spool one after the other with their commas go in one
 * copy; the first of a run gets its comma here. */
int ot_json_calls_copy(struct ot_jw *w, struct ot_json_calls *jc)
{
	bool in_kernel = true;
	int err = jc->err;

	for (size_t i = 0; i < jc->ntb; i++)
		spool_buf(jc, &jc->tb[i]);
	ot_jw_flush(w);
	if (jc->err || fflush(jc->spool) || ferror(jc->spool))
		return -1;
	qsort(jc->ops, jc->n, sizeof(*jc->ops), cmp_spooled);
	for (size_t i = 0; i < jc->n && !err;) {
		off_t at = jc->ops[i].at, end = at + (off_t)jc->ops[i].len;

		if (i && jc->ops[i].comma)
			at--; /* its comma, spooled right before it */
		else if (i)
			fputc_unlocked(',', w->f);
		for (i++; i < jc->n && jc->ops[i].comma && jc->ops[i].at == end + 1; i++)
			end = jc->ops[i].at + (off_t)jc->ops[i].len;
		if (in_kernel && fflush(w->f))
			err = -1;
		else
			err = copy_range(w->f, jc->spool, at, (size_t)(end - at), &in_kernel);
	}
	ot_jw_restart_level(w);
	if (jc->n)
		w->first[w->depth - 1] = 0;
	return err;
}
