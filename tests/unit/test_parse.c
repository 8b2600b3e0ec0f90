// SPDX-License-Identifier: MIT
/* Every line shape, malformed and truncated lines, the writer/reader round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/kinds.h"
#include "record/logparse.h"
#include "record/logwrite.h"
#include "testlib.h"
#include "trace/decode.h"

static int parse(const char *line, struct ot_record *r, const char **reason)
{
	return ot_parse_line(line, 7, r, reason);
}

TEST(parse_opentrail_shape)
{
	struct ot_record r;
	const char *why;
	uint64_t u;

	CHECK_INT(parse("[opentrail] do_filp_open.entry pid=12 tid=13 comm=\"a b\" dfd=-100 "
			"pathname=ffff8dda12eb4000 name=\"/w/x y\" open_flag=0x8000",
			&r, &why),
		  1);
	CHECK_STR(r.func, "do_filp_open");
	CHECK_INT(r.kind, OT_REC_ENTRY);
	CHECK_INT(r.pid, 12);
	CHECK_INT(r.tid, 13);
	CHECK_STR(r.comm, "a b");
	CHECK_INT(r.line, 7);
	CHECK(ot_rec_u64(&r, "pathname", &u) && u == 0xffff8dda12eb4000ull);
	CHECK(ot_rec_u64(&r, "open_flag", &u) && u == 0x8000);
	CHECK(ot_rec_u64(&r, "dfd", &u) && (int64_t)u == -100);
	CHECK_STR(ot_rec_str(&r, "name"), "/w/x y");
	ot_record_free(&r);
}

TEST(parse_seed_shape_with_timestamp)
{
	struct ot_record r;
	const char *why;
	uint64_t u;

	CHECK_INT(
	    parse(
		"[38331.137554] [trace_case7_symlink_fast] do_filp_open.entry pid=183660 "
		"comm=case7_symlink_f dfd=4294967196 pathname=ffff8dda082af000 op=ffffd0c941c53cf4",
		&r, &why),
	    1);
	CHECK(r.has_ts && r.ts > 38331.1375 && r.ts < 38331.1376);
	CHECK_STR(r.tag, "trace_case7_symlink_fast");
	CHECK_INT(r.tid, 183660);
	CHECK_STR(r.comm, "case7_symlink_f");
	CHECK(ot_rec_u64(&r, "dfd", &u));
	CHECK_INT(ot_as_int32(u), -100); /* AT_FDCWD printed unsigned */
	ot_record_free(&r);

	CHECK_INT(
	    parse("[ 5.000001] [t] __d_alloc.ret pid=1 comm=x dentry=ffff8dda130d76c0", &r, &why),
	    1);
	CHECK(ot_rec_u64(&r, "ret", &u) && u == 0xffff8dda130d76c0ull); /* alias of dentry= */
	ot_record_free(&r);
}

TEST(parse_c17_shape)
{
	struct ot_record r;
	const char *why;
	uint64_t u;

	CHECK_INT(parse("[C17][do_filp_open][RET] pid=75221 tgid=75220 ret_ptr=fffffffffffffffe "
			"is_err=1 err=2",
			&r, &why),
		  1);
	CHECK_INT(r.kind, OT_REC_RET);
	CHECK_STR(r.func, "do_filp_open");
	CHECK_INT(r.pid, 75220);
	CHECK_INT(r.tid, 75221);
	CHECK(ot_rec_u64(&r, "ret", &u) && u == 0xfffffffffffffffeull);
	ot_record_free(&r);
	CHECK_INT(parse("[C17][__d_alloc][ENTRY] pid=1 tgid=1 qstr_ptr=ffffd0c941f33a80 len=29 "
			"hash=0xf168d14a name=missing_case17_filp_75221.txt",
			&r, &why),
		  1);
	CHECK(ot_rec_u64(&r, "qstr", &u) && u == 0xffffd0c941f33a80ull);
	CHECK(ot_rec_u64(&r, "len", &u) && u == 29);
	CHECK_STR(ot_rec_str(&r, "name"), "missing_case17_filp_75221.txt");
	ot_record_free(&r);
	CHECK_INT(parse("[C17][x][EXIT] pid=1 tgid=1", &r, &why), -1);
}

