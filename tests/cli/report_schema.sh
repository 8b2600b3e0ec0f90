#!/bin/sh
# The JSON report's schema (src/report/report_schema.h): docs/report-schema.md is what
# `opentrail schema` prints; every report the fixtures give conforms, with source lines,
# line probes and origins too; and a report that departs from it is refused with the
# path of what is wrong.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
K612=6.12.117+deb12-cloud-amd64

t_begin report_schema_doc_matches_table
if ! $OT schema >"$D/schema.md" 2>"$D/err"; then
	t_fail "opentrail schema failed: $(head -c 300 "$D/err")"
elif ! diff -u docs/report-schema.md "$D/schema.md" >"$D/diff"; then
	t_fail "docs/report-schema.md differs from the table (opentrail schema > docs/report-schema.md): $(head -c 600 "$D/diff")"
fi
t_end

# The reports: every fixture log, as a case where it is one; the 6.12 excerpt of a
# source index (call sites, reverse trace) and the made-up source of the lines
# fixture (line steps, origin) in caches of their own.
mkdir -p "$D/empty" "$D/idx/debuginfo/$K612" "$D/src/debuginfo/6.1.0-textview/source/fs" "$D/r"
cp tests/fixtures/srcmap/srcindex-6.12-mini "$D/idx/debuginfo/$K612/srcindex"
echo 1.0 >"$D/src/debuginfo/6.1.0-textview/dbg-version"
echo 1.0 >"$D/src/debuginfo/6.1.0-textview/source/VERSION"
cp tests/fixtures/textview/namei.c "$D/src/debuginfo/6.1.0-textview/source/fs/namei.c"
report() { # CACHE NAME ARGS...
	_c=$1 _n=$2; shift 2
	OPENTRAIL_CACHE="$D/$_c" $OT check --no-download --format json "$@" >"$D/r/$_n.json" 2>"$D/r/$_n.err"
}
n=0
for log in $(find tests/fixtures -name '*.log' | sort); do
	n=$((n + 1))
	report empty "plain$n" "$log"
	c=$(basename "$log" .log)
	if $OT list | awk '{print $1}' | grep -qx "$c"; then
		report empty "case$n" --case "$c" "$log"
	fi
done
report idx srcmap tests/fixtures/srcmap/case17_callers.log
report src lines tests/fixtures/textview/lines_denied.log

t_begin report_schema_fixture_reports_conform
ls "$D"/r/*.json >"$D/list"
[ "$(wc -l <"$D/list")" -ge 20 ] || t_fail "only $(wc -l <"$D/list") reports were written"
# shellcheck disable=SC2046 # the reports' names have no spaces
$OT schema --check $(cat "$D/list") >"$D/check" 2>&1 || t_fail "a report does not conform: $(grep -v 'conforms$' "$D/check" | head -n 6)"
t_end

t_begin report_schema_has_sources_lines_origins
grep -q '"call_site": {' "$D/r/srcmap.json" || t_fail "no call site in the srcmap report"
grep -q '"reverse_trace": \[' "$D/r/srcmap.json" || t_fail "no reverse trace in the srcmap report"
grep -q '"origin": {' "$D/r/lines.json" || t_fail "no origin in the lines report"
grep -q '"lines": \[{' "$D/r/lines.json" || t_fail "no line steps in the lines report"
t_end

# A report changed in one place: the path of the change is named, exit 1.
bad() { # NAME SED-EXPRESSION WANT
	sed "$2" "$D/r/lines.json" >"$D/bad-$1.json"
	cmp -s "$D/r/lines.json" "$D/bad-$1.json" && t_fail "$1: the change did not apply"
	$OT schema --check "$D/bad-$1.json" >"$D/bad-$1.out" 2>&1
	st=$?
	[ "$st" = 1 ] || t_fail "$1: exit $st, want 1"
	grep -qF "$3" "$D/bad-$1.out" || t_fail "$1: '$3' not named: $(head -n 3 "$D/bad-$1.out")"
}
t_begin report_schema_refuses_departures
bad unknown_key 's/"title":/"titel":/' 'titel: a key the schema does not know in a report'
bad wrong_type 's/"time_from_log": [a-z]*/"time_from_log": "no"/' 'time_from_log: a string where the schema wants another type'
bad missing_key 's/"paired": true, //' 'no "paired", which every object of its kind has'
bad deep_type 's/"hits": [0-9]*/"hits": "1"/' 'lines[0].hits: a string'
t_end

t_begin report_schema_not_json_is_exit_2
printf '{"case": ' >"$D/cut.json"
$OT schema --check "$D/cut.json" >"$D/cut.out" 2>"$D/cut.err"
[ $? = 2 ] || t_fail "a cut report did not exit 2"
grep -q 'is not JSON' "$D/cut.err" || t_fail "no reason: $(cat "$D/cut.err")"
$OT schema --check "$D/none.json" >/dev/null 2>"$D/none.err"
[ $? = 2 ] || t_fail "a missing report did not exit 2"
$OT schema "$D/cut.json" >/dev/null 2>&1
[ $? = 2 ] || t_fail "a report without --check did not exit 2"
t_end

# At scale (more than 1,000 calls) the JSON carries what the Markdown shows instead of
# every call: the same shapes, latency and errors.
t_begin report_schema_scale_as_markdown
sh bench/gen_log.sh 30000 >"$D/big.log" 2>/dev/null || t_fail "bench/gen_log.sh failed"
$OT check --format md,json --out "$D/big" "$D/big.log" >/dev/null 2>"$D/big.err" || t_fail "check failed: $(head -c 300 "$D/big.err")"
$OT schema --check "$D/big/big.json" >"$D/big.check" || t_fail "the large report does not conform: $(head -n 4 "$D/big.check")"
python3 - "$D/big/big.json" "$D/big/big.md" >"$D/big.cmp" 2>&1 <<'PY' || t_fail "$(tail -n 3 "$D/big.cmp")"
import json, re, sys
j = json.load(open(sys.argv[1]))["scale"]
md = open(sys.argv[2]).read()
shapes = re.findall(r"^\| ([0-9,]+) × \| `(.*)` \| L([0-9]+) \|$", md, re.M)
assert [(int(c.replace(",", "")), t, int(l)) for c, t, l in shapes] == \
    [(s["count"], s["text"], s["first_line"]) for s in j["shapes"]], "shapes differ"
lat = re.findall(r"^\| `([a-z_0-9]+)` \| ([0-9,]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$", md, re.M)
assert lat and [(f, int(n.replace(",", "")), *map(float, v)) for f, n, *v in lat] == \
    [(l["func"], l["calls"], l["min_us"], l["median_us"], l["p99_us"], l["max_us"]) for l in j["latency"]], "latency differs"
errs = re.findall(r"^\| `([a-z_0-9]+)` \| ([A-Z0-9]+) \(([0-9-]+)\) \| ([0-9,]+) \| L([0-9]+) \|$", md, re.M)
assert errs and [(f, e, int(v), int(n.replace(",", "")), int(l)) for f, e, v, n, l in errs] == \
    [(e["func"], e["errno"], e["value"], e["count"], e["first_line"]) for e in j["errors"]], "errors differ"
assert j["operations"] == 2000 and j["calls"] == 14000, (j["operations"], j["calls"])
PY
t_end
