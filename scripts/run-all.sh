#!/bin/sh
# The main job: every case of the catalogue, traced live inside the lab VM on each
# lab kernel, with both backends; then, on this machine, the two backends'
# logs of each case are cross-checked. Reports: out/<kernel>/{bpf,kmod}/CASE.{md,json,log}.
# Exit 0 when every case passed under both backends and the backends agree.
set -u
cd "$(dirname "$0")/.." || exit 2
OT=build/opentrail
KERNELS=${KERNELS:-6.1 6.12}
st=0
for k in $KERNELS; do
	out=out/$k
	rm -rf "$out"
	echo "== kernel $k: every case, bpf then kmod backend (reports in $out/)"
	$OT lab --kernel "$k" --timeout 1800 --out "$out" -- sh -c \
		'opentrail run --all --backend bpf --out /out/bpf; b=$?;
		 opentrail run --all --backend kmod --out /out/kmod; m=$?;
		 [ $b = 0 ] && [ $m = 0 ]' || st=1
	agree=0 differ=0
	for log in "$out"/bpf/*.log; do
		[ -e "$log" ] || continue
		c=$(basename "$log" .log)
		if $OT compare --case "$c" "$log" "$out/kmod/$c.log" >"$out/compare-$c.txt" 2>&1; then
			agree=$((agree + 1))
		else
			differ=$((differ + 1)); st=1
			echo "$c: bpf and kmod disagree (see $out/compare-$c.txt)"
		fi
	done
	echo "== kernel $k: backends agree on $agree cases, differ on $differ"
done
# Every report as a static site: the matrix, a page per run, kernels side by side.
if $OT site out >/dev/null; then
	echo "== the site: $(pwd)/out/index.html"
else
	st=1
fi
exit $st
