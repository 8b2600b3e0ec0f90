#!/bin/sh
# The main job: every case of the catalogue, traced live inside the lab VM on each
# lab kernel (5.10, 6.1, 6.12 and the newest Debian has) of each architecture
# (x86-64 and arm64), with both backends; then, on this machine, the two backends'
# logs of each case are cross-checked.
# Reports: out/<kernel>/{bpf,kmod}/CASE.{md,json,log} for x86-64 (amd64) and
# out/<arch>-<kernel>/ for the others (out/arm64-6.12/...), analysed again on this
# machine with the kernel's debug info where Debian has it (call sites, inlined
# functions, source lines; the debug info of the log's own kernel, so of its
# architecture); the site: out/index.html.
# Before any guest boots: the arm64 cross build and modules (make ARCH=arm64
# all kmod), and each kernel's debug info (so that the guests probe the cases'
# lines). Two guests run at a time (each is one emulated CPU). Exit 0 when every
# case passed under both backends on every kernel and the backends agree.
#   ARCHES         the architectures (default "amd64 arm64")
#   KERNELS        amd64's kernels (default $LAB_KERNELS, else "5.10 6.1 6.12 newest")
#   ARM64_KERNELS  arm64's kernels (default "5.10 6.1 6.12 newest")
#   LAB_JOBS       guests at a time (default 2)
#   LAB_TIMEOUT    seconds a kernel's whole catalogue may take (default 1800 on
#                  amd64, 5400 on arm64: emulated arm64 is two to four times slower)
set -u
cd "$(dirname "$0")/.." || exit 2
OT=build/opentrail
ARCHES=${ARCHES:-amd64 arm64}
KERNELS=${KERNELS:-${LAB_KERNELS:-5.10 6.1 6.12 newest}}
ARM64_KERNELS=${ARM64_KERNELS:-5.10 6.1 6.12 newest}
JOBS=${LAB_JOBS:-2}
CACHE=${OPENTRAIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opentrail}
for a in $ARCHES; do
	case $a in
	amd64 | arm64) ;;
	*) echo "run-all: ARCHES: '$a' is none of amd64 arm64" >&2; exit 2 ;;
	esac
done
case $JOBS in '' | *[!0-9]* | 0) echo "run-all: LAB_JOBS: '$JOBS' is not a count of guests" >&2; exit 2 ;; esac
[ -x "$OT" ] || { echo "run-all: no $OT: run make run-all (or make) first" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# The terminal: each case's progress line goes there as it finishes, prefixed by
# its kernel; everything else of a kernel's run is printed when it ends.
exec 9>&2

# kernels_of ARCH: that architecture's kernel series.
kernels_of()
{
	case $1 in
	amd64) echo "$KERNELS" ;;
	arm64) echo "$ARM64_KERNELS" ;;
	esac
}

# outdir_of ARCH K: where a kernel's reports go. amd64 keeps the paths it always had.
outdir_of()
{
	case $1 in
	amd64) echo "out/$2" ;;
	*) echo "out/$1-$2" ;;
	esac
}

# The cells of the matrix, "ARCH:K" each, amd64's first.
cells=
for a in $ARCHES; do
	for k in $(kernels_of "$a"); do cells="$cells $a:$k"; done
done
[ -n "$cells" ] || { echo "run-all: no kernel to run (ARCHES, KERNELS, ARM64_KERNELS)" >&2; exit 2; }

# progress LABEL: copies its input to stdout, and the progress lines of `opentrail run`
# (`opentrail: [i/N] ...`) to the terminal too.
progress()
{
	while IFS= read -r l; do
		case $l in *'opentrail: ['[0-9]*) printf '%s: %s\n' "$1" "${l#*opentrail: }" >&9 ;; esac
		printf '%s\n' "$l"
	done
}

# module_fresh KO: the module exists and is newer than its sources.
module_fresh()
{
	[ -n "$(find "$1" -newer src/kmod/module/opentrail_kprobes.c 2>/dev/null)" ] &&
		[ -n "$(find "$1" -newer src/probe/recipe.h 2>/dev/null)" ]
}

# prepare ARCH K: what the guest of K needs, made before any guest boots (a guest's
# initramfs is taken from the build): the kernel resolved (else $tmp/ARCH-K.why
# says why, and K is not run), its module (unless it is newer than its sources)
# and its debug info (the guest probes the cases' lines with it; the reports get
# call sites and source lines from it); without those two K still runs.
prepare()
{
	a=$1 k=$2 c=$1-$2
	: >"$tmp/$c.why"
	if ! ver=$($OT lab resolve --arch "$a" --kernel "$k" 2>"$tmp/$c.resolve"); then
		echo "cannot resolve $a $k: $(tail -n 2 "$tmp/$c.resolve")" >"$tmp/$c.why"
		return 1
	fi
	echo "$ver" >"$tmp/$c.ver"
	# the module, where make kmod puts it for that architecture
	kb=build mk=
	[ "$a" = amd64 ] || kb=build/$a mk=ARCH=$a
	if ! module_fresh "$kb/kmod/$ver/opentrail_kprobes.ko"; then
		# shellcheck disable=SC2086 # $mk: no word or one
		if ! kdir=$($OT lab headers --arch "$a" --kernel "$ver" 2>>"$tmp/$c.kmod.log") ||
			! make --no-print-directory $mk kmod KDIR="$kdir" >>"$tmp/$c.kmod.log" 2>&1; then
			# not fatal: the BPF backend runs without it, the module's runs say it is missing
			echo "  $a $ver: cannot build the module: $(tail -n 3 "$tmp/$c.kmod.log")"
		fi
	fi
	# Not fatal: without it the guest runs the cases without their line probes. The
	# index once built is kept (opentrail check builds it only where it is missing).
	[ -s "$CACHE/debuginfo/$ver/srcindex" ] || timeout 1800 $OT debuginfo --quiet "$ver" >"$tmp/$c.di" 2>&1 ||
		echo "  $ver: no debug info ($(tail -n 1 "$tmp/$c.di")): no line probes, no source lines"
	return 0
}

