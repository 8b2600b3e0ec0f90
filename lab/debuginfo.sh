#!/bin/bash
# debuginfo.sh: a kernel's source index (docs/source-index.md), built once into
# opentrail's cache from Debian's debug package:
#   $CACHE/debuginfo/<uname -r>/
#     download/      the .deb files (removed once the index is built, unless --keep)
#     vmlinux        the DWARF vmlinux (340 MB; --prune removes it after indexing)
#     srcindex       the compact index the reports read
#     dbg-version    the -dbg package version indexed
#     source/        the source files the index names, VERSION, and ABSENT (what the
#                    package lacks of them) (unless --no-source)
# Usage: opentrail debuginfo [--no-source] [--offline] [--keep] [--prune] [--quiet] KERNEL
set -eu
set -o pipefail

DI_DIR=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
DI_BUILD=${OPENTRAIL_BUILD:-$DI_DIR/../build}
DI_CACHE=${OPENTRAIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opentrail}
opt_source=1 opt_offline=0 opt_keep=0 opt_prune=0 opt_quiet=0 opt_addrs=

say() { echo "debuginfo: $*" >&2; }
die() {
	local st=$1
	shift
	say "$*"
	exit "$st"
}

# The lab's private apt (every Debian suite, whatever the host lists), of the
# kernel's architecture (chosen below).
LAB_CACHE=$DI_CACHE
# shellcheck source=./arch.sh
. "$DI_DIR/arch.sh"
# shellcheck source=./apt.sh
. "$DI_DIR/apt.sh"

