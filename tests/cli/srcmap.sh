#!/bin/sh
# Source-level evidence: the index builder and resolver on a small program built
# here (gcc -O2 -g, inlined functions across files; its load address stands in for
# KASLR), the reports against golden files, and one real Debian kernel when its debug
# package is cached or can be fetched (see docs/source-index.md for what that costs).
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
IDX=build/opentrail-srcindex
PROG=tests/fixtures/srcmap/prog
LOG=tests/fixtures/srcmap/case17_callers.log
K612=6.12.117+deb12-cloud-amd64

# Line of MARK in FILE.
mark() { grep -n "MARK: $2" "$PROG/$1" | cut -d: -f1; }

t_begin srcindex_small_program_inlined_chain
(cd $PROG && gcc -O2 -g -o "$D/prog" main.c walk.c leaf.c) || t_fail "cannot build the test program"
read -r ra text _ <<EOF2
$("$D/prog")
EOF2
t_expect_status 0 $IDX --kernel test-prog --text-symbol __executable_start --func outer,traced --out "$D/ix" "$D/prog"
t_grep 'units' $T_TMP/t_err
t_expect_status 0 $OT where --index "$D/ix" --ktext "$text" --return "$ra"
want="inner (inlined) prog.h:$(mark prog.h 'inner calls traced') <- middle (inlined) walk.c:$(mark walk.c 'middle calls inner') <- outer walk.c:$(mark walk.c 'outer calls middle')"
t_grep "$ra: $want" $T_TMP/t_out
t_end

t_begin srcindex_agrees_with_addr2line
# binutils' own reading of the same DWARF, for the same call instruction.
a2l=$(addr2line -i -f -e "$D/prog" "$(printf %x $((0x$ra - 0x$text - 1)))" | paste -sd' ' | sed 's|[^ ]*/||g')
ours=$(sed -e 's/^[^:]*: //' -e 's/ (inlined)//g' -e 's/ <- / /g' -e 's/; resumes.*//' $T_TMP/t_out)
[ "$a2l" = "$ours" ] || t_fail "addr2line says '$a2l', opentrail where says '$ours'"
t_end

# Line probes' plan: every line-table row of a function, inlined ones in every place
# they were inlined; each point's file:line is what binutils reads for its address.
t_begin srcindex_line_plan_small_program
t_expect_status 0 $OT where --index "$D/ix" --lines middle
[ -s $T_TMP/t_out ] || t_fail "no line of middle planned"
awk '$4 !~ /(^|,)middle(,|$)/ { print "a point outside middle: " $0; exit 1 }' $T_TMP/t_out || t_fail "$(head -n 3 $T_TMP/t_out)"
grep -q ' prog.h:[0-9]* inner,middle,outer$' $T_TMP/t_out || t_fail "inner (inlined in middle) has no line of its own"
$OT where --index "$D/ix" --lines outer >"$D/outer.lines" 2>&1
grep -q ' walk.c:[0-9]* outer$' "$D/outer.lines" || t_fail "outer has no line of its own: $(cat "$D/outer.lines")"
[ "$(wc -l <"$D/outer.lines")" -gt "$(wc -l <$T_TMP/t_out)" ] || t_fail "outer (which holds middle) has no more lines than middle"
while read -r id addr at chain; do
	want=$(addr2line -e "$D/prog" "$(printf %x $((0x$addr)))" | sed -e 's|.*/||' -e 's/ .*//')
	[ "$want" = "$at" ] || { t_fail "point $id at $addr: opentrail says $at, addr2line $want"; break; }
done <$T_TMP/t_out
t_expect_status 2 $OT where --index "$D/ix" --lines no_such_function
t_grep 'no_such_function is not in the source index' $T_TMP/t_err
t_end

# Each --func's prototype, its types spelled as the BTF side finds them by name.
t_begin srcindex_prototypes
(cd $PROG && gcc -O2 -g -o "$D/protos" main.c walk.c leaf.c protos.c) || t_fail "cannot build the test program"
t_expect_status 0 $IDX --kernel test-prog --text-symbol __executable_start --func outer,protos,protos_va --out "$D/pix" "$D/protos"
awk '$1 == "n" { name[n++] = $2 } $1 == "p" { $1 = ""; $2 = name[$2] ":"; print substr($0, 2) }' "$D/pix" >"$D/protos.txt"
t_grep '^protos: base:long+int it=\*struct:item names=\*\*base:char mode=typedef:umode_t k=enum:kind n=base:long+unsigned+int cb=\*fn arr=\*base:int$' "$D/protos.txt"
t_grep '^protos_va: base:int n=base:int \.\.\.$' "$D/protos.txt"
t_grep '^outer: base:int x=base:int$' "$D/protos.txt"
[ "$(wc -l <"$D/protos.txt")" = 3 ] || t_fail "a prototype of a function not asked for: $(cat "$D/protos.txt")"
t_end