TEST(parse_replay_fact)
{
	struct ot_record r;
	const char *why;
	uint64_t u;

	CHECK_INT(
	    parse("[DLOOKUP_REPLAY] d_lookup HIT dentry=ffff8ddc063cb3c0 inode=0000000000000000 "
		  "negative=1 unhashed=0",
		  &r, &why),
	    1);
	CHECK_INT(r.kind, OT_REC_FACT);
	CHECK_STR(r.func, "DLOOKUP_REPLAY");
	CHECK_STR(ot_rec_str(&r, "text"), "d_lookup HIT");
	CHECK(ot_rec_u64(&r, "dentry", &u) && u == 0xffff8ddc063cb3c0ull);
	CHECK(ot_rec_u64(&r, "inode", &u) && u == 0);
	ot_record_free(&r);
}

TEST(parse_inside_prose)
{
	struct ot_record r;
	const char *why;

	CHECK_INT(parse("- captured: [opentrail] fput.entry pid=3 comm=\"c\" file=ffff000000000001",
			&r, &why),
		  1);
	CHECK_STR(r.func, "fput");
	ot_record_free(&r);
	CHECK_INT(parse("This is prose about do_filp_open.entry pid=3", &r, &why), 0);
	CHECK_INT(parse("", &r, &why), 0);
	CHECK_INT(parse("- [Stage 1](https://example.org) link", &r, &why), 0);
}

TEST(parse_malformed_and_truncated)
{
	struct ot_record r;
	const char *why;

	CHECK_INT(parse("[opentrail] do_filp_open.entry comm=\"x\" dfd=1", &r, &why), -1);
	CHECK_STR(why, "no pid=");
	CHECK_INT(parse("[opentrail] do_filp_open.entry pid=1 name=\"unterminated", &r, &why), -1);
	CHECK(why && strstr(why, "quoted"));
	CHECK_INT(parse("[opentrail] do_filp_open.entry pid=", &r, &why), -1);
	CHECK_INT(parse("[opentrail] do_filp_open.exit pid=1", &r, &why), -1);
	CHECK_INT(parse("[opentrail] do_filp_open.entry pid=1 stray", &r, &why), -1);
	CHECK_INT(parse("[opentrail] do_filp_open.entry pid=abc", &r, &why), -1);
	CHECK_INT(parse("[opentrail] x.entry pid=1 s=\"bad\\q\"", &r, &why), -1);
	/* A line of another module that is not a call is a fact of its tag. */
	CHECK_INT(parse("[trace_x] loaded target_comm=foo", &r, &why), 1);
	CHECK_INT(r.kind, OT_REC_FACT);
	CHECK_STR(r.func, "trace_x");
	CHECK_STR(ot_rec_str(&r, "target_comm"), "foo");
	CHECK_STR(ot_rec_str(&r, "text"), "loaded");
	ot_record_free(&r);
	/* ...but words alone are prose gone wrong, and opentrail's own lines must be calls. */
	CHECK_INT(parse("[x] just words", &r, &why), -1);
	CHECK_INT(parse("[opentrail] loaded target_comm=foo", &r, &why), -1);
}

TEST(writer_reader_round_trip)
{
	struct ot_line l;
	struct ot_record r;
	const char *why;
	uint64_t u;
	const char *nasty = "a \"q\" b=c\\d\ne\tf\x01";

	ot_line_begin(&l, "d_lookup", "entry", 10, 11, "we ird=\"");
	ot_line_ptr(&l, "parent", 0xffff888012345678ull);
	ot_line_int(&l, "dfd", -100);
	ot_line_hex(&l, "hash", 0xf168d14a);
	ot_line_str(&l, "name", nasty);
	CHECK(!l.overflow);
	CHECK_INT(parse(l.buf, &r, &why), 1);
	CHECK_STR(r.comm, "we ird=\"");
	/* Every byte comes back, except the control character: kept visibly escaped. */
	CHECK_STR(ot_rec_str(&r, "name"), "a \"q\" b=c\\d\ne\tf\\x01");
	CHECK_INT(r.kept_escapes, 2);
	CHECK(ot_rec_u64(&r, "parent", &u) && u == 0xffff888012345678ull);
	CHECK(ot_rec_u64(&r, "hash", &u) && u == 0xf168d14a);
	CHECK(ot_rec_u64(&r, "dfd", &u) && (int64_t)u == -100);
	CHECK_INT(r.pid, 10);
	CHECK_INT(r.tid, 11);
	ot_record_free(&r);
}

