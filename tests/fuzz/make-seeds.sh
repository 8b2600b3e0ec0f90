#!/bin/sh
# Regenerates the fuzzers' seed corpus (committed; run again only to change it):
# the fixtures as they are, plus shapes that stress the pipeline: deep nesting,
# one address shared by many events, many threads, huge fields, bytes that are
# not text, and other modules' facts. The pipeline harness reads its first byte
# as the case to check (0: none, N: the catalogue's N-th case).
#   tests/fuzz/make-seeds.sh
set -eu
cd "$(dirname "$0")"
P=corpus/parse; Q=corpus/pipeline
rm -f "$P"/* "$Q"/*
case_byte() { # index of case $1 in `opentrail list` (1-based), as one byte
	n=$(../../build/opentrail list | awk -v id="$1" '$1 == id { print NR; exit }')
	printf "\\$(printf %03o "${n:-0}")"
}
seed() { # NAME CASE: stdin -> both corpora
	cat >"$P/$1"
	{ case_byte "$2"; cat "$P/$1"; } >"$Q/$1"
}
for f in ../fixtures/*.log ../fixtures/*.txt; do
	b=$(basename "$f"); b=${b%.*}
	c=none
	case $b in *case7*) c=case7_symlink_fast ;; *case17* | *c17* | seed001_full) c=case17_missing_file ;; esac
	seed "fixture_$b" "$c" <"$f"
done
L='[opentrail]'
# deep nesting: 300 open calls, each inside the previous one
awk -v L="$L" 'BEGIN {
	for (i = 0; i < 300; i++) printf "%s path_openat.entry pid=7 tid=7 comm=\"d\" nd=%016x flags=0x41\n", L, 0xffff888000000000 + i * 64
	for (i = 299; i >= 0; i--) printf "%s path_openat.ret pid=7 tid=7 comm=\"d\" ret=fffffffffffffffe\n", L
}' | seed deep_nesting case17_missing_file
# one address shared by many events of different functions and fields
awk -v L="$L" 'BEGIN {
	for (i = 0; i < 200; i++) {
		printf "%s do_filp_open.entry pid=8 tid=8 comm=\"s\" dfd=4294967196 pathname=ffff888004a00000\n", L
		printf "%s __d_alloc.entry pid=8 tid=8 comm=\"s\" name_ptr=ffff888004a00000 len=3\n", L
		printf "%s __d_alloc.ret pid=8 tid=8 comm=\"s\" ret=ffff888004a00000 dname_ptr=ffff888004a00000 inode=0000000000000000\n", L
		printf "%s do_filp_open.ret pid=8 tid=8 comm=\"s\" ret=ffff888004a00000\n", L
	}
}' | seed shared_addresses case17_missing_file
# many threads, interleaved
awk -v L="$L" 'BEGIN {
	for (i = 0; i < 256; i++) printf "%s do_filp_open.entry pid=9 tid=%d comm=\"t\" dfd=4294967196 pathname=ffff8880%08x\n", L, 1000 + i, i
	for (i = 255; i >= 0; i--) printf "%s do_filp_open.ret pid=9 tid=%d comm=\"t\" ret=fffffffffffffffe\n", L, 1000 + i
	printf "%s run.fact pid=9 tid=9 comm=\"opentrail\" backend=\"bpf\" lost=0 records=512\n", L
}' | seed many_threads none
# huge fields: a 60000-byte name, a long word list, a long bare value
awk -v L="$L" 'BEGIN {
	s = ""; for (i = 0; i < 6000; i++) s = s "abcdefghij"
	printf "%s getname.ret pid=5 tid=5 comm=\"h\" ret=ffff888004359000 name=\"%s\"\n", L, s
	printf "[PTRCHK] "; for (i = 0; i < 2000; i++) printf "w%d ", i; printf "ok=1\n"
	printf "%s do_filp_open.entry pid=5 tid=5 comm=\"h\" dfd=%s\n", L, s
}' | seed huge_fields none
# bytes that are not text: NULs, control characters, invalid UTF-8, raw and escaped
printf '%s do_filp_open.entry pid=1 tid=1 comm="a\377" name="x\\x00y\\xfe" dfd=3\000junk\n%s do_filp_open.ret pid=1 tid=1 comm="\001" ret=0\n' "$L" "$L" |
	seed not_text none
# other modules' facts only, and a run.fact with a run id
printf '[PTRCHK] dentry check ptr=ffff888004a1b000 ok=1\n[  12.5] [DLOOKUP_REPLAY] d_lookup parent=ffff888004a1b000 ret=0000000000000000\n%s run.fact pid=2 tid=2 comm="opentrail" run_id="1-2-3" backend="kmod" lost=0\n' "$L" |
	seed facts_only none
