#!/bin/sh
# opentrail site: a static site built from reports, checked in headless Chromium.
# Input: real lab logs (Debian 6.12 cloud kernel, both backends) re-analysed with
# `opentrail check`, plus one copy whose kernel renames do_filp_open (made up here,
# to see renames on the comparison page). Costs about 5 s.
. tests/lib.sh
D=$T_TMP/site-test; rm -rf "$D"; mkdir -p "$D"
FX=tests/fixtures/lab-6.12
SHOTS=build/site-screenshots

chromium_run() { # chromium_run ARGS...: headless, no sandbox (root), bounded in time
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--allow-file-access-from-files "$@"
}

# Reports as run-all lays them out: <kernel>/{bpf,kmod}/CASE.{md,json,log} and the cross-checks.
for b in bpf kmod; do
	mkdir -p "$D/in/6.12/$b"
	for log in "$FX/$b"/*.log; do
		c=$(basename "$log" .log)
		cp "$log" "$D/in/6.12/$b/"
		$OT check --case "$c" --format md,json --out "$D/in/6.12/$b" "$log" >/dev/null 2>&1
	done
done
for log in "$FX"/bpf/*.log; do
	c=$(basename "$log" .log)
	$OT compare --case "$c" "$log" "$FX/kmod/$c.log" >"$D/in/6.12/compare-$c.txt" 2>&1
done
mkdir -p "$D/in/renamed/bpf"
sed -e 's/do_filp_open/do_file_open/g' -e 's/kernel="6.12[^"]*"/kernel="7.0-renamed-test"/' \
	-e '1s/run.fact /run.fact roles="do_filp_open=do_file_open" /' \
	"$FX/bpf/case17_missing_file.log" >"$D/in/renamed/bpf/case17_missing_file.log"
$OT check --case case17_missing_file --format json --out "$D/in/renamed/bpf" \
	"$D/in/renamed/bpf/case17_missing_file.log" >/dev/null 2>&1

t_begin site_builds_from_reports
t_expect_status 0 $OT site --out "$D/site" "$D/in"
t_grep "$D/site/index.html" "$T_TMP/t_out"
npages=$(find "$D/site" -name '*.html' | wc -l)
# 4 cases x 2 backends + 1 renamed run, 4 comparison pages, the index, the atlas
[ "$npages" = 15 ] || t_fail "expected 15 pages, got $npages"
leftover=$(find "$D/site" -name '*.XXXXXX' -o -name '*.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]' -o -name '*.tmp.svg' | head -1)
[ -z "$leftover" ] || t_fail "a temp file was left behind: $leftover"
t_end

t_begin site_rebuild_drops_pages_of_reports_gone
cp -r "$D/in" "$D/in2" && rm -r "$D/in2/renamed"
cp -r "$D/site" "$D/site2"
echo keep >"$D/site2/runs/notes.txt"
t_expect_status 0 $OT site --out "$D/site2" "$D/in2"
[ ! -e "$D/site2/runs/case17_missing_file--7.0-renamed-test--bpf.html" ] || t_fail "a stale page was kept"
[ ! -e "$D/site2/runs/case17_missing_file--7.0-renamed-test--bpf.svg" ] || t_fail "a stale graph was kept"
[ -e "$D/site2/runs/case17_missing_file--6.12.117_deb12-cloud-amd64--bpf.html" ] || t_fail "a current page is gone"
[ -e "$D/site2/runs/notes.txt" ] || t_fail "a file that is not the site's was removed"
grep -q '7.0-renamed-test' "$D/site2/index.html" && t_fail "the index still names the dropped kernel"
t_end

t_begin site_bad_input_is_one_line_exit_2
t_expect_status 2 $OT site "$D/nonexistent"
[ "$(wc -l <"$T_TMP/t_err")" = 1 ] || t_fail "want one line: $(cat "$T_TMP/t_err")"
t_grep 'not a directory' "$T_TMP/t_err"
mkdir -p "$D/empty"
t_expect_status 2 $OT site --out "$D/empty-site" "$D/empty"
t_grep 'no case reports' "$T_TMP/t_err"
[ ! -e "$D/empty-site" ] || t_fail "bad input wrote something"
# a report cut short (a disk that filled up): named, nothing written
mkdir -p "$D/cut/6.12/bpf"
head -c 200 "$D/in/6.12/bpf/case17_missing_file.json" >"$D/cut/6.12/bpf/case17_missing_file.json"
t_expect_status 2 $OT site --out "$D/cut-site" "$D/cut"
t_grep 'case17_missing_file.json is not JSON' "$T_TMP/t_err"
[ ! -e "$D/cut-site" ] || t_fail "bad input wrote something"
t_end

# A case whose backends' first runs differed is run again; its first runs stay in
# KERNEL/first/ (scripts/guest-both-backends.sh) and are not second reports.
t_begin site_skips_first_runs_of_a_rerun
cp -r "$D/in/6.12" "$D/rerun" && mkdir -p "$D/rerun/first/bpf"
cp "$D/in/6.12/bpf/case17_missing_file".* "$D/rerun/first/bpf/"
t_expect_status 0 $OT site --out "$D/rerun-site" "$D/rerun"
[ "$(find "$D/rerun-site/runs" -name 'case17_missing_file--*.html' | wc -l)" = 2 ] ||
	t_fail "want one page per backend of case17: $(ls "$D/rerun-site/runs")"
t_end

t_begin site_no_network_no_script
if grep -l -E '(src|href)="(https?:)?//' -r "$D/site" --include='*.html' >/dev/null; then
	t_fail "a page loads something from the network"
fi
if grep -l '<script' -r "$D/site" --include='*.html' >/dev/null; then
	t_fail "a page needs a script"
fi
grep -q '@media print' "$D/site/index.html" || t_fail "no print stylesheet"
t_end

t_begin site_pages_say_what_happened
run="$D/site/runs/case17_missing_file--6.12.117_deb12-cloud-amd64--bpf.html"
t_grep 'the same dentry the first open.s <code>__d_alloc</code> created' "$run"
t_grep '<code>same_ptr __d_alloc.ret:ret@op\[__d_alloc\]#1 __d_lookup_rcu.ret:ret@op\[__d_alloc\]#1+1</code>' "$run"
t_grep '<details class="root"><summary><code>do_sys_openat2(' "$run"
t_grep '<details><summary><strong>op#1</strong> <code>do_filp_open(' "$run"
t_grep '<span id="L52">' "$run"
cmp="$D/site/compare/case17_missing_file.html"
t_grep 'ran ×2 as do_file_open' "$cmp"
grep -q '<code>do_file_open</code></th>' "$cmp" && t_fail "the renamed function has a row of its own"
t_grep 'not probed: lookup_open:\|not probed: not in /proc/kallsyms' "$cmp"
t_grep 'Claim verdicts: 13 the same under both backends, 0 different' "$cmp"
t_grep '^AGREE' "$cmp"
t_grep '7.0-renamed-test' "$D/site/index.html"
t_grep '4 pass, 0 fail, 0 incomplete' "$D/site/index.html"
t_end

# The pointer graph of case17: the dentry the first open allocated is a node, reached
# by an edge from __d_alloc (its creation) and one from __d_lookup_rcu (the second
# open's lookup hit).
t_begin site_case17_graph_links_alloc_and_lookup
svg="$D/site/runs/case17_missing_file--6.12.117_deb12-cloud-amd64--bpf.svg"
dentry=$(grep -m1 '__d_alloc.ret' "$FX/bpf/case17_missing_file.log" | sed 's/.* ret=\([0-9a-f]*\).*/\1/')
[ -n "$dentry" ] || t_fail "no __d_alloc return in the fixture"
# one line per SVG group: its title and its text
awk 'BEGIN{RS="</g>"} {gsub(/\n/," "); print}' "$svg" >"$D/groups"
grep -q "class=\"node\"> *<title>o_$dentry</title>" "$D/groups" || t_fail "no node o_$dentry"
grep "class=\"edge\"" "$D/groups" | grep "&gt;o_$dentry</title>" >"$D/into"
grep -q '>__d_alloc L[0-9]*<' "$D/into" || t_fail "no __d_alloc edge into the dentry"
grep -q '>__d_lookup_rcu L[0-9]*<' "$D/into" || t_fail "no __d_lookup_rcu edge into the dentry"
t_end

