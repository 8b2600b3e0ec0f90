# shellcheck shell=bash
# The lab's kernels: resolve a series (6.1, 6.12) to the newest Debian cloud
# kernel the apt registry offers, download its image and headers once, and keep
# them under $LAB_CACHE/kernels/<version>/:
#   vmlinuz   -> root/boot/vmlinuz-<version>
#   modules   -> root/lib/modules/<version>
#   headers   -> root/usr/src/linux-headers-<version>  (a Kbuild KDIR)
#   root/     the packages, dpkg -x'ed
# Sourced by opentrail-lab; uses say/die from there.

# apt_candidates PKG...: prints those of PKG that have an installable candidate.
apt_candidates()
{
	[ $# -gt 0 ] || return 0
	apt-cache policy "$@" 2>/dev/null |
		awk '/^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) }
		     /^  Candidate:/ && $2 != "(none)" { print name }'
}

# image_packages_of SERIES: every cloud kernel image package of SERIES apt knows.
image_packages_of()
{
	local series=$1 re
	re="^linux-image-${series//./\\.}\\.[0-9][0-9a-z.+~-]*-cloud-amd64(-unsigned)?\$"
	apt-cache pkgnames "linux-image-$series." 2>/dev/null | grep -E "$re" || true
}

# newest_version_of SERIES: the newest kernel version (uname -r) of SERIES
# with a downloadable image package, or nothing.
newest_version_of()
{
	local pkgs
	mapfile -t pkgs < <(image_packages_of "$1")
	apt_candidates "${pkgs[@]}" | sed -e 's/^linux-image-//' -e 's/-unsigned$//' |
		sort -u -V | tail -n 1
}

# newest_cached_of SERIES: the newest version of SERIES already in the cache.
newest_cached_of()
{
	local d
	for d in "$LAB_CACHE/kernels/$1".*/; do
		[ -e "$d/.complete" ] && basename "$d"
	done | sort -V | tail -n 1
}

# resolve_kernel SERIES: prints the version to use (uname -r).
resolve_kernel()
{
	local series=$1 ver
	say "resolving kernel $series"
	if ! command -v apt-cache >/dev/null; then
		ver=$(newest_cached_of "$series")
		[ -n "$ver" ] || die 2 "apt-cache not found and no $series kernel cached (a Debian host with apt is needed to download kernels)"
		say "apt-cache not found; using the cached $ver"
		echo "$ver"
		return
	fi
	ver=$(remembered_resolution "$series")
	if [ -n "$ver" ]; then
		echo "$ver"
		return
	fi
	ver=$(newest_version_of "$series")
	if [ -z "$ver" ]; then
		say "apt knows no linux-image-$series cloud kernel; running apt-get update"
		timeout 600 apt-get update -qq >&2 || say "apt-get update failed"
		ver=$(newest_version_of "$series")
	fi
	if [ -z "$ver" ]; then
		ver=$(newest_cached_of "$series")
		[ -n "$ver" ] || die 2 "no Debian cloud kernel $series found in the apt registry"
		say "none in the apt registry; using the cached $ver"
	else
		remember_resolution "$series" "$ver"
	fi
	echo "$ver"
}

# apt_lists_stamp: changes whenever apt's package lists change.
apt_lists_stamp()
{
	find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -printf '%f %T@ %s\n' 2>/dev/null |
		LC_ALL=C sort | sha256sum | cut -c1-32
}

# remembered_resolution SERIES: the version resolved before from the same apt
# lists (resolving takes apt-cache a second or two), unless --refresh.
remembered_resolution()
{
	local f=$LAB_CACHE/kernels/resolved-$1 stamp ver
	[ "${opt_refresh:-0}" != 1 ] && [ -f "$f" ] || return 0
	read -r stamp ver <"$f" || return 0
	if [ "$stamp" = "$(apt_lists_stamp)" ]; then echo "$ver"; fi
}

remember_resolution()
{
	local f=$LAB_CACHE/kernels/resolved-$1
	mkdir -p "$LAB_CACHE/kernels"
	echo "$(apt_lists_stamp) $2" >"$f.$$" && mv "$f.$$" "$f"
}

# packages_of VERSION: the packages a lab kernel is made of, one a line:
# the image, then its headers and what those depend on (common headers, kbuild).
packages_of()
{
	local ver=$1 image hdr
	image=$(apt_candidates "linux-image-$ver" "linux-image-$ver-unsigned" | sed -n 1p)
	[ -n "$image" ] || return 1
	echo "$image"
	hdr=$(apt_candidates "linux-headers-$ver")
	[ -n "$hdr" ] || return 0
	echo "$hdr"
	apt-cache depends "$hdr" 2>/dev/null |
		awk '$1 == "Depends:" && ($2 ~ /^linux-headers-.*-common$/ || $2 ~ /^linux-kbuild-/) { print $2 }' |
		sort -u
}

# download_size_mb PKG...: the download size of PKG in MB.
download_size_mb()
{
	apt-cache show --no-all-versions "$@" 2>/dev/null |
		awk '/^Size:/ { s += $2 } END { printf "%d", (s + 524288) / 1048576 }'
}

# fix_headers DIR VERSION: make root/usr/src/linux-headers-VERSION a KDIR that
# works where it lies (Debian's point at /usr/src and /usr/lib).
fix_headers()
{
	local root=$1/root ver=$2 kdir
	kdir=$root/usr/src/linux-headers-$ver
	[ -f "$kdir/Makefile" ] || return 0
	# "include /usr/src/linux-headers-X-common/Makefile" -> relative to this Makefile
	# shellcheck disable=SC2016 # a make expression, for make
	sed -i 's|^include /usr/src/|include $(dir $(lastword $(MAKEFILE_LIST)))../|' "$kdir/Makefile"
	# Module BTF needs pahole; without it, build modules without BTF (kprobes need none).
	if ! command -v pahole >/dev/null; then
		sed -i 's/^CONFIG_DEBUG_INFO_BTF_MODULES=y$/# CONFIG_DEBUG_INFO_BTF_MODULES is not set (no pahole)/' \
			"$kdir/include/config/auto.conf"
	fi
	ln -sfn "../../../usr/src/linux-headers-$ver" "$root/lib/modules/$ver/build"
}

# install_kernel VERSION TMPDIR: download and unpack VERSION into TMPDIR.
install_kernel()
{
	local ver=$1 tmp=$2 pkgs deb sandbox=()
	mapfile -t pkgs < <(packages_of "$ver")
	[ ${#pkgs[@]} -gt 0 ] || die 2 "no package linux-image-$ver in the apt registry"
	[ ${#pkgs[@]} -gt 1 ] || say "warning: no linux-headers-$ver package; the kernel module cannot be built for it"
	say "downloading $(download_size_mb "${pkgs[@]}") MB: ${pkgs[*]}"
	[ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
	if ! (cd "$tmp" && timeout 900 apt-get download -q "${sandbox[@]}" "${pkgs[@]}" >download.log 2>&1); then
		sed 's/^/lab:   /' "$tmp/download.log" >&2
		return 1
	fi
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$tmp/root" || return 1
		rm -f "$deb"
	done
	[ -f "$tmp/root/boot/vmlinuz-$ver" ] || { say "no boot/vmlinuz-$ver in ${pkgs[0]}"; return 1; }
	fix_headers "$tmp" "$ver"
	ln -s "root/boot/vmlinuz-$ver" "$tmp/vmlinuz"
	ln -s "root/lib/modules/$ver" "$tmp/modules"
	[ ! -d "$tmp/root/usr/src/linux-headers-$ver" ] || ln -s "root/usr/src/linux-headers-$ver" "$tmp/headers"
	printf '%s\n' "${pkgs[@]}" >"$tmp/packages"
	rm -f "$tmp/download.log"
	touch "$tmp/.complete"
}

# bzimage_payload_tool FILE: the command that decompresses FILE's payload, by its magic.
bzimage_payload_tool()
{
	case $(dd if="$1" bs=1 skip=$(($(od -An -tu1 -j 497 -N 1 "$1") * 512 + 512 + $(od -An -tu4 -j 584 -N 4 "$1"))) \
		count=4 status=none | od -An -tx1 | tr -d ' \n') in
	28b52ffd) command -v zstd >/dev/null && echo "zstd -dcq" ;;
	02214c18) command -v lz4 >/dev/null && echo "lz4 -dcq" ;;
	fd377a58) echo "xz -dcq" ;;
	1f8b*) echo "gzip -dcq" ;;
	esac
}

# bzimage_payload FILE: the compressed kernel inside a bzImage (boot protocol
# >= 2.08: setup_sects at 0x1f1, payload_offset at 0x248, payload_length at
# 0x24c; the last 4 bytes of the payload are the decompressed size).
bzimage_payload()
{
	local sects off len
	sects=$(od -An -tu1 -j 497 -N 1 "$1" | tr -d ' ')
	off=$(od -An -tu4 -j 584 -N 4 "$1" | tr -d ' ')
	len=$(od -An -tu4 -j 588 -N 4 "$1" | tr -d ' ')
	dd if="$1" bs=1M iflag=skip_bytes,count_bytes skip=$(((sects + 1) * 512 + off)) count=$((len - 4)) \
		status=none
}

# add_pvh_image DIR: DIR/vmlinux, the uncompressed kernel, which qemu boots
# through its PVH entry point: no firmware real-mode path, no decompression in
# the guest (about a second less under TCG). Skipped quietly when the kernel
# has no PVH entry or no decompressor is installed (vmlinuz still boots).
add_pvh_image()
{
	local dir=$1 cfg tool
	[ ! -e "$dir/vmlinux" ] && [ ! -e "$dir/.no-pvh" ] || return 0
	cfg=$(find "$dir/root/boot" -name 'config-*' -print -quit 2>/dev/null)
	tool=$(bzimage_payload_tool "$dir/vmlinuz" || true)
	if [ -z "$cfg" ] || ! grep -qx CONFIG_PVH=y "$cfg" || [ -z "$tool" ]; then
		: >"$dir/.no-pvh"
		return 0
	fi
	# shellcheck disable=SC2086 # "tool -options"
	if bzimage_payload "$dir/vmlinuz" | $tool >"$dir/vmlinux.tmp.$$" 2>/dev/null &&
		[ "$(head -c 4 "$dir/vmlinux.tmp.$$" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
		mv "$dir/vmlinux.tmp.$$" "$dir/vmlinux"
	else
		rm -f "$dir/vmlinux.tmp.$$"
		: >"$dir/.no-pvh"
	fi
}

# boot_image DIR: what qemu -kernel gets for the kernel cached in DIR.
boot_image()
{
	if [ "${OPENTRAIL_LAB_PVH:-1}" = 1 ] && [ -f "$1/vmlinux" ]; then
		echo "$1/vmlinux"
	else
		echo "$1/vmlinuz"
	fi
}

# ensure_kernel VERSION REFRESH: the cache dir of VERSION, downloaded if missing
# (or if REFRESH is 1). Concurrent labs wait on one lock; the cache only ever
# holds complete kernels (a new one is renamed into place).
ensure_kernel()
{
	local ver=$1 refresh=$2 dir tmp old
	dir=$LAB_CACHE/kernels/$ver
	if [ "$refresh" != 1 ] && [ -e "$dir/.complete" ] && { [ -e "$dir/vmlinux" ] || [ -e "$dir/.no-pvh" ]; }; then
		echo "$dir"
		return
	fi
	mkdir -p "$LAB_CACHE/kernels"
	exec 8>"$LAB_CACHE/kernels/.lock-$ver"
	flock -w 900 8 || die 2 "timed out waiting for another lab downloading $ver"
	if [ "$refresh" = 1 ] || [ ! -e "$dir/.complete" ]; then
		tmp=$(mktemp -d "$LAB_CACHE/kernels/.tmp.XXXXXX")
		chmod 755 "$tmp"
		if ! install_kernel "$ver" "$tmp"; then
			rm -rf "$tmp"
			die 2 "download of kernel $ver failed (the cache is unchanged)"
		fi
		if [ -e "$dir" ]; then
			old=$(mktemp -d "$LAB_CACHE/kernels/.old.XXXXXX")
			mv "$dir" "$old/"
			mv "$tmp" "$dir"
			rm -rf "$old"
		else
			mv "$tmp" "$dir"
		fi
	fi
	add_pvh_image "$dir"
	exec 8>&-
	echo "$dir"
}

# bzimage_version FILE: the version string a bzImage carries in its setup header.
bzimage_version()
{
	local off
	[ "$(od -An -c -j 514 -N 4 "$1" | tr -d ' ')" = HdrS ] || return 1
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=256 2>/dev/null | tr '\0' '\n' | sed -n 1p | awk '{ print $1 }'
}