# run_kernel ARCH K: every case on K with both backends, then the cross-check.
run_kernel()
{
	a=$1 k=$2 c=$1-$2 st=0
	out=$(outdir_of "$a" "$k")
	label=$k
	[ "$a" = amd64 ] || label="$a $k"
	if [ -s "$tmp/$c.why" ]; then
		echo "== kernel $label: not run: $(cat "$tmp/$c.why")"
		return 1
	fi
	secs=${LAB_TIMEOUT:-$([ "$a" = amd64 ] && echo 1800 || echo 5400)}
	rm -rf "$out"
	echo "== kernel $label ($(cat "$tmp/$c.ver")): every case, bpf then kmod backend (reports in $out/)"
	{
		$OT lab --arch "$a" --kernel "$k" --timeout "$secs" --add scripts/guest-both-backends.sh \
			--out "$out" -- sh /opentrail/add/guest-both-backends.sh /out 2>&1 >&3 3>&-
		echo $? >"$tmp/$c.lab"
	} 3>&1 | progress "$label"
	[ "$(cat "$tmp/$c.lab")" = 0 ] || st=1
	[ ! -s "$out/reruns.txt" ] || sed 's/^/  rerun: /' "$out/reruns.txt"
	agree=0 differ=0
	for log in "$out"/bpf/*.log; do
		[ -e "$log" ] || continue
		cs=$(basename "$log" .log)
		# written beside its name and renamed into place: the site reads it
		if $OT compare --case "$cs" "$log" "$out/kmod/$cs.log" >"$out/.compare-$cs.txt.tmp" 2>&1; then
			agree=$((agree + 1))
		else
			differ=$((differ + 1)) st=1
			echo "$cs: bpf and kmod disagree (see $out/compare-$cs.txt)"
		fi
		mv -f "$out/.compare-$cs.txt.tmp" "$out/compare-$cs.txt"
	done
	echo "== kernel $label: backends agree on $agree cases, differ on $differ"
	# The reports again, here, with the debug info of the log's own kernel (of its
	# architecture): call sites, inlined functions and source lines in every report.
	for b in bpf kmod; do
		for log in "$out/$b"/*.log; do
			[ -e "$log" ] || continue
			$OT check --case "$(basename "$log" .log)" --out "$out/$b" "$log" >/dev/null 2>>"$out/check.stderr"
		done
	done
	sort -u "$out/check.stderr" 2>/dev/null | sed 's/^/  /'
	return $st
}

# The arm64 programs (opentrail, its triggers, its BPF object: build/arm64/),
# cross-built here; the amd64 ones are make run-all's own prerequisites.
st=0
case " $ARCHES " in
*" arm64 "*)
	echo "== the arm64 build (make ARCH=arm64)"
	if ! make --no-print-directory ARCH=arm64 all >"$tmp/arm64-build.log" 2>&1; then
		tail -n 20 "$tmp/arm64-build.log"
		echo "run-all: the arm64 build failed: no arm64 kernel is run"
		for k in $ARM64_KERNELS; do echo "the arm64 build failed" >"$tmp/arm64-$k.why"; done
		st=1
	fi
	;;
esac
for cell in $cells; do
	a=${cell%%:*} k=${cell#*:}
	[ -s "$tmp/$a-$k.why" ] || prepare "$a" "$k"
done

batch='' n=0
for cell in $cells; do
	a=${cell%%:*} k=${cell#*:}
	(run_kernel "$a" "$k" >"$tmp/$a-$k.out" 2>&1; echo $? >"$tmp/$a-$k.status") &
	batch="$batch $!" n=$((n + 1))
	if [ $n -ge "$JOBS" ]; then
		# shellcheck disable=SC2086 # a list of pids
		wait $batch
		batch='' n=0
	fi
done
# shellcheck disable=SC2086
[ -z "$batch" ] || wait $batch
dirs=
for cell in $cells; do
	a=${cell%%:*} k=${cell#*:}
	cat "$tmp/$a-$k.out"
	[ "$(cat "$tmp/$a-$k.status" 2>/dev/null)" = 0 ] || st=1
	d=$(outdir_of "$a" "$k")
	[ -d "$d" ] && dirs="$dirs $d"
done
# Every report as a static site: the matrix (architecture, kernel, backend), a page
# per run, kernels and architectures side by side.
# shellcheck disable=SC2086 # a list of directories
if [ -n "$dirs" ] && $OT site --out out $dirs >/dev/null; then
	echo "== the site: $(pwd)/out/index.html"
else
	st=1
fi
exit $st