TEST(log_counts_unparsed_and_prose)
{
	struct ot_log log;
	const char *text = "# heading\n"
			   "[opentrail] fput.entry pid=1 comm=\"a\" file=0000000000000001\n"
			   "[opentrail] fput.entry pid=\n"
			   "prose\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	CHECK_INT(ot_log_read_stream(f, "mem", &log), 0);
	fclose(f);
	CHECK_INT(log.nlines, 4);
	CHECK_INT(log.nrecs, 1);
	CHECK_INT(log.nunparsed, 1);
	CHECK_INT(log.unparsed[0].line, 3);
	CHECK_INT(log.nprose, 2);
	ot_log_free(&log);
}

TEST(seed_fixtures_parse_completely)
{
	struct ot_log log;

	CHECK_INT(ot_log_read_file(FIXTURE("seed000_case7.log"), &log), 0);
	CHECK_INT(log.nrecs, 19); /* the module's "loaded" banner is a fact of its tag */
	CHECK_INT(log.nunparsed, 0);
	ot_log_free(&log);
	CHECK_INT(ot_log_read_file(FIXTURE("seed001_full.txt"), &log), 0);
	/* 20 user_trigger lines, 4 C17 lines, 3 replay facts (one quoted in the worksheet),
	 * 3 facts of other tags ([AUTO], [ROOT], the module's "loaded" banner) */
	CHECK_INT(log.nrecs, 30);
	ot_log_free(&log);
}

TEST(nul_and_bad_bytes_are_kept_escaped_and_warned)
{
	struct ot_log log;
	/* a raw NUL after dfd=, a raw 0xff in comm, an escaped NUL inside a quoted name */
	const char text[] =
	    "[opentrail] do_filp_open.entry pid=1 tid=1 comm=\"a\xff\" "
	    "name=\"x\\x00y\" dfd=3\0junk\n"
	    "[opentrail] do_filp_open.ret pid=1 tid=1 comm=\"a\" ret=0\n"
	    "[opentrail] d_lookup.entry pid=1 tid=1 comm=\"\xc3\xa9\" name=\"ok\"\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	CHECK_INT(ot_log_read_stream(f, "mem", &log), 0);
	fclose(f);
	CHECK_INT(log.nlines, 3);
	/* nothing after the NUL is dropped: it is in the line, visibly */
	CHECK(strstr(log.lines[0], "dfd=3\\x00junk") != NULL);
	CHECK(strstr(log.lines[0], "comm=\"a\\xff\"") != NULL);
	CHECK_INT(log.nwarnings, 1);
	CHECK_INT(log.warnings[0].line, 1);
	CHECK(strstr(log.warnings[0].what, "NUL") && strstr(log.warnings[0].what, "UTF-8"));
	/* the value after the NUL is whole, escape included; nothing is shortened */
	CHECK_INT(log.nrecs, 3);
	CHECK_STR(ot_rec_str(&log.recs[0], "dfd"), "3\\x00junk");
	CHECK_STR(ot_rec_str(&log.recs[0], "name"), "x\\x00y");
	CHECK_STR(log.recs[0].comm, "a\\xff");
	/* valid UTF-8 passes untouched and is no warning */
	CHECK_STR(log.recs[2].comm, "\xc3\xa9");
	ot_log_free(&log);
}

