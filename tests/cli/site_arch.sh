#!/bin/sh
# The site with two architectures: real lab logs of Debian's 6.12 on x86-64 and on
# arm64, both backends (tests/fixtures/arch, see its README), re-analysed with
# `opentrail check` against an excerpt of each kernel's source. The index's matrix
# has an architecture row above its kernels; a case's comparison page sets the two
# architectures side by side (renamed functions, functions inlined on one only, where
# the error was decided, the claims whose verdicts differ); the atlas counts no move
# between architectures. Costs a few seconds.
. tests/lib.sh
D=$T_TMP/site-arch-test; rm -rf "$D"; mkdir -p "$D"
FX=tests/fixtures/arch
AMD='6.12.118+deb13-cloud-amd64'
ARM='6.12.118+deb13-cloud-arm64'

# A cache holding only the source excerpts (the lines the logs' line probes name).
for src in "$FX"/source/*; do
	k=$(basename "$src")
	mkdir -p "$D/cache/debuginfo/$k"
	cp -r "$src" "$D/cache/debuginfo/$k/source"
	echo fixture >"$D/cache/debuginfo/$k/dbg-version"
	echo fixture >"$D/cache/debuginfo/$k/source/VERSION"
done
for dir in 6.12/bpf 6.12/kmod arm64-6.12/bpf arm64-6.12/kmod; do
	out="$D/in/$dir"
	mkdir -p "$out"
	for log in "$FX/$dir"/*.log; do
		c=$(basename "$log" .log)
		cp "$log" "$out/"
		OPENTRAIL_CACHE="$D/cache" "$OT" check --no-download --case "$c" --format md,json \
			--out "$out" "$out/$c.log" >/dev/null 2>&1
	done
done

# One line per table row, to look at a row's cells together.
rows() { tr -d '\n' <"$1" | sed 's|</tr>|</tr>\n|g' >"$D/rows"; }
row() { grep -- "$1" "$D/rows" >"$D/row" || t_fail "no row $1"; }

t_begin site_arch_reports_name_their_kernel
for f in "$D"/in/6.12/*/*.json; do grep -q "\"kernel\": \"$AMD\"" "$f" || t_fail "$f: not $AMD"; done
for f in "$D"/in/arm64-6.12/*/*.json; do grep -q "\"kernel\": \"$ARM\"" "$f" || t_fail "$f: not $ARM"; done
[ "$(find "$D/in" -name '*.json' | wc -l)" = 8 ] || t_fail "want 8 reports: $(find "$D/in" -name '*.json')"
t_end

t_begin site_arch_matrix_has_an_architecture_dimension
t_expect_status 0 "$OT" site --out "$D/site" "$D/in/6.12" "$D/in/arm64-6.12"
I="$D/site/index.html"
rows "$I"
# the architecture row, x86-64 first, each over its kernel's two backends
t_grep '<th rowspan="3" scope="col">case</th><th colspan="2" scope="colgroup" class="arch">x86-64</th><th colspan="2" scope="colgroup" class="arch">arm64</th></tr>' "$D/rows"
t_grep "<th colspan=\"2\" scope=\"colgroup\">$AMD</th><th colspan=\"2\" scope=\"colgroup\">$ARM</th></tr>" "$D/rows"
t_grep '2 kernels (x86-64, arm64), 8 reports' "$I"
# ENOSPC's verdicts in the matrix's order: x86-64 bpf, kmod, then arm64 bpf, kmod
row '<a href="compare/errno_enospc_tmpfs_inodes.html">'
[ "$(grep -o 'class="v v-[a-z]*">[a-z]*<' "$D/row" | sed 's/.*">//; s/<//' | tr '\n' ' ')" = 'pass pass fail fail ' ] ||
	t_fail "ENOSPC's verdicts: $(grep -o 'class="v v-[a-z]*">[a-z]*<' "$D/row" | tr '\n' ' ')"
grep -o 'href="runs/[^"]*"' "$D/row" | sed -n 3p | grep -q -- "--6.12.118_deb13-cloud-arm64--bpf.html" ||
	t_fail "the third cell is not arm64's bpf run"
row "<td>arm64</td><td>$ARM</td><td>bpf</td><td>2</td>"
row "<td>x86-64</td><td>$AMD</td><td>kmod</td><td>2</td>"
t_grep '<dt>Architecture</dt><dd>arm64</dd>' "$D/site/runs/errno_enospc_tmpfs_inodes--6.12.118_deb13-cloud-arm64--kmod.html"
t_end

t_begin site_arch_compare_page_shows_what_was_inlined_differently
C="$D/site/compare/errno_enospc_tmpfs_inodes.html"
sed -n '/<section id="arches">/,/<\/section>/p' "$C" >"$D/arches"
[ -s "$D/arches" ] || t_fail "no architectures section"
t_grep "<h3>6.12: x86-64 ($AMD) and arm64 ($ARM)</h3>" "$D/arches"
rows "$D/arches"
row 'inlined: <code>shmem_reserve_inode</code>'
t_grep '<tr class="differs">' "$D/row"
t_grep '<td>inlined in <code>__shmem_get_inode</code></td><td>not seen inlined' "$D/row"
# where the error was decided on each: the line that names it, against the last that ran
row 'where the error was decided'
t_grep '<tr class="differs">' "$D/row"
t_grep '<code>mm/shmem.c:353</code>: <code>return -ENOSPC;</code></td><td>ENOSPC in <code>__shmem_get_inode</code>' "$D/row"
t_grep '<code>mm/shmem.c:2898</code>: <code>return ERR_PTR(err);</code></td><td>differs</td>' "$D/row"
# the line claims that hold on x86-64 and not on arm64, under both backends
row 'claim: <code>ran shmem_get_inode@op#1 shmem_reserve_inode|shmem_get_inode &quot;return -ENOSPC;&quot;</code>'
t_grep '<td>bpf: <span class="v v-pass">pass</span> · kmod: <span class="v v-pass">pass</span></td><td>bpf: <span class="v v-fail">fail</span> · kmod: <span class="v v-fail">fail</span></td>' "$D/row"
# alike on both and so not listed: the two functions not in kallsyms on either
t_grep 'Alike on every architecture, and not listed: 2 functions not probed for the same reason' "$D/arches"
grep -q 'not probed: <code>' "$D/arches" && t_fail "a function not probed alike is listed as a difference"
# the renamed role is the same on both: listed, not a difference
row 'renamed: <code>shmem_get_inode</code>'
t_grep '<td>renamed <code>__shmem_get_inode</code></td><td>renamed <code>__shmem_get_inode</code></td><td>yes</td>' "$D/row"
t_end

t_begin site_arch_compare_page_shows_what_was_renamed
C="$D/site/compare/errno_e2big_open_how.html"
sed -n '/<section id="arches">/,/<\/section>/p' "$C" >"$D/arches"
rows "$D/arches"
row 'renamed: <code>__x64_sys_openat2</code>'
t_grep '<tr class="differs">' "$D/row"
t_grep '<td>its own name</td><td>renamed <code>__arm64_sys_openat2</code></td><td>differs</td>' "$D/row"
row 'where the error was decided'
t_grep 'E2BIG in <code>__x64_sys_openat2</code> <span class="note">(function only: no line probes)</span></td>' "$D/row"
t_grep '<code>include/linux/uaccess.h:403</code>: <code>return ret ?: -E2BIG;</code></td><td>differs' "$D/row"
# x86-64 ran no line probes here: what it inlined is not known, and said so
row 'inlined: <code>__do_sys_openat2</code>'
t_grep '<td>not known: no line probes ran and no call site was resolved</td><td>inlined in <code>__arm64_sys_openat2</code></td>' "$D/row"
# the runs' columns elsewhere on the page name their architecture
t_grep "<th scope=\"col\"><a href=\"../runs/errno_e2big_open_how--6.12.118_deb13-cloud-arm64--kmod.html\">arm64<br>$ARM<br>kmod</a></th>" "$C"
t_end

t_begin site_arch_atlas_counts_no_move_between_architectures
A="$D/site/atlas.html"
rows "$A"
row '<tr id="errno_enospc_tmpfs_inodes">'
grep -q 'class="moved"' "$D/row" && t_fail "a difference between architectures is marked as a move"
t_grep "x86-64: <code>__shmem_get_inode</code> ($AMD): the same place on every kernel that provoked it<br>arm64: <code>__shmem_get_inode</code> ($ARM)" "$D/row"
t_grep '<th colspan="1" scope="colgroup" class="arch">x86-64</th><th colspan="1" scope="colgroup" class="arch">arm64</th>' "$A"
t_end

t_begin site_arch_every_link_resolves
n=0
for p in "$D"/site/*.html "$D"/site/compare/*.html "$D"/site/runs/*.html; do
	dir=$(dirname "$p")
	grep -o 'href="[^"#]*' "$p" | sed 's/^href="//' | sort -u | while IFS= read -r h; do
		[ -e "$dir/$h" ] || echo "$(basename "$p") -> $h"
	done
	n=$((n + $(grep -o 'href="[^"#]*' "$p" | sort -u | wc -l)))
done >"$D/badlinks"
[ ! -s "$D/badlinks" ] || t_fail "links to no file: $(head -n 3 "$D/badlinks")"
[ "$n" -gt 30 ] || t_fail "only $n links checked"
t_end

# A single architecture's site has the one architecture row and no side-by-side section.
t_begin site_arch_one_architecture_no_side_by_side
t_expect_status 0 "$OT" site --out "$D/site-amd64" "$D/in/6.12"
t_grep '<th colspan="2" scope="colgroup" class="arch">x86-64</th></tr>' "$D/site-amd64/index.html"
grep -q 'class="arch">arm64' "$D/site-amd64/index.html" && t_fail "an arm64 column without arm64 reports"
grep -q 'id="arches"' "$D/site-amd64/compare/errno_enospc_tmpfs_inodes.html" &&
	t_fail "a side-by-side section with one architecture"
t_end
