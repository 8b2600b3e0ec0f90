#!/bin/bash
# arm64-sysroot.sh DIR: the arm64 builds of the libraries opentrail links
# statically (libbpf, libelf, zlib, json-c: their -dev packages, with the .a
# files and headers), unpacked into DIR for `make ARCH=arm64`.
#
# The packages are Debian's arm64 builds at the versions installed on this host,
# so the cross build links what the host build links. They are downloaded with
# the lab's private apt configuration for arm64 (lab/apt.sh: its own lists and
# state, the host's dpkg and apt never touched) and unpacked with dpkg-deb -x,
# never installed. A second run with the same host versions does nothing.
# shellcheck source-path=SCRIPTDIR
set -eu
set -o pipefail

PKGS="libbpf-dev libelf-dev zlib1g-dev libjson-c-dev"
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LAB_CACHE=${OPENTRAIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opentrail}
DIR=${1:-$LAB_CACHE/sysroot-arm64}

say() { echo "arm64-sysroot: $*" >&2; }
die() {
	local st=$1
	shift
	say "$*"
	exit "$st"
}

# wanted: one "package=version" line per package, the host's versions.
wanted()
{
	local p v
	for p in $PKGS; do
		v=$(dpkg-query -W -f '${Version}' "$p" 2>/dev/null) ||
			die 2 "$p is not installed on this host (make deps): its version is the one to take"
		echo "$p=$v"
	done
}

# unpack WANT: downloads each package of WANT for arm64 and unpacks them all
# into a new directory that replaces DIR only once complete.
unpack()
{
	local want=$1 tmp deb pkgs
	tmp=$(mktemp -d "$LAB_CACHE/sysroot-arm64.XXXXXX")
	# shellcheck disable=SC2064 # TMP is fixed now
	trap "rm -rf '$tmp'" EXIT
	mkdir -p "$tmp/debs" "$tmp/root"
	say "downloading the arm64 builds of: $(echo "$want" | tr '\n' ' ')"
	mapfile -t pkgs <<<"${want//=/:arm64=}"
	(cd "$tmp/debs" && lab_apt_get -o APT::Sandbox::User=root download -qq "${pkgs[@]}") ||
		die 2 "apt-get download failed: the arm64 packages at the host's versions are not in the lists of $LAB_APT_SUITES"
	for deb in "$tmp"/debs/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	echo "$want" >"$tmp/root/.versions"
	rm -rf "$DIR"
	mv "$tmp/root" "$DIR"
}

main()
{
	local want
	command -v dpkg-deb >/dev/null || die 2 "dpkg-deb not found: a Debian host is needed"
	want=$(wanted)
	if [ -f "$DIR/.versions" ] && [ "$(cat "$DIR/.versions")" = "$want" ]; then
		return 0
	fi
	mkdir -p "$LAB_CACHE"
	LAB_ARCH=arm64
	# shellcheck source=../lab/apt.sh
	. "$ROOT/lab/apt.sh"
	lab_apt_ready 0
	unpack "$want"
	say "$DIR: $(find "$DIR" -name '*.a' | wc -l) static libraries"
}

main