TEST(escaped_nul_in_quoted_value_does_not_cut_it)
{
	struct ot_log log;
	const char *text =
	    "[opentrail] do_filp_open.entry pid=1 tid=1 comm=\"c\" name=\"x\\x00y\\xfe\" dfd=3\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	CHECK_INT(ot_log_read_stream(f, "mem", &log), 0);
	fclose(f);
	CHECK_INT(log.nrecs, 1);
	CHECK_STR(ot_rec_str(&log.recs[0], "name"), "x\\x00y\\xfe");
	CHECK(ot_rec_field(&log.recs[0], "dfd") != NULL);
	CHECK_INT(log.nwarnings, 1);
	ot_log_free(&log);
}

TEST(fact_words_are_never_truncated)
{
	struct ot_record r;
	const char *why;
	char line[6000];
	size_t n = (size_t)snprintf(line, sizeof(line), "[PTRCHK] ");

	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "w%03d ", i);
	snprintf(line + n, sizeof(line) - n, "ok=1");
	CHECK_INT(parse(line, &r, &why), 1);
	CHECK_INT(r.kind, OT_REC_FACT);
	CHECK_INT(strlen(ot_rec_str(&r, "text")), 1000 * 5 - 1);
	ot_record_free(&r);
}

/* A record read into a log (values written once into its arena, names shared) is the
 * record ot_parse_line gives on its own (allocations of its own), field for field. */