t_begin srcindex_bad_input
t_expect_status 2 $IDX --kernel k --func outer --out "$D/ix2" "$D/no-such-vmlinux"
t_grep 'cannot open' $T_TMP/t_err
t_expect_status 2 $IDX --kernel k --text-symbol __executable_start --func no_such_function --out "$D/ix2" "$D/prog"
t_grep 'none of the functions' $T_TMP/t_err
[ ! -e "$D/ix2" ] || t_fail "a failed build left an index behind"
t_expect_status 2 $OT where --index "$LOG" ffffffff8145d921
t_grep 'not an opentrail source index' $T_TMP/t_err
t_end

# A cache holding only a few ranges of the 6.12.117 index (tests/fixtures/srcmap/).
mkdir -p "$D/cache/debuginfo/$K612"
cp tests/fixtures/srcmap/srcindex-6.12-mini "$D/cache/debuginfo/$K612/srcindex"

t_begin srcmap_report_golden
for fmt in md json; do
	SOURCE_DATE_EPOCH=0 OPENTRAIL_CACHE="$D/cache" $OT check --no-download \
		--format $fmt $LOG >"$D/r.$fmt" 2>"$D/err"
	if [ "${OT_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$D/r.$fmt" tests/golden/srcmap_case17.$fmt; fi
	cmp -s "$D/r.$fmt" tests/golden/srcmap_case17.$fmt ||
		t_fail "the $fmt report differs from tests/golden/srcmap_case17.$fmt (OT_UPDATE_GOLDEN=1 sh $0 if intended)"
done
t_grep 'lookup_open</i> \[inlined\] at fs/namei.c:3756' "$D/r.md"
t_grep 'RESUME fs/namei.c:3580 lookup_open (inlined) called d_alloc_parallel' "$D/r.md"
t_grep '"resume_line": *3581' "$D/r.json"
t_end

t_begin srcmap_source_snippets_only_of_the_same_version
src="$D/cache/debuginfo/$K612/source"
mkdir -p "$src/fs"
seq 1 5000 | sed 's/^/namei line /' >"$src/fs/namei.c"
echo "6.12.117-1~deb12u1" >"$src/VERSION"
echo "6.12.117-1~deb12u1" >"$D/cache/debuginfo/$K612/dbg-version"
OPENTRAIL_CACHE="$D/cache" $OT check --no-download $LOG >"$D/s.md" 2>/dev/null
t_grep 'Source at the call sites' "$D/s.md"
t_grep '^&gt; 3580  namei line 3580$' "$D/s.md"
t_grep '^   3582  namei line 3582$' "$D/s.md"
echo "6.12.118-1" >"$src/VERSION"
OPENTRAIL_CACHE="$D/cache" $OT check --no-download $LOG >"$D/s.md" 2>/dev/null
grep -q 'namei line' "$D/s.md" && t_fail "quoted source of another version"
rm -rf "$src" "$D/cache/debuginfo/$K612/dbg-version"
t_end

t_begin srcmap_without_index_says_so_once
OPENTRAIL_CACHE="$D/empty" $OT check --no-download --format md --out "$D/out" $LOG $LOG >"$D/o" 2>"$D/e"
[ "$(grep -c 'no source lines for kernel' "$D/e")" = 1 ] || t_fail "want one note on stderr: $(cat "$D/e")"
t_grep 'None: no source index for kernel' "$D/out/case17_callers.md"
t_grep 'd_alloc_parallel' "$D/out/case17_callers.md"
t_end

t_begin srcmap_where_bad_input
t_expect_status 2 $OT where --index "$D/cache/debuginfo/$K612/srcindex" xyz
t_grep "'xyz' is not a hex address" $T_TMP/t_err
t_expect_status 2 $OT where ffffffff8145d921
t_grep 'exactly one of --index' $T_TMP/t_err
t_expect_status 2 $OT debuginfo --offline ../etc
t_grep 'not a kernel version' $T_TMP/t_err
OPENTRAIL_CACHE="$D/empty" t_expect_status 1 $OT debuginfo --offline 0.0.0-none-amd64
t_grep 'no debug info for 0.0.0-none-amd64' $T_TMP/t_err
t_end

# The real kernel: Debian's 6.12.117 cloud kernel, from the cache, else fetched once
# (318 MB download, ~20 s to extract and index here) unless OT_SKIP_DEBUGINFO=1.
t_begin srcmap_real_kernel_6_12
if [ -s "${OPENTRAIL_CACHE:-$HOME/.cache/opentrail}/debuginfo/$K612/srcindex" ] ||
	{ [ "${OT_SKIP_DEBUGINFO:-0}" != 1 ] &&
		apt-cache policy "linux-image-$K612-dbg" 2>/dev/null | grep -q 'Candidate: [0-9]' &&
		timeout 300 $OT debuginfo --no-source "$K612" >"$D/di.out" 2>"$D/di.err"; }; then
	t_expect_status 0 $OT where --kernel $K612 --return ffffffff8145d921
	t_grep 'ffffffff8145d921: lookup_open (inlined) fs/namei.c:3580 <- open_last_lookups (inlined) fs/namei.c:3756 <- path_openat fs/namei.c:3996; resumes at fs/namei.c:3581' $T_TMP/t_out
	t_expect_status 0 $OT where --kernel $K612 --ktext ffffffff9a000000 --return ffffffff9a46ba30
	t_grep 'd_alloc_parallel fs/dcache.c:2492' $T_TMP/t_out
	t_end
	t_begin srcmap_real_kernel_agrees_with_llvm_symbolizer
	# 100 addresses inside the index's ranges, resolved by LLVM from the vmlinux itself
	# (its outermost names are symbols: compiler clone suffixes dropped to compare).
	real=${OPENTRAIL_CACHE:-$HOME/.cache/opentrail}/debuginfo/$K612
	if [ -s "$real/vmlinux" ] && command -v llvm-symbolizer >/dev/null; then
		awk '$1 == "s" && NR % 80 == 0 { print $2 }' "$real/srcindex" | head -n 100 >"$D/addrs"
		$OT where --kernel $K612 $(cat "$D/addrs") >"$D/ours"
		sed 's/^/0x/' "$D/addrs" | llvm-symbolizer --inlining -e "$real/vmlinux" |
			awk -v RS= '{ out = ""; for (i = 1; i < NF; i += 2) {
				f = $i; sub(/\..*/, "", f); loc = $(i + 1)
				sub(/.*debian\/build\/build_[^\/]*\//, "", loc); sub(/:[0-9]+$/, "", loc)
				out = out (i > 1 ? " <- " : "") f (i + 2 < NF ? " (inlined)" : "") " " loc }
				print out }' >"$D/llvm"
		sed 's/^[^:]*: //' "$D/ours" | sed 's/\(^\| <- \)\([^ .]*\)\.[^ ]*/\1\2/g' >"$D/ours2"
		[ "$(wc -l <"$D/llvm")" -ge 50 ] || t_fail "too few addresses compared"
		cmp -s "$D/llvm" "$D/ours2" || t_fail "opentrail where and llvm-symbolizer differ: $(diff "$D/llvm" "$D/ours2" | head -4)"
	else
		echo "  (no cached vmlinux or no llvm-symbolizer: not compared)"
	fi
	t_end
	t_begin srcmap_real_kernel_adds_outside_callers
	# A caller in a file no probed function lives in: check adds its unit, from the
	# cached vmlinux, without downloading.
	real=${OPENTRAIL_CACHE:-$HOME/.cache/opentrail}/debuginfo/$K612
	if [ -s "$real/vmlinux" ]; then
		mkdir -p "$D/c2/debuginfo/$K612"
		ln -s "$real/vmlinux" "$D/c2/debuginfo/$K612/vmlinux"
		cp "$real/srcindex" "$real/dbg-version" "$D/c2/debuginfo/$K612/"
		sed 's/caller=ffffffff9a46ba30/caller=ffffffff9a6e0005/' $LOG >"$D/out.log"
		OPENTRAIL_CACHE="$D/c2" $OT check --no-download "$D/out.log" >"$D/o.md" 2>"$D/o.err"
		t_grep '5 of 5 calls with a caller address resolved' "$D/o.md"
		t_grep 'tg_conf_updated</i> \[not traced\]' "$D/o.md"
		t_grep "ffffffff9a6e0005@ffffffff9a000000" "$D/c2/debuginfo/$K612/addrs"
	else
		echo "  (no cached vmlinux: only the index was checked)"
	fi
	t_end
else
	echo "SKIP srcmap_real_kernel_6_12 (no cached $K612 index, and fetching its debug package is off or failed)"
fi