# In Chromium: every page loads without a console message, every local link and
# anchor resolves, and a call of the tree opens to show its callees.
(cd "$D/site" && find . -type f | sed 's|^\./||' | sort) >"$D/files"
{
	echo '<!doctype html><html><head><title>site check</title></head><body><pre id="out"></pre>'
	grep '\.html$' "$D/files" | while read -r p; do echo "<iframe data-page=\"$p\" src=\"site/$p\"></iframe>"; done
	echo '<script>var FILES = {};'
	while read -r p; do echo "FILES['$p'] = 1;"; done <"$D/files"
	cat <<'JS'
window.onload = function () {
  var out = [], ids = {}, links = [], trees = 0;
  var base = location.href.replace(/[^/]*$/, '') + 'site/';
  document.querySelectorAll('iframe').forEach(function (fr) {
    var page = fr.getAttribute('data-page'), d = null;
    try { d = fr.contentDocument; } catch (e) {}
    if (!d || !d.title) { out.push('FAIL load ' + page); return; }
    out.push('PASS load ' + page);
    ids[page] = {};
    d.querySelectorAll('[id]').forEach(function (e) { ids[page][e.id] = 1; });
    d.querySelectorAll('a[href]').forEach(function (a) {
      var u = new URL(a.getAttribute('href'), fr.src);
      if (u.protocol !== 'file:' || u.href.indexOf(base) !== 0) { out.push('FAIL link ' + page + ' -> ' + a.href); return; }
      links.push([page, decodeURIComponent(u.pathname.substr(new URL(base).pathname.length)), u.hash.substr(1)]);
    });
    var op = d.querySelector('details.root');
    if (op) {
      var kid = op.querySelector('details, div.leaf');
      var shown = function (e) { return e.checkVisibility() && e.offsetHeight > 0 ? 1 : 0; };
      var before = shown(kid);
      op.open = true;
      var after = shown(kid);
      trees++;
      out.push((before === 0 && after > 0 ? 'PASS' : 'FAIL') + ' tree ' + page + ' ' + before + '->' + after);
    }
  });
  var bad = 0;
  links.forEach(function (l) {
    var ok = FILES[l[1]] && (!l[2] || !/\.html$/.test(l[1]) || (ids[l[1]] && ids[l[1]][l[2]]));
    if (!ok) { bad++; out.push('FAIL link ' + l[0] + ' -> ' + l[1] + '#' + l[2]); }
  });
  out.push('LINKS ' + links.length + ' BAD ' + bad + ' TREES ' + trees);
  document.getElementById('out').textContent = out.join('\n');
};
</script></body></html>
JS
} >"$D/check.html"
chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$(cd "$D" && pwd)/check.html" \
	>"$D/dom.txt" 2>"$D/chromium.err"
