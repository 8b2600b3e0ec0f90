#!/bin/sh
# docs/cases.md is generated from the catalogue (scripts/cases-doc.sh): the committed
# file must be what the script prints now, so that the document cannot drift from
# src/cases/catalogue.c.
. tests/lib.sh

t_begin cases_doc_matches_catalogue
if ! scripts/cases-doc.sh "$OT" >"$T_TMP/cases.md" 2>"$T_TMP/cases.err"; then
	t_fail "scripts/cases-doc.sh failed: $(head -c 300 "$T_TMP/cases.err")"
elif ! diff -u docs/cases.md "$T_TMP/cases.md" >"$T_TMP/cases.diff"; then
	t_fail "docs/cases.md differs from the catalogue (scripts/cases-doc.sh > docs/cases.md): $(head -c 600 "$T_TMP/cases.diff")"
fi
t_end

# Every case of the catalogue has its section.
t_begin cases_doc_has_every_case
$OT list | awk '{print $1}' | sort >"$T_TMP/cases.want"
sed -n 's/^## //p' docs/cases.md | sort >"$T_TMP/cases.have"
[ -s "$T_TMP/cases.want" ] || t_fail "opentrail list names no case"
cmp -s "$T_TMP/cases.want" "$T_TMP/cases.have" || t_fail "docs/cases.md sections and opentrail list differ"
t_end