static bool same_record(const struct ot_record *a, const struct ot_record *b)
{
	const char *sa[] = {a->func, a->real, a->tag, a->shape, a->comm};
	const char *sb[] = {b->func, b->real, b->tag, b->shape, b->comm};

	for (size_t i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		if ((!sa[i]) != (!sb[i]) || (sa[i] && strcmp(sa[i], sb[i])))
			return false;
	if (a->line != b->line || a->kind != b->kind || a->pid != b->pid || a->tid != b->tid ||
	    a->has_ts != b->has_ts || a->ts != b->ts || a->nfields != b->nfields ||
	    a->kept_escapes != b->kept_escapes)
		return false;
	for (size_t i = 0; i < a->nfields; i++) {
		const struct ot_field *x = &a->fields[i], *y = &b->fields[i];

		if (strcmp(x->key, y->key) || x->type != y->type || x->alias != y->alias ||
		    strcmp(x->raw, y->raw) || (x->type == OT_V_STR && strcmp(x->s, y->s)) ||
		    (x->type != OT_V_STR && x->u != y->u))
			return false;
	}
	return true;
}

TEST(log_records_equal_records_parsed_alone)
{
	static const char *const lines[] = {
	    "[opentrail] do_filp_open.entry pid=12 tid=13 comm=\"a b\" dfd=-100 "
	    "pathname=ffff8dda12eb4000 name=\"/w/x\\ty\\\"z\" open_flag=0x8000 ts=1500",
	    "[opentrail] do_filp_open.ret pid=12 tid=13 comm=\"a b\" ret=fffffffffffffffe",
	    "[ 5.000001] [t] __d_alloc.ret pid=1 comm=x dentry=ffff8dda130d76c0 name_ptr=0000ffff",
	    "[C17][d_alloc_parallel][ENTRY] pid=5 tgid=4 parent=ffff888003a00000 name_qstr=123",
	    "[DLOOKUP_REPLAY] replayed d_lookup parent=ffff888003a00000 ret=0",
	    "[opentrail] user.fact pid=3 tid=3 comm=\"t\" seq=1 call=\"open\" path=\"\\x01\\xff\" "
	    "ret=-1 errno=2 errname=\"ENOENT\"",
	    "prose before [MYMOD] cache flushed count=3 name=\"x y\" and words",
	    "[opentrail] do_file_open.entry pid=2 comm=c dfd=3 name=\"n\" words",
	};
	struct ot_log log = {0};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ot_log_add_line(&log, lines[i]);
	CHECK_INT(log.nrecs, 7);
	CHECK_INT(log.nunparsed, 1);
	for (size_t i = 0; i < log.nrecs; i++) {
		const struct ot_record *in_log = &log.recs[i];
		struct ot_record alone;
		const char *why;

		CHECK_INT(ot_parse_line(lines[in_log->line - 1], in_log->line, &alone, &why), 1);
		CHECK(same_record(in_log, &alone));
		ot_record_free(&alone);
	}
	/* the log's records share one copy of each key */
	CHECK(ot_rec_field(&log.recs[1], "ret")->key == ot_rec_field(&log.recs[4], "ret")->key);
	ot_log_free(&log);
}

/* Line texts are kept while the Markdown may embed the raw log, and then only for the
 * facts it quotes whole; every line is still counted and parsed. */
TEST(log_keeps_line_texts_only_while_they_may_be_embedded)
{
	struct ot_log log = {0};
	char line[128];

	for (int i = 0; i < OT_LOG_KEEP_CALL_RECORDS_MAX; i++) {
		snprintf(line, sizeof(line), "[opentrail] f.entry pid=1 tid=1 comm=\"c\" n=%d", i);
		ot_log_add_line(&log, line);
	}
	CHECK(!log.lines_dropped);
	CHECK(log.lines[OT_LOG_KEEP_CALL_RECORDS_MAX - 1] != NULL);
	ot_log_add_line(&log, "[opentrail] f.ret pid=1 tid=1 comm=\"c\" ret=0");
	ot_log_add_line(&log, "[opentrail] f.ret pid=1 tid=1 comm=\"c\" ret=1");
	ot_log_add_line(&log, "[MYMOD] cache flushed count=3");
	ot_log_add_line(&log, "[opentrail] user.fact pid=1 tid=1 comm=\"c\" seq=1 ret=0");
	CHECK(log.lines_dropped);
	CHECK_INT(log.nlines, OT_LOG_KEEP_CALL_RECORDS_MAX + 4);
	CHECK_INT(log.nrecs, OT_LOG_KEEP_CALL_RECORDS_MAX + 4);
	CHECK(log.lines[OT_LOG_KEEP_CALL_RECORDS_MAX] != NULL); /* the 2,001st call record */
	CHECK(log.lines[OT_LOG_KEEP_CALL_RECORDS_MAX + 1] == NULL);
	CHECK_STR(log.lines[OT_LOG_KEEP_CALL_RECORDS_MAX + 2], "[MYMOD] cache flushed count=3");
	CHECK(log.lines[OT_LOG_KEEP_CALL_RECORDS_MAX + 3] == NULL);
	ot_log_free(&log);
}

/* Numbers are read without strtoull, but as it reads them: saturating past 64 bits. */
TEST(parse_numbers_as_strtoull_reads_them)
{
	static const char *const values[] = {
	    "0",
	    "42",
	    "-100",
	    "4294967196",
	    "18446744073709551615",
	    "18446744073709551616",
	    "99999999999999999999",
	    "-9223372036854775808",
	    "-9223372036854775809",
	    "-99999999999999999999",
	    "0x8000",
	    "0XfFfF",
	    "0xffffffffffffffff",
	    "0x1ffffffffffffffff",
	    "0x000000000000000000001",
	    "ffff8dda12eb4000",
	    "00007ffd00000040",
	    "deadbeef",
	};
	char line[160];

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *v = values[i];
		struct ot_record r;
		const char *why;
		const struct ot_field *f;
		uint64_t want;

		snprintf(line, sizeof(line), "[opentrail] x.entry pid=1 v=%s", v);
		CHECK_INT(parse(line, &r, &why), 1);
		f = ot_rec_field(&r, "v");
		CHECK(f && f->type != OT_V_STR);
		if (v[0] == '-')
			want = (uint64_t)strtoll(v, NULL, 10);
		else if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
			want = strtoull(v + 2, NULL, 16);
		else if (strspn(v, "0123456789") == strlen(v))
			want = strtoull(v, NULL, 10);
		else
			want = strtoull(v, NULL, 16);
		if (f && f->u != want)
			fprintf(stderr, "  %s: %llx, want %llx\n", v, (unsigned long long)f->u,
				(unsigned long long)want);
		CHECK(f && f->u == want);
		ot_record_free(&r);
	}
}