usage()
{
	cat <<'USAGE'
Usage: opentrail debuginfo [OPTION...] KERNEL

Builds the source index of KERNEL (its uname -r, e.g. 6.12.117+deb12-cloud-amd64)
in opentrail's cache, so that reports of its logs show call sites, inlined
functions and source lines. Downloads linux-image-KERNEL-dbg (about 300 MB) once
and extracts only its DWARF vmlinux; with the source, linux-source-SERIES (about
150 MB) of the same version, keeping only the files the index names.

Options:
  --no-source  do not fetch the kernel source (no source lines in reports)
  --offline    never download: build from what the cache already holds
  --keep       keep the downloaded .deb files
  --prune      remove the 340 MB vmlinux once the index is built
  --quiet      say less
  --addr H@T   also index the unit holding address H of a kernel whose _text was T
               (a caller outside the probed functions' files; remembered for rebuilds)
USAGE
}

while [ $# -gt 0 ]; do
	case $1 in
	--no-source) opt_source=0 ;;
	--offline) opt_offline=1 ;;
	--keep) opt_keep=1 ;;
	--prune) opt_prune=1 ;;
	--quiet) opt_quiet=1 ;;
	--addr)
		[ $# -ge 2 ] || die 2 "--addr needs HEX@KTEXT"
		opt_addrs="$opt_addrs $2"
		shift
		;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die 2 "unknown option '$1' (see opentrail debuginfo --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die 2 "give exactly one KERNEL (its uname -r), e.g. 6.12.117+deb12-cloud-amd64"
KVER=$1
case $KVER in
*/* | .* | "") die 2 "'$KVER' is not a kernel version (uname -r)" ;;
esac
DIR=$DI_CACHE/debuginfo/$KVER
arch=$(arch_of_version "$KVER")
lab_apt_arch "${arch:-$(host_arch)}"
INDEXER=$DI_BUILD/opentrail-srcindex
OPENTRAIL=$DI_BUILD/opentrail
[ -x "$INDEXER" ] || die 2 "no $INDEXER (run make)"

# candidate PKG: the version apt would download of PKG, or nothing.
candidate()
{
	lab_apt_ready >/dev/null 2>&1 || true
	lab_apt_cache policy "$1" 2>/dev/null | awk '/^  Candidate:/ && $2 != "(none)" { print $2 }'
}

# listed PKG VERSION: is VERSION of PKG in the registry (not only its candidate)?
listed()
{
	lab_apt_cache madison "$1" 2>/dev/null | awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } $2 == v { f = 1 } END { exit !f }'
}

# first_deb PKG [VERSION]: the downloaded .deb of PKG (of VERSION), if any.
first_deb()
{
	local f v=${2:+_${2#*:}}
	for f in "$DIR/download/$1$v"_*.deb; do
		if [ -e "$f" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

# fetch PKG [VERSION]: downloads PKG (its candidate, or VERSION) into download/
# (once), showing apt's progress.
fetch()
{
	local pkg=$1 ver=${2:-} size
	[ -n "$ver" ] || ver=$(candidate "$pkg")
	[ -n "$ver" ] || return 1
	if first_deb "$pkg" "$ver" >/dev/null; then return 0; fi
	size=$(lab_apt_cache show "$pkg=$ver" 2>/dev/null | awk '/^Size:/ { printf "%d", $2 / 1048576; exit }')
	say "downloading $pkg $ver (${size:-?} MB)"
	mkdir -p "$DIR/download"
	(cd "$DIR/download" && timeout 1200 apt-get "${LAB_APT_OPTS[@]}" download -o quiet=0 "$pkg=$ver" 2>&1 |
		{ grep -v '^W: Download is performed unsandboxed' >&2 || true; }) || return 1
	first_deb "$pkg" "$ver" >/dev/null
}

# 1. The DWARF vmlinux.
dbg=linux-image-$KVER-dbg
# A package found missing less than a day ago is not asked for again by every
# `opentrail check` (--quiet); asked for by hand, it is.
if [ ! -s "$DIR/vmlinux" ] && [ "$opt_quiet" = 1 ] && [ -n "$(find "$DIR/unavailable" -mmin -1440 2>/dev/null)" ]; then
	die 1 "$(cat "$DIR/unavailable")"
fi
if [ ! -s "$DIR/vmlinux" ]; then
	if ! first_deb "$dbg" >/dev/null; then
		[ "$opt_offline" = 0 ] || die 1 "no debug info for $KVER in $DIR and downloads are off"
		command -v apt-get >/dev/null || die 1 "no apt-get here: cannot download $dbg"
		if ! fetch "$dbg"; then
			mkdir -p "$DIR"
			echo "$dbg: not in the registry, or listed but not downloadable" >"$DIR/unavailable"
			die 1 "$dbg: not in the registry, or listed but not downloadable (apt-get update? another suite?)"
		fi
		rm -f "$DIR/unavailable"
	fi
	deb=$(first_deb "$dbg")
	say "extracting the DWARF vmlinux from $(basename "$deb") (about 15 s)"
	tmp=$(mktemp -d "$DIR/extract.XXXXXX")
	# boot/vmlinux-VERSION up to 6.x; newer packages keep it in lib/modules/VERSION/
	# with boot/ holding only a link to it
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/lib/debug/boot/vmlinux-*' \
		"./usr/lib/debug/lib/modules/$KVER/vmlinux" 2>/dev/null
	f=$(find "$tmp/usr/lib/debug" -type f -name 'vmlinux*' | sed -n 1p)
	[ -n "$f" ] || die 1 "$(basename "$deb") holds no vmlinux"
	mv "$f" "$DIR/vmlinux.tmp" && mv "$DIR/vmlinux.tmp" "$DIR/vmlinux"
	rm -rf "$tmp"
	dpkg-deb -f "$deb" Version >"$DIR/dbg-version.tmp" && mv "$DIR/dbg-version.tmp" "$DIR/dbg-version"
fi

# 2. The index: the units defining every function opentrail can probe (and so their
# callers in the same files), plus the syscall entry points.
# Every name each has had (a role's prototype is kept under the name the kernel has).
funcs=$("$OPENTRAIL" list --probes -v | awk '/^    names: / { printf "%s%s", sep, $2; sep = "," }')
sys=$(arch_syscall_prefix "$LAB_ARCH")
funcs="$funcs,${sys}openat,${sys}open,${sys}openat2,${sys}socket,__sock_create"
for a in $opt_addrs; do
	case $a in
	*[!0-9a-fA-Fx@]* | "") die 2 "--addr '$a' is not HEX@KTEXT" ;;
	esac
	grep -qx "$a" "$DIR/addrs" 2>/dev/null || echo "$a" >>"$DIR/addrs"
done
addr_args=()
if [ -f "$DIR/addrs" ]; then
	while read -r a; do addr_args+=(--addr "$a"); done <"$DIR/addrs"
fi
[ "$opt_quiet" = 1 ] || say "indexing $KVER"
if ! "$INDEXER" --kernel "$KVER" --func "$funcs" "${addr_args[@]}" --out "$DIR/srcindex" \
	"$DIR/vmlinux" 2>"$DIR/index.log"; then
	cat "$DIR/index.log" >&2
	die 1 "building the source index of $KVER failed"
fi
[ "$opt_quiet" = 1 ] || cat "$DIR/index.log" >&2

# 3. The source files the index names, from linux-source-SERIES of the same version:
# extracted again when the index names a file the extracted tree lacks (a function
# added to the probe spec brings its unit's file), unless the package lacks it too
# (a generated header: source/ABSENT lists those). The tree in place stays until a
# new one is extracted: its files are still this kernel's.
fresh=1
if [ ! -e "$DIR/source/VERSION" ] || ! awk '$1 == "f" && $2 !~ /^\// && $2 != "?" { print $2 }' "$DIR/srcindex" |
	while read -r f; do
		[ -e "$DIR/source/$f" ] || grep -qxF "$f" "$DIR/source/ABSENT" 2>/dev/null || exit 1
	done; then
	fresh=0
fi
if [ "$opt_source" = 1 ] && [ "$fresh" = 0 ]; then
	series=$(echo "$KVER" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
	src=linux-source-$series
	# The kernel's own version when the registry still lists it (a point release's
	# kernel, while the candidate is a later security update), else the candidate.
	want=$(cat "$DIR/dbg-version")
	[ "$opt_offline" = 0 ] && listed "$src" "$want" || want=
	if ! first_deb "$src" "$want" >/dev/null && [ "$opt_offline" = 0 ]; then
		fetch "$src" "$want" || say "$src: not in the apt registry; reports will have no source lines"
	fi
	deb=$(first_deb "$src" "$(cat "$DIR/dbg-version")" || first_deb "$src" || true)
	if [ -n "$deb" ]; then
		have=$(dpkg-deb -f "$deb" Version)
		if [ "$have" != "$(cat "$DIR/dbg-version")" ]; then
			say "$src is $have, the kernel is $(cat "$DIR/dbg-version"): no source lines (they would not match)"
		else
			say "extracting the indexed source files from $(basename "$deb") (about 10 s)"
			tmp=$(mktemp -d "$DIR/source.XXXXXX")
			# "net/ipv4/../core/x.h" is in the tarball as "net/core/x.h"
			awk '$1 == "f" && $2 !~ /^\// && $2 != "?" { print "'"$src"'/" $2 }' "$DIR/srcindex" |
				sed -E ':a; s#[^/]+/\.\./##; ta' >"$tmp/list"
			dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$src.tar.xz" | xz -dc |
				tar -x -C "$tmp" --ignore-failed-read -T "$tmp/list" 2>/dev/null || true
			if [ -d "$tmp/$src" ]; then
				awk '$1 == "f" && $2 !~ /^\// && $2 != "?" { print $2 }' "$DIR/srcindex" |
					while read -r f; do [ -e "$tmp/$src/$f" ] || echo "$f"; done >"$tmp/$src/ABSENT"
				rm -rf "$DIR/source"
				mv "$tmp/$src" "$DIR/source"
				echo "$have" >"$DIR/source/VERSION"
			else
				say "$src: nothing extracted; the source files in place stay"
			fi
			rm -rf "$tmp"
		fi
	fi
fi

[ "$opt_keep" = 1 ] || rm -f "$DIR"/download/*.deb
[ "$opt_prune" = 0 ] || rm -f "$DIR/vmlinux"
[ "$opt_quiet" = 1 ] && exit 0
say "source index of $KVER: $DIR/srcindex ($(du -h "$DIR/srcindex" | cut -f1))"
echo "$DIR"
