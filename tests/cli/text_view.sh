#!/bin/sh
# The text view (`--format text`, the default on a terminal): against golden files
# (tests/golden/text_*.txt; OT_UPDATE_GOLDEN=1 sh tests/cli/text_view.sh rewrites
# them), plain text with no HTML or Markdown, colour only on a terminal or when asked
# and never with NO_COLOR, the summary with -q, call shapes for a large log, and the
# Markdown still what a pipe gets.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
SEED1=tests/fixtures/seed001_case17.log
LAB=tests/fixtures/lab-6.12
LINES=tests/fixtures/textview/lines_denied.log
SRCLOG=tests/fixtures/srcmap/case17_callers.log
K612=6.12.117+deb12-cloud-amd64
ESC=$(printf '\033')

# A cache with nothing (no source lines from this machine's own cache), one with the
# 6.12 index excerpt (call sites), one with the made-up source of the lines fixture.
mkdir -p "$D/empty" "$D/idx/debuginfo/$K612" "$D/src/debuginfo/6.1.0-textview/source/fs"
cp tests/fixtures/srcmap/srcindex-6.12-mini "$D/idx/debuginfo/$K612/srcindex"
echo 1.0 >"$D/src/debuginfo/6.1.0-textview/dbg-version"
echo 1.0 >"$D/src/debuginfo/6.1.0-textview/source/VERSION"
cp tests/fixtures/textview/namei.c "$D/src/debuginfo/6.1.0-textview/source/fs/namei.c"

# text CACHE COLUMNS ARGS...: the text view into $D/out (exit status in $D/st)
text() {
	_c=$1 _w=$2; shift 2
	OPENTRAIL_CACHE="$D/$_c" COLUMNS=$_w NO_COLOR= OPENTRAIL_TERMINAL= \
		$OT check --no-download --format text "$@" >"$D/out" 2>"$D/err"
	echo $? >"$D/st"
}

# plain_text FILE: nothing of HTML, Markdown or a terminal's escapes
plain_text() {
	if grep -nE '</?(pre|a|b|i|br|code|table|tr|td)( [^>]*)?>|&(gt|lt|amp);' "$1" >"$D/bad"; then
		t_fail "HTML in the text view: $(head -n 2 "$D/bad")"
	fi
	if grep -nE '^\||\| *$|\]\(#?L[0-9]|\[L[0-9]+\]|`|\*\*|^#{1,3} ' "$1" >"$D/bad"; then
		t_fail "Markdown in the text view: $(head -n 2 "$D/bad")"
	fi
	if grep -q "$ESC" "$1"; then t_fail "escape sequences in $1"; fi
}

