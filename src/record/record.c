// SPDX-License-Identifier: MIT
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "record/kinds.h"
#include "record/logparse.h"
#include "util/arena.h"

const struct ot_field *ot_rec_field(const struct ot_record *r, const char *key)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].key, key) == 0)
			return &r->fields[i];
	return NULL;
}

bool ot_rec_u64(const struct ot_record *r, const char *key, uint64_t *out)
{
	const struct ot_field *f = ot_rec_field(r, key);

	if (!f || f->type == OT_V_STR)
		return false;
	*out = f->u;
	return true;
}

const char *ot_rec_str(const struct ot_record *r, const char *key)
{
	const struct ot_field *f = ot_rec_field(r, key);

	return f ? (f->type == OT_V_STR ? f->s : f->raw) : NULL;
}

void ot_record_free(struct ot_record *r)
{
	if (r->pooled) { /* the log's arena owns it all */
		memset(r, 0, sizeof(*r));
		return;
	}
	for (size_t i = 0; i < r->nfields; i++) {
		free(r->fields[i].key);
		free(r->fields[i].s);
		free(r->fields[i].raw);
	}
	free(r->fields);
	free(r->func);
	free(r->real);
	free(r->tag);
	free(r->shape);
	free(r->comm);
	memset(r, 0, sizeof(*r));
}

void ot_log_free(struct ot_log *log)
{
	for (size_t i = 0; i < log->nrecs; i++)
		ot_record_free(&log->recs[i]);
	free(log->recs);
	for (size_t i = 0; !log->arena && i < log->nlines; i++)
		free(log->lines[i]);
	free(log->lines);
	ot_arena_free(log->arena);
	for (size_t i = 0; i < log->nunparsed; i++) {
		free(log->unparsed[i].text);
		free(log->unparsed[i].reason);
	}
	free(log->unparsed);
	for (size_t i = 0; i < log->nwarnings; i++)
		free(log->warnings[i].what);
	free(log->warnings);
	ot_kinds_free(log->described);
	free(log->name);
	memset(log, 0, sizeof(*log));
}