/* A log that describes its functions (spec.fact) is typed by its descriptions alone:
 * a function the probe spec has never heard of gets its role and its kinds, and the
 * spec's own kinds no longer apply. */
TEST(descriptions_type_the_values_after_them)
{
	static const char text[] =
	    "[opentrail] run.fact run_id=\"1-2.3-4\"\n"
	    "[opentrail] spec.fact pid=1 tid=1 comm=\"opentrail\" role=\"new_role\" "
	    "names=\"new_role,new_name\" entry=\"where:ptr how:mask fd:dfd n:uint s:str\" "
	    "ret=\"ret:errptr ino:ptr\"\n"
	    "[opentrail] new_name.entry pid=5 tid=5 comm=\"t\" where=123 how=0x41 fd=-100 n=7 "
	    "s=abc\n"
	    "[opentrail] new_name.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffffe ino=0\n"
	    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ot_log log;
	const struct ot_record *e, *r, *d;

	CHECK(f && ot_log_read_stream(f, "inline", &log) == 0);
	if (f)
		fclose(f);
	CHECK_INT(log.ndescribed, 1);
	CHECK_INT(log.nrecs, 4); /* the description is not a record */
	CHECK_INT(log.nprose, 0);
	e = &log.recs[1];
	r = &log.recs[2];
	d = &log.recs[3];
	CHECK_STR(e->func, "new_role");
	CHECK_STR(e->real, "new_name");
	CHECK_INT(ot_rec_field(e, "where")->type, OT_V_HEX); /* a pointer, though decimal */
	CHECK_INT(ot_rec_field(e, "where")->kind, OT_FK_PTR);
	CHECK_INT(ot_rec_field(e, "how")->kind, OT_FK_MASK);
	CHECK_INT(ot_rec_field(e, "fd")->kind, OT_FK_DFD);
	CHECK_INT(ot_rec_field(e, "n")->kind, OT_FK_UINT);
	CHECK_INT(ot_rec_field(e, "s")->type, OT_V_STR); /* text, though bare */
	CHECK_INT(ot_rec_field(r, "ret")->kind, OT_FK_ERRPTR);
	CHECK_INT(ot_rec_field(r, "ino")->kind, OT_FK_PTR);
	/* not described in this log: the spec's kinds do not apply */
	CHECK_INT(ot_rec_field(d, "dfd")->kind, OT_FK_UNKNOWN);
	ot_log_free(&log);
}

/* Without descriptions (or with one that names no role), the legacy table (the probe
 * spec's) types the values. */
TEST(legacy_table_types_logs_without_descriptions)
{
	static const char text[] =
	    "[opentrail] spec.fact pid=1 tid=1 comm=\"opentrail\" entry=\"dfd:ptr\"\n" /* no role */
	    "[opentrail] do_file_open.entry pid=5 tid=5 comm=\"t\" dfd=4294967196 "
	    "open_flag=0x8000 acc_mode=4 name=\"/x\"\n"
	    "[seed] other.entry pid=5 comm=t dfd=-100 flags=0x1\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ot_log log;

	CHECK(f && ot_log_read_stream(f, "inline", &log) == 0);
	if (f)
		fclose(f);
	CHECK_INT(log.nrecs, 2);
	CHECK_INT(log.ndescribed, 1);
	CHECK(log.described == NULL); /* a description of no role changes nothing */
	CHECK_STR(log.recs[0].func, "do_filp_open");
	CHECK_INT(ot_rec_field(&log.recs[0], "dfd")->kind, OT_FK_DFD);
	CHECK_INT(ot_rec_field(&log.recs[0], "open_flag")->kind, OT_FK_MASK);
	CHECK_INT(ot_rec_field(&log.recs[0], "acc_mode")->kind, OT_FK_INT32);
	CHECK_INT(ot_rec_field(&log.recs[1], "dfd")->kind, OT_FK_DFD); /* the seeds' dfd= */
	CHECK_INT(ot_rec_field(&log.recs[1], "flags")->kind, OT_FK_UNKNOWN);
	ot_log_free(&log);
}