# golden NAME: $D/out against tests/golden/NAME
golden() {
	if [ "${OT_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$D/out" "tests/golden/$1"; fi
	cmp -s "$D/out" "tests/golden/$1" ||
		t_fail "differs from tests/golden/$1 (OT_UPDATE_GOLDEN=1 sh $0 if intended): $(diff "tests/golden/$1" "$D/out" | head -n 6)"
}

t_begin text_view_seed001_case17_golden
text empty '' --case case17_missing_file $SEED1
[ "$(cat "$D/st")" = 1 ] || t_fail "exit $(cat "$D/st"), want 1 (incomplete)"
golden text_seed001_case17.txt
plain_text "$D/out"
head -n 1 "$D/out" | grep -q '^INCOMPLETE  case17_missing_file' || t_fail "the verdict is not first: $(head -n 1 "$D/out")"
t_grep '^Where each error was decided' "$D/out"
t_grep '^Claims$' "$D/out"
t_grep '^Call tree' "$D/out"
t_grep '├─ ' "$D/out"
t_grep '└─ ' "$D/out"
t_grep '^└─ op#9 do_filp_open(dfd=AT_FDCWD, pathname=0xffff8dda12eb4000, op=0xffffd0c940c9fd04) -> ERR_PTR(-ENOENT)  L18-L21$' "$D/out"
# the origin comes before the claims, the claims before the tree
o=$(grep -n '^Where' "$D/out" | cut -d: -f1) c=$(grep -n '^Claims' "$D/out" | cut -d: -f1)
tr=$(grep -n '^Call tree' "$D/out" | cut -d: -f1)
[ "$o" -lt "$c" ] && [ "$c" -lt "$tr" ] || t_fail "order: origins $o, claims $c, tree $tr"
t_end

t_begin text_view_lab612_fits_80_columns
for be in bpf kmod; do
	text empty 80 --case case17_missing_file $LAB/$be/case17_missing_file.log
	[ "$(cat "$D/st")" = 0 ] || t_fail "$be: exit $(cat "$D/st"), want 0"
	golden text_lab612_${be}_case17.txt
	plain_text "$D/out"
	w=$(LC_ALL=C.UTF-8 wc -L <"$D/out")
	[ "$w" -le 80 ] || t_fail "$be: a line of $w columns: $(LC_ALL=C.UTF-8 awk 'length($0) > 80' "$D/out" | head -n 1)"
	t_grep 'op#1 do_filp_open(' "$D/out"
	t_grep '__d_lookup_rcu(name="work"' "$D/out"
done
# without a width the path is only shortened: its middle elided, its name whole
text empty '' --case case17_missing_file $LAB/bpf/case17_missing_file.log
t_grep 'path="/work/…/case17_missing_file/missing_155_1795653572.txt"' "$D/out"
grep -q '/work/opentrail/case17_missing_file/missing' "$D/out" && t_fail "a 62-character path shown whole"
# the Markdown keeps it whole
$OT check --case case17_missing_file --format md $LAB/bpf/case17_missing_file.log >"$D/md" 2>/dev/null
t_grep 'path="/work/opentrail/case17_missing_file/missing_155_1795653572.txt"' "$D/md"
t_end

t_begin text_view_lines_that_ran_and_origin
text src '' $LINES
golden text_lines_denied.txt
plain_text "$D/out"
t_grep 'EACCES was decided in generic_permission (L28); the last line that ran there naming it: fs/namei.c:11: return -EACCES; (L27)' "$D/out"
t_grep '^   └─ generic_permission(mask=0x6) -> -EACCES  L9-L28$' "$D/out"
# 18 lines ran: the first and last five, the middle counted
t_grep '… 8 more lines …' "$D/out"
t_grep 'fs/namei.c:4 \[acl_permission_check inlined\]  if (mask & ~mode) return -EACCES;  L10' "$D/out"
t_grep 'fs/namei.c:11  return -EACCES;  L27' "$D/out"
t_end

t_begin text_view_call_sites_and_inlined_levels
text idx '' $SRCLOG
golden text_srcmap_case17.txt
plain_text "$D/out"
t_grep '└─ lookup_open \[inlined\] at fs/namei.c:3756' "$D/out"
t_grep 'd_alloc_parallel(.*L5-L8  at fs/namei.c:3580' "$D/out"
t_end

t_begin text_view_quiet_is_the_summary
OPENTRAIL_CACHE="$D/empty" $OT check --no-download -q --case case17_missing_file $SEED1 >"$D/q" 2>&1
plain_text "$D/q"
t_grep '^INCOMPLETE' "$D/q"
t_grep '^Where each error was decided' "$D/q"
t_grep '^Claims that did not pass' "$D/q"
t_grep '^Calls by function' "$D/q"
t_grep '__d_alloc .*ok ×1' "$D/q"
grep -q 'Call tree\|├─' "$D/q" && t_fail "-q drew the call tree"
grep -q '^  ✓' "$D/q" && t_fail "-q listed claims that passed"
t_end

t_begin text_view_large_log_prints_shapes
bench/gen_log.sh 12500 >"$D/big.log"
for whole in 0 1; do
	OPENTRAIL_WHOLE_TRACE=$whole $OT check --format text "$D/big.log" >"$D/big.txt" 2>"$D/err" ||
		t_fail "check exited $? ($(head -c 200 "$D/err"))"
	plain_text "$D/big.txt"
	t_grep '^Call shapes' "$D/big.txt"
	t_grep '^  833 × do_sys_openat2 → > 0 {' "$D/big.txt"
	t_grep '^Errors by function' "$D/big.txt"
	[ "$(wc -l <"$D/big.txt")" -lt 60 ] || t_fail "$(wc -l <"$D/big.txt") lines for 5,838 calls"
	grep -q '├─' "$D/big.txt" && t_fail "a call tree of 5,838 calls"
done
t_end

t_begin text_view_colour_only_on_a_terminal_or_asked
text empty '' --case case17_missing_file $SEED1
grep -q "$ESC" "$D/out" && t_fail "colour on a pipe"
OPENTRAIL_CACHE="$D/empty" $OT check --no-download --format text --color=always --case case17_missing_file $SEED1 >"$D/c" 2>/dev/null
grep -q "$ESC\[1;31mERR_PTR(-ENOENT)$ESC\[0m" "$D/c" || t_fail "--color=always: no highlighted error"
grep -q "^├─ ${ESC}\[1mop#1$ESC\[0m do_filp_open(.*) -> $ESC\[1;31mERR_PTR(-ENOENT)$ESC\[0m " "$D/c" ||
	t_fail "--color=always: the tree's error return not highlighted"
grep -q '\\x1b' "$D/c" && t_fail "--color=always: a colour sequence shown escaped"
NO_COLOR=1 OPENTRAIL_CACHE="$D/empty" $OT check --no-download --format text --color=never $SEED1 >"$D/c" 2>/dev/null
grep -q "$ESC" "$D/c" && t_fail "--color=never coloured"
if command -v script >/dev/null 2>&1; then
	# a pseudo-terminal: the text view by default, coloured unless NO_COLOR says no
	NO_COLOR= TERM=xterm OPENTRAIL_TERMINAL= OPENTRAIL_CACHE="$D/empty" \
		script -qec "$OT check --no-download $SEED1" /dev/null >"$D/tty" 2>&1
	t_grep 'PASS' "$D/tty"
	t_grep '└─' "$D/tty"
	grep -q "$ESC\[" "$D/tty" || t_fail "no colour on a terminal"
	grep -q '^# opentrail report' "$D/tty" && t_fail "Markdown on a terminal"
	NO_COLOR=1 TERM=xterm OPENTRAIL_TERMINAL= OPENTRAIL_CACHE="$D/empty" \
		script -qec "$OT check --no-download $SEED1" /dev/null >"$D/tty" 2>&1
	t_grep '└─' "$D/tty"
	grep -q "$ESC" "$D/tty" && t_fail "colour on a terminal with NO_COLOR=1"
else
	echo "  (no script(1): the pseudo-terminal checks are left out)" >&2
fi
t_end

t_begin text_view_pipes_still_get_markdown
OPENTRAIL_TERMINAL= $OT check --case case17_missing_file $SEED1 >"$D/md" 2>/dev/null
t_grep '^# opentrail report: case17_missing_file' "$D/md"
t_grep '^<pre>' "$D/md"
t_expect_status 2 $OT check --format text,md $SEED1
t_grep 'needs --out DIR' $T_TMP/t_err
t_expect_status 2 $OT check --color=sometimes $SEED1
t_grep 'want auto, always or never' $T_TMP/t_err
t_expect_status 2 $OT trace --format html -- true
t_grep "unknown format .html. (want text, md, json, perfetto" $T_TMP/t_err
t_expect_status 2 $OT trace --format text,md -- true
t_grep "several formats needs --out DIR" $T_TMP/t_err
# --out with text: the files as before, the text view on stdout
t_expect_status 1 $OT check --format md,json,text --out "$D/o" --case case17_missing_file $SEED1
[ -s "$D/o/seed001_case17.md" ] && [ -s "$D/o/seed001_case17.json" ] || t_fail "no files in --out"
t_grep '^INCOMPLETE  case17_missing_file' $T_TMP/t_out
t_grep 'seed001_case17.log: incomplete' $T_TMP/t_out
t_end

# A function renamed on this kernel (run.fact roles=) is drawn under its own name in
# the trees, the legend naming the role the claims use: arm64 6.12 has no
# __x64_sys_openat2, and 6.12 has do_filp_open. Without roles=, the role's name.
t_begin tree_names_functions_as_the_kernel_does
ARM=tests/fixtures/arch/arm64-6.12/bpf/errno_e2big_open_how.log
text empty 200 --case errno_e2big_open_how "$ARM"
t_grep '__arm64_sys_openat2(dfd=AT_FDCWD' "$D/out"
t_grep "__arm64_sys_openat2 is the claims' __x64_sys_openat2" "$D/out"
if grep -q '__x64_sys_openat2(' "$D/out"; then t_fail "the text view draws a role's name on arm64"; fi
OPENTRAIL_CACHE="$D/empty" $OT check --no-download --format md --case errno_e2big_open_how "$ARM" >"$D/md" 2>/dev/null
t_grep '__arm64_sys_openat2(dfd=AT_FDCWD' "$D/md"
t_grep "\`__arm64_sys_openat2\` is the claims' \`__x64_sys_openat2\`" "$D/md"
text empty 200 --case case17_missing_file $SEED1
if grep -q "is the claims'" "$D/out"; then t_fail "a legend of renamed functions without roles="; fi
t_end
