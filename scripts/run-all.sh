#!/bin/sh
# The main job: every case of the catalogue, traced live inside the lab VM on each
# lab kernel (5.10, 6.1, 6.12 and the newest Debian has), with both backends; then,
# on this machine, the two backends' logs of each case are cross-checked.
# Reports: out/<kernel>/{bpf,kmod}/CASE.{md,json,log}, analysed again on this
# machine with the kernel's debug info where Debian has it (call sites, inlined
# functions, source lines); the site: out/index.html.
# Two guests run at a time (each is one emulated CPU). Exit 0 when every case
# passed under both backends on every kernel and the backends agree.
set -u
cd "$(dirname "$0")/.." || exit 2
OT=build/opentrail
KERNELS=${KERNELS:-${LAB_KERNELS:-5.10 6.1 6.12 newest}}
JOBS=${LAB_JOBS:-2}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# The terminal: each case's progress line goes there as it finishes, prefixed by
# its kernel; everything else of a kernel's run is printed when it ends.
exec 9>&2

# progress K: copies its input to stdout, and the progress lines of `opentrail run`
# (`opentrail: [i/N] ...`) to the terminal too.
progress()
{
	while IFS= read -r l; do
		case $l in *'opentrail: ['[0-9]*) printf '%s: %s\n' "$1" "${l#*opentrail: }" >&9 ;; esac
		printf '%s\n' "$l"
	done
}

# run_kernel K: every case on K with both backends, then the cross-check.
run_kernel()
{
	k=$1 out=out/$1 st=0
	rm -rf "$out"
	echo "== kernel $k: every case, bpf then kmod backend (reports in $out/)"
	{
		$OT lab --kernel "$k" --timeout 1800 --add scripts/guest-both-backends.sh --out "$out" -- \
			sh /opentrail/add/guest-both-backends.sh /out 2>&1 >&3 3>&-
		echo $? >"$tmp/$k.lab"
	} 3>&1 | progress "$k"
	[ "$(cat "$tmp/$k.lab")" = 0 ] || st=1
	[ ! -s "$out/reruns.txt" ] || sed 's/^/  rerun: /' "$out/reruns.txt"
	agree=0 differ=0
	for log in "$out"/bpf/*.log; do
		[ -e "$log" ] || continue
		c=$(basename "$log" .log)
		if $OT compare --case "$c" "$log" "$out/kmod/$c.log" >"$out/compare-$c.txt" 2>&1; then
			agree=$((agree + 1))
		else
			differ=$((differ + 1)) st=1
			echo "$c: bpf and kmod disagree (see $out/compare-$c.txt)"
		fi
	done
	echo "== kernel $k: backends agree on $agree cases, differ on $differ"
	# The reports again, here, where the kernel's debug info can be fetched (once per
	# kernel): call sites, inlined functions and source lines in every report.
	for b in bpf kmod; do
		for log in "$out/$b"/*.log; do
			[ -e "$log" ] || continue
			$OT check --case "$(basename "$log" .log)" --out "$out/$b" "$log" >/dev/null 2>>"$out/check.stderr"
		done
	done
	sort -u "$out/check.stderr" 2>/dev/null | sed 's/^/  /'
	return $st
}

batch= n=0
for k in $KERNELS; do
	(run_kernel "$k" >"$tmp/$k.out" 2>&1; echo $? >"$tmp/$k.status") &
	batch="$batch $!" n=$((n + 1))
	if [ $n -ge "$JOBS" ]; then
		# shellcheck disable=SC2086 # a list of pids
		wait $batch
		batch= n=0
	fi
done
# shellcheck disable=SC2086
[ -z "$batch" ] || wait $batch
st=0
dirs=
for k in $KERNELS; do
	cat "$tmp/$k.out"
	[ "$(cat "$tmp/$k.status" 2>/dev/null)" = 0 ] || st=1
	[ -d "out/$k" ] && dirs="$dirs out/$k"
done
# Every report as a static site: the matrix, a page per run, kernels side by side.
# shellcheck disable=SC2086 # a list of directories
if [ -n "$dirs" ] && $OT site --out out $dirs >/dev/null; then
	echo "== the site: $(pwd)/out/index.html"
else
	st=1
fi
exit $st
