#!/bin/sh
# The site's errno atlas (atlas.html): one row per case that provokes an errno, each
# kernel's origin of it, moved origins marked, kernels that cannot provoke it named.
# Input: real lab logs (tests/fixtures/atlas: Debian 6.1 and 7.2, both backends, see
# its README) re-analysed with `opentrail check` against an excerpt of each kernel's
# source, plus one copy made up here: a kernel whose trigger says it cannot provoke
# EAGAIN (run.fact unsupported=). Costs a few seconds.
. tests/lib.sh
D=$T_TMP/atlas-test; rm -rf "$D"; mkdir -p "$D"
FX=tests/fixtures/atlas

chromium_run() { # chromium_run ARGS...: headless, no sandbox (root), bounded in time
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--allow-file-access-from-files "$@"
}

# A cache holding only the source excerpts (the lines the logs' line probes name).
for src in "$FX"/source/*; do
	k=$(basename "$src")
	mkdir -p "$D/cache/debuginfo/$k"
	cp -r "$src" "$D/cache/debuginfo/$k/source"
	echo fixture >"$D/cache/debuginfo/$k/dbg-version"
	echo fixture >"$D/cache/debuginfo/$k/source/VERSION"
done
for dir in "$FX"/6.1/bpf "$FX"/6.1/kmod "$FX"/7.2/bpf "$FX"/7.2/kmod; do
	out="$D/in/${dir#"$FX"/}"
	mkdir -p "$out"
	for log in "$dir"/*.log; do
		c=$(basename "$log" .log)
		cp "$log" "$out/"
		OPENTRAIL_CACHE="$D/cache" $OT check --no-download --case "$c" --format md,json \
			--out "$out" "$out/$c.log" >/dev/null 2>&1
	done
done
mkdir -p "$D/in/old/kmod"
sed -e 's/kernel="6.1[^"]*"/kernel="5.4-unsupported-test"/' \
	-e '1a [opentrail] run.fact unsupported="RESOLVE_CACHED: this kernel refuses the flag (EINVAL); it came in Linux 5.12"' \
	"$FX/6.1/kmod/errno_eagain_resolve_cached.log" >"$D/in/old/kmod/errno_eagain_resolve_cached.log"
OPENTRAIL_CACHE="$D/cache" $OT check --no-download --case errno_eagain_resolve_cached \
	--format json --out "$D/in/old/kmod" "$D/in/old/kmod/errno_eagain_resolve_cached.log" \
	>/dev/null 2>&1

t_begin atlas_page_is_built_and_linked
t_expect_status 0 $OT site --out "$D/site" "$D/in"
A="$D/site/atlas.html"
[ -s "$A" ] || t_fail "no atlas.html"
t_grep '<a href="atlas.html">' "$D/site/index.html"
leftover=$(find "$D/site" -maxdepth 1 -name 'atlas.html?*' | head -1)
[ -z "$leftover" ] || t_fail "a temp file was left behind: $leftover"
t_end

# One line per table row, to look at a row's cells together.
tr -d '\n' <"$A" | sed 's|</tr>|</tr>\n|g' >"$D/rows"
row() { grep "<tr id=\"$1\">" "$D/rows" >"$D/row" || t_fail "no row for $1"; }
K61=6.1.0-57-cloud-amd64
K72='7.2.13+deb14-cloud-amd64'

t_begin atlas_rows_are_the_cases_that_fail_with_an_errno
# errno_* by name; perm_rdwr_denied and case17_missing_file because their program saw
# the errno their failing operation's origin names
[ "$(grep -c '<tr id=' "$D/rows")" = 5 ] || t_fail "want 5 rows: $(grep -o '<tr id="[^"]*"' "$D/rows")"
for c in errno_eagain_resolve_cached errno_efault_bad_path errno_emfile_rlimit \
	perm_rdwr_denied case17_missing_file; do
	grep -q "<tr id=\"$c\"><th scope=\"row\">E[A-Z]*</th>" "$D/rows" || t_fail "no row for $c"
done
# rows by errno: EACCES, EAGAIN, EFAULT, EMFILE, ENOENT
[ "$(grep '<tr id=' "$D/rows" | grep -o '<th scope="row">E[A-Z]*</th>' | tr -d '\n')" = \
	'<th scope="row">EACCES</th><th scope="row">EAGAIN</th><th scope="row">EFAULT</th><th scope="row">EMFILE</th><th scope="row">ENOENT</th>' ] ||
	t_fail "rows not by errno"
t_end

t_begin atlas_cell_names_function_file_line_and_text
row perm_rdwr_denied
t_grep "<code>generic_permission</code><br><code>fs/namei.c:420</code>: <code>return -EACCES;</code>" "$D/row"
t_grep "<code>generic_permission</code><br><code>fs/namei.c:542</code>: <code>return -EACCES;</code>" "$D/row"
t_grep "<a href=\"runs/perm_rdwr_denied--$K61--bpf.html\">bpf: <span class=\"v v-pass\">pass</span></a> · <a href=\"runs/perm_rdwr_denied--$K61--kmod.html\">kmod: " "$D/row"
grep -q 'class="moved"' "$D/row" && t_fail "EACCES moved though only its line number changed"
t_grep 'the same place on every kernel that provoked it' "$D/row"
row errno_emfile_rlimit
t_grep '<code>alloc_fd</code><br><code>fs/file.c:[0-9]*</code>: <code>error = -EMFILE;</code>' "$D/row"
# both backends on both real kernels; the made-up kernel ran only the EAGAIN case
[ "$(grep -o '">kmod: <span' "$D/row" | wc -l)" = 2 ] || t_fail "want a kmod verdict per kernel"
[ "$(grep -o '<td>not run</td>' "$D/row" | wc -l)" = 1 ] || t_fail "want one kernel not run"
t_end

t_begin atlas_marks_a_moved_origin
row errno_efault_bad_path
t_grep "<td class=\"moved\"><div class=\"origin\"><code>getname_flags</code> <span class=\"note\">(function only: no line probes)</span></div><div class=\"moved-note\"><strong>moved</strong> since $K61: was <code>getname</code></div>" "$D/row"
t_grep "<code>getname</code> ($K61) → <code>getname_flags</code> ($K72)" "$D/row"
row case17_missing_file
t_grep '<td class="moved">' "$D/row"
t_grep 'the line there was <code>' "$D/row"
t_grep "step_into</code> (inlined in <code>open_last_lookups</code>, <code>path_openat</code>)" "$D/row"
t_end

t_begin atlas_says_what_a_kernel_cannot_provoke
row errno_eagain_resolve_cached
t_grep '<strong>cannot be provoked on this kernel</strong>: RESOLVE_CACHED: this kernel refuses the flag (EINVAL); it came in Linux 5.12 (its claims are skipped)' "$D/row"
t_grep '<section id="unprovokable">' "$A"
t_grep '<li><code>errno_eagain_resolve_cached</code> (EAGAIN) on 5.4-unsupported-test, kmod: RESOLVE_CACHED' "$A"
t_end

# Every error of the man pages (opentrail list --errors) has its row: its cases (linked
# to their row when these reports have one), what a case needs, or why none can be.
t_begin atlas_lists_every_man_page_error
sed -n '/<section id="man-errors">/,/<\/section>/p' "$A" | tr -d '\n' | sed 's|</tr>|</tr>\n|g' >"$D/man"
want=$($OT list --errors | grep -c '^E')
have=$(grep -c '<tr><th scope="row">E[A-Z0-9]*</th>' "$D/man")
[ "$want" -ge 30 ] || t_fail "opentrail list --errors names only $want errors"
[ "$have" = "$want" ] || t_fail "the atlas has $have man-page errors, opentrail list --errors $want"
grep '<th scope="row">EACCES</th><td>open' "$D/man" | grep -q '<a href="#perm_rdwr_denied"><code>perm_rdwr_denied</code></a>' ||
	t_fail "EACCES does not link to perm_rdwr_denied's row"
grep '<th scope="row">ENOMEM</th>' "$D/man" | grep -q '<strong>cannot be provoked</strong>: only a failed allocation returns it' ||
	t_fail "no reason why ENOMEM (kernel memory) cannot be provoked"
grep '<th scope="row">ENOBUFS</th><td>socket' "$D/man" | grep -q 'CONFIG_FAULT_INJECTION' ||
	t_fail "no reason why ENOBUFS cannot be provoked"
# each row says one of the three
n=$(grep -c -E 'cannot be provoked</strong>: [a-z]|no case yet</strong>|<code>[a-z0-9_]*</code>' "$D/man")
[ "$n" = "$want" ] || t_fail "$((want - n)) man-page errors say neither a case, a need nor a reason"
t_end

t_begin atlas_no_network_no_script_escaped
grep -q -E '(src|href)="(https?:)?//' "$A" && t_fail "the atlas loads something from the network"
grep -q '<script' "$A" && t_fail "the atlas needs a script"
# source text goes through the escaper: no raw '->' or '&&' from kernel source
grep -q -- '->' "$D/rows" && t_fail "unescaped '>' in the table"
t_end

# In Chromium: the atlas and the index load without a console message, and every
# link of the atlas leads to a file of the site.
(cd "$D/site" && find . -type f -name '*.html' | sed 's|^\./||' | sort) >"$D/files"
{
	echo '<!doctype html><html><head><title>atlas check</title></head><body><pre id="out"></pre>'
	echo '<iframe data-page="atlas.html" src="site/atlas.html"></iframe>'
	echo '<iframe data-page="index.html" src="site/index.html"></iframe>'
	echo '<script>var FILES = {};'
	while read -r p; do echo "FILES['$p'] = 1;"; done <"$D/files"
	cat <<'JS'
window.onload = function () {
  var out = [], links = 0, bad = 0;
  var base = location.href.replace(/[^/]*$/, '') + 'site/';
  document.querySelectorAll('iframe').forEach(function (fr) {
    var page = fr.getAttribute('data-page'), d = null;
    try { d = fr.contentDocument; } catch (e) {}
    if (!d || !d.title) { out.push('FAIL load ' + page); return; }
    out.push('PASS load ' + page + ' rows ' + d.querySelectorAll('#atlas tbody tr').length +
             ' moved ' + d.querySelectorAll('td.moved').length);
    d.querySelectorAll('a[href]').forEach(function (a) {
      var u = new URL(a.getAttribute('href'), fr.src);
      var rel = decodeURIComponent(u.pathname.substr(new URL(base).pathname.length));
      links++;
      if (u.protocol !== 'file:' || u.href.indexOf(base) !== 0 || !FILES[rel]) {
        bad++; out.push('FAIL link ' + page + ' -> ' + a.getAttribute('href'));
      }
    });
  });
  out.push('LINKS ' + links + ' BAD ' + bad);
  document.getElementById('out').textContent = out.join('\n');
};
</script></body></html>
JS
} >"$D/check.html"
chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$(cd "$D" && pwd)/check.html" \
	>"$D/dom.txt" 2>"$D/chromium.err"
sed -n '/<pre id="out">/,/<\/pre>/p' "$D/dom.txt" | sed -e 's/.*<pre id="out">//' -e 's/<\/pre>.*//' >"$D/results"

t_begin atlas_loads_in_chromium_without_console_messages
t_grep '^PASS load atlas.html rows 5 moved 2$' "$D/results"
t_grep '^PASS load index.html' "$D/results"
if grep -q 'CONSOLE' "$D/chromium.err"; then
	t_fail "console messages: $(grep CONSOLE "$D/chromium.err" | head -3)"
fi
summary=$(grep '^LINKS' "$D/results")
case "$summary" in
"LINKS "*" BAD 0") ;;
*) t_fail "links: ${summary:-no result} $(grep '^FAIL link' "$D/results" | head -3)" ;;
esac
t_end