sed -n '/<pre id="out">/,/<\/pre>/p' "$D/dom.txt" | sed -e 's/.*<pre id="out">//' -e 's/<\/pre>.*//' >"$D/results"

t_begin site_every_page_loads_in_chromium
loaded=$(grep -c '^PASS load' "$D/results")
[ "$loaded" = 15 ] || t_fail "$loaded of 15 pages loaded ($(grep '^FAIL load' "$D/results" | head -3))"
if grep -q 'CONSOLE' "$D/chromium.err"; then
	t_fail "console messages: $(grep CONSOLE "$D/chromium.err" | head -3)"
fi
t_end

t_begin site_every_local_link_and_anchor_resolves
summary=$(grep '^LINKS' "$D/results")
case "$summary" in
"LINKS "*" BAD 0 "*) ;;
*) t_fail "links: ${summary:-no result} $(grep '^FAIL link' "$D/results" | head -3)" ;;
esac
nlinks=$(echo "$summary" | cut -d' ' -f2)
[ "${nlinks:-0}" -gt 500 ] || t_fail "only ${nlinks:-0} links checked"
t_end

t_begin site_call_tree_expands
[ "$(grep -c '^PASS tree' "$D/results")" = 9 ] || t_fail "tree: $(grep tree "$D/results" | head -3)"
grep -q '^FAIL tree' "$D/results" && t_fail "$(grep '^FAIL tree' "$D/results" | head -3)"
t_end

t_begin site_screenshots
mkdir -p "$SHOTS"
chromium_run --window-size=1200,1600 --screenshot="$SHOTS/index.png" \
	"file://$(cd "$D/site" && pwd)/index.html" >/dev/null 2>&1
chromium_run --window-size=1200,1600 --screenshot="$SHOTS/case17_missing_file.png" \
	"file://$(cd "$D/site" && pwd)/runs/case17_missing_file--6.12.117_deb12-cloud-amd64--bpf.html" \
	>/dev/null 2>&1
for png in "$SHOTS/index.png" "$SHOTS/case17_missing_file.png"; do
	[ "$(head -c 4 "$png" 2>/dev/null | tail -c 3)" = PNG ] || t_fail "$png is not a PNG"
	[ "$(wc -c <"$png" 2>/dev/null || echo 0)" -gt 20000 ] || t_fail "$png is nearly empty"
done
t_end

# A large trace's run page opens with what its calls have in common: the report's
# "scale" (shapes, latency, errors by function) as tables, row for row.
t_begin site_run_page_at_scale
mkdir -p "$D/big/6.12/bpf"
sh bench/gen_log.sh 30000 >"$D/big/6.12/bpf/case17_missing_file.log" 2>/dev/null
$OT check --case case17_missing_file --format json --out "$D/big/6.12/bpf" \
	"$D/big/6.12/bpf/case17_missing_file.log" >/dev/null 2>&1
t_expect_status 0 $OT site --out "$D/big-site" "$D/big"
page=$(find "$D/big-site/runs" -name 'case17_missing_file--*.html' | head -1)
[ -n "$page" ] || t_fail "no run page"
grep -q 'too many to draw' "$page" || t_fail "the pointer graph of a large trace does not say why it is not drawn"
grep -q '<h2>At scale</h2>' "$page" || t_fail "no At scale section"
for what in shapes latency errors; do
	want=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['scale']['$what']))" \
		"$D/big/6.12/bpf/case17_missing_file.json")
	case $what in shapes) h='Call shapes' ;; latency) h='Latency' ;; errors) h='Errors by function' ;; esac
	have=$(sed -n "/<h3>$h<\/h3>/,/<\/table>/p" "$page" | grep -c '^<tr><td>')
	[ "$have" = "$want" ] || t_fail "$h: $have rows, the report has $want"
done
t_end
