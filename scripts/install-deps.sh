#!/bin/sh
# Installs the Debian packages opentrail needs to build, test and run its lab,
# and only when one is missing (a second run changes nothing). Needs root.
set -eu
PKGS="gcc make libc6-dev pkg-config libjson-c-dev libbpf-dev libelf-dev libdw-dev zlib1g-dev clang llvm
libclang-rt-14-dev bpftool qemu-system-x86 qemu-system-arm busybox-static cpio e2fsprogs xz-utils kmod util-linux zstd lz4
graphviz chromium"
# The arm64 build is a cross build here, a native one on arm64 (where Debian has no
# package of a compiler for its own architecture under the cross name).
case $(dpkg --print-architecture 2>/dev/null || uname -m) in
arm64 | aarch64) ;;
*) PKGS="$PKGS gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
esac

missing=""
for p in $PKGS; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "opentrail: missing Debian packages:$missing" >&2
	echo "opentrail: run as root (or: sudo apt-get install$missing)" >&2
	exit 2
fi
echo "opentrail: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
