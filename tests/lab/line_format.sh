#!/bin/sh
# One line format whichever backend wrote it: in one boot per lab kernel, a shell
# opens files whose names hold UTF-8, control bytes, DEL, quotes, a backslash, a
# newline, bytes that are not UTF-8, and names that end (right before their NUL)
# in a backslash or a cut UTF-8 sequence, and one of NAME_MAX (255) bytes, traced
# once by the BPF backend and once by the kernel module. On the host: both logs
# write every name in the same bytes, the ones of docs/line-format.md's escaping
# rule (the long one whole where it is a name, its path cut at 255 bytes by both),
# and the log parser reads each name back (the report's JSON holds it, bytes that
# are not text kept as \xHH).
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
lab_sample line_format "5.10 newest"

# The guest: the files, then the same opens under each backend (the module
# follows one process: --top-only for both).
cat >"$T_TMP/line_format_guest" <<'EOF'
#!/bin/sh
mkdir -p /work/lf || exit 1
for fmt in 'LF1_\303\251\346\227\245\346\234\254\360\237\230\200' 'LF2_c\tt\001x\177y' \
	'LF3_q"u'"'"'o\\z' 'LF4_bad\377\300x' 'LF5_n\nl' 'LF6_sp ace=eq' 'LF7_cut\303' \
	'LF8_end\\' 'LF9_\342\202' 'LFa_\355\240\200'; do
	# shellcheck disable=SC2059 # the names are printf formats
	f=$(printf "$fmt") && echo x >"/work/lf/$f" || { echo "guest: cannot create $fmt"; exit 1; }
done
echo x >"/work/lf/LFb_$(printf '%0251d' 0 | tr 0 x)" || exit 1
echo 'for f in /work/lf/LF*; do read -r x <"$f"; done' >/work/lf_open
for b in bpf kmod; do
	opentrail trace --backend $b --top-only --out /out/$b -- sh /work/lf_open \
		>/out/$b.stdout 2>&1
	echo $? >/out/$b.status
done
EOF

# NAME|AS THE LOG WRITES IT|AS THE JSON REPORT HOLDS IT (the parser's reading)
cat >"$T_TMP/line_format_names" <<'EOF'
LF1_é日本😀|LF1_é日本😀
LF2_c\tt\x01x\x7fy|LF2_c\tt\\x01x\\x7fy
LF3_q\"u'o\\z|LF3_q\"u'o\\z
LF4_bad\xff\xc0x|LF4_bad\\xff\\xc0x
LF5_n\nl|LF5_n\nl
LF6_sp ace=eq|LF6_sp ace=eq
LF7_cut\xc3|LF7_cut\\xc3
LF8_end\\|LF8_end\\
LF9_\xe2\x82|LF9_\\xe2\\x82
LFa_\xed\xa0\x80|LFa_\\xed\\xa0\\x80
EOF

# name_fields LOG: every quoted value naming one of the files, with its record's
# function, kind and key (pids, times and pointers left out), once each.
name_fields()
{
	grep -a '^\(\[ *[0-9.]*\] \)\{0,1\}\[opentrail\] [a-z_0-9]*\.\(entry\|ret\) ' "$1" |
		awk '{
			for (i = 1; i <= NF; i++) if ($i ~ /\.(entry|ret)$/) { f = $i; break }
			s = $0
			while (match(s, / [a-z_0-9]+="([^"\\]|\\.)*"/)) {
				v = substr(s, RSTART + 1, RLENGTH - 1); s = substr(s, RSTART + RLENGTH)
				if (v ~ /LF[0-9a-b]_/) print f " " v
			}
		}' | LC_ALL=C sort -u
}

long=LFb_$(printf '%0251d' 0 | tr 0 x)

line_format_on()
{
	k=$1 out=$T_TMP/line-format-$1
	t_begin "line_format_$k"
	$OT lab --kernel "$k" --timeout 900 --add "$T_TMP/line_format_guest" --out "$out" -- \
		sh /opentrail/add/line_format_guest >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "lab exited $st: $(tail -n 3 "$out.stderr")"
	for b in bpf kmod; do
		log=$out/$b/trace.log
		if [ ! -s "$log" ]; then
			t_fail "$b: no log ($(cat "$out/$b.status" 2>/dev/null): $(tail -n 3 "$out/$b.stdout" 2>/dev/null))"
			continue
		fi
		while IFS='|' read -r logged json; do
			grep -aqF "name=\"/work/lf/$logged\"" "$log" ||
				t_fail "$b: no open of \"/work/lf/$logged\" written so"
			grep -aqF "\"/work/lf/$json\"" "$out/$b/trace.json" ||
				t_fail "$b: the report does not read back \"/work/lf/$json\""
		done <"$T_TMP/line_format_names"
		grep -aqF "=\"$long\"" "$log" || t_fail "$b: the 255-byte name is not whole in any field"
		name_fields "$log" >"$out/$b.names"
	done
	if [ -s "$out/bpf.names" ] && [ -s "$out/kmod.names" ] &&
		! cmp -s "$out/bpf.names" "$out/kmod.names"; then
		t_fail "the backends wrote the names differently: $(diff "$out/bpf.names" "$out/kmod.names" | head -n 6)"
	fi
	[ "$t_failed" = 1 ] || echo "  $k: $(wc -l <"$out/bpf.names") name fields, the same bytes from both backends"
	t_end
}

lab_each line_format_on
