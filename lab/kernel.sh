# shellcheck shell=bash
# The lab's kernels: resolve a series (5.10, 6.1, 6.12, "newest") or an exact
# version to the newest Debian cloud kernel the registry offers (through the
# lab's private apt, lab/apt.sh), download its image, modules and headers once,
# and keep them under $LAB_CACHE/kernels/<version>/:
#   vmlinuz   -> the kernel (root/boot/vmlinuz-<version>, or
#                root/usr/lib/modules/<version>/vmlinuz in split packages)
#   modules   -> root/lib/modules/<version> (or root/usr/lib/modules/<version>)
#   headers   -> root/usr/src/linux-headers-<version>  (a Kbuild KDIR)
#   root/     the packages, dpkg -x'ed
# Sourced by opentrail-lab; uses say/die from there.

# apt_candidates PKG...: prints those of PKG that have an installable candidate.
apt_candidates()
{
	[ $# -gt 0 ] || return 0
	lab_apt_cache policy "$@" 2>/dev/null |
		awk '/^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) }
		     /^  Candidate:/ && $2 != "(none)" { print name }'
}

# image_packages_of SERIES: every cloud kernel image package of SERIES apt knows
# (SERIES "newest": of every series).
image_packages_of()
{
	local series=$1 re prefix
	if [ "$series" = newest ]; then
		re='^linux-image-[0-9]+\.[0-9]+[0-9a-z.+~-]*-cloud-amd64(-unsigned)?$'
		prefix=linux-image-
	else
		re="^linux-image-${series//./\\.}\\.[0-9][0-9a-z.+~-]*-cloud-amd64(-unsigned)?\$"
		prefix=linux-image-$series.
	fi
	lab_apt_cache pkgnames "$prefix" 2>/dev/null | grep -E "$re" | grep -v -- '-dbg$' || true
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
	local glob=$1.
	[ "$1" = newest ] && glob=
	for d in "$LAB_CACHE/kernels/$glob"*/; do
		[ -e "$d/.complete" ] && basename "$d"
	done | sort -V | tail -n 1
}

# resolve_kernel SERIES: prints the version to use (uname -r). SERIES is a
# series (5.10, 6.1, 6.12), "newest" (the newest series Debian has, today in
# unstable), or an exact version ("6.1.0-56-cloud-amd64", "6.1.0-56-amd64", or
# without the flavour: cloud).
resolve_kernel()
{
	local series=$1 ver
	case $series in
	*-amd64) echo "$series"; return ;; # any flavour: cloud, generic, rt
	[0-9]*.*[0-9]-*) echo "$series-cloud-amd64"; return ;;
	esac
	say "resolving kernel $series"
	if ! command -v apt-cache >/dev/null; then
		ver=$(newest_cached_of "$series")
		[ -n "$ver" ] || die 2 "apt-cache not found and no $series kernel cached (a Debian host with apt is needed to download kernels)"
		say "apt-cache not found; using the cached $ver"
		echo "$ver"
		return
	fi
	lab_apt_ready "${opt_refresh:-0}"
	ver=$(remembered_resolution "$series")
	if [ -n "$ver" ]; then
		echo "$ver"
		return
	fi
	ver=$(newest_version_of "$series")
	if [ -z "$ver" ]; then
		ver=$(newest_cached_of "$series")
		[ -n "$ver" ] || die 2 "no Debian cloud kernel $series found in the registry (suites: $LAB_APT_SUITES)"
		say "none in the registry; using the cached $ver"
	else
		remember_resolution "$series" "$ver"
	fi
	echo "$ver"
}

# apt_lists_stamp: changes whenever apt's package lists change.
apt_lists_stamp()
{
	find "$LAB_APT_DIR/lists" -maxdepth 1 -name '*Packages*' -printf '%f %T@ %s\n' 2>/dev/null |
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

# packages_of VERSION: the packages a lab kernel is made of, one a line: the
# image, the packages newer kernels split it into (linux-binary-*, linux-modules-*),
# then its headers and what those depend on (common headers, kbuild).
packages_of()
{
	local ver=$1 image hdr
	image=$(apt_candidates "linux-image-$ver" "linux-image-$ver-unsigned" | sed -n 1p)
	[ -n "$image" ] || return 1
	echo "$image"
	lab_apt_cache depends "$image" 2>/dev/null |
		awk -v v="$ver" '$1 == "Depends:" && ($2 == "linux-binary-" v || $2 == "linux-binary-unsigned-" v || $2 == "linux-modules-" v) { print $2 }' |
		sort -u
	hdr=$(apt_candidates "linux-headers-$ver")
	[ -n "$hdr" ] || return 0
	echo "$hdr"
	lab_apt_cache depends "$hdr" 2>/dev/null |
		awk '$1 == "Depends:" && ($2 ~ /^linux-headers-.*-common$/ || $2 ~ /^linux-kbuild-/) { print $2 }' |
		sort -u
}

# download_size_mb PKG...: the download size of PKG in MB.
download_size_mb()
{
	lab_apt_cache show --no-all-versions "$@" 2>/dev/null |
		awk '/^Size:/ { s += $2 } END { printf "%d", (s + 524288) / 1048576 }'
}

# fix_headers DIR VERSION: make root/usr/src/linux-headers-VERSION a KDIR that
# works where it lies (Debian's point at /usr/src and /usr/lib).
fix_headers()
{
	local root=$1/root ver=$2 mods=${3:-lib/modules/$2} kdir
	kdir=$root/usr/src/linux-headers-$ver
	[ -f "$kdir/Makefile" ] || return 0
	# "include /usr/src/linux-headers-X-common/Makefile" -> relative to this Makefile
	# shellcheck disable=SC2016 # a make expression, for make
	sed -i -e 's|^include /usr/src/|include $(dir $(lastword $(MAKEFILE_LIST)))../|' \
		-e 's|^KBUILD_OUTPUT=/usr/src/.*|KBUILD_OUTPUT := $(realpath $(dir $(lastword $(MAKEFILE_LIST))))|' "$kdir/Makefile"
	# Module BTF needs pahole; without it, build modules without BTF (kprobes need none).
	if ! command -v pahole >/dev/null; then
		sed -i 's/^CONFIG_DEBUG_INFO_BTF_MODULES=y$/# CONFIG_DEBUG_INFO_BTF_MODULES is not set (no pahole)/' \
			"$kdir/include/config/auto.conf"
	fi
	# relative, so that the cache directory can be renamed: one ../ per level of MODS
	ln -sfn "$(echo "$mods" | sed 's|[^/]*|..|g')/usr/src/linux-headers-$ver" "$root/$mods/build"
}

# wrap_host_tools DIR VERSION: the headers' host programs (modpost, objtool,
# fixdep...) are built against their suite's C library; where this host's is too
# old to run them, each is run through the newest libc6 the registry has,
# unpacked beside them (DIR/hostlibc), by a wrapper of the same name.
wrap_host_tools()
{
	local dir=$1 kdir f need=() ld lib rel out
	kdir=$dir/root/usr/src/linux-headers-$2
	[ -d "$kdir" ] || return 0
	while IFS= read -r f; do
		# a program wrapped before (its original kept as NAME.real) is not wrapped again
		case $f in *.real) continue ;; esac
		[ -e "$f.real" ] && continue
		[ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || continue
		# ldd's whole output first: `ldd | grep -q` under pipefail fails at random
		# (grep's early exit kills ldd with SIGPIPE), leaving a program unwrapped
		out=$(LC_ALL=C ldd "$f" </dev/null 2>&1) || true
		case $out in *'not found'*) need+=("$f") ;; esac
	done < <(find -L "$kdir/" "$kdir/../linux-headers-"*-common/ -type f -perm -u+x -exec readlink -f {} + 2>/dev/null |
		sort -u)
	[ ${#need[@]} -gt 0 ] || return 0
	say "the headers' host programs need a newer C library: fetching libc6"
	mkdir -p "$dir/hostlibc.deb"
	(cd "$dir/hostlibc.deb" && timeout 600 apt-get "${LAB_APT_OPTS[@]}" download -q libc6 >/dev/null 2>&1) ||
		{ say "cannot download libc6: the kernel module cannot be built for $2"; return 0; }
	dpkg -x "$dir"/hostlibc.deb/libc6_*.deb "$dir/hostlibc" && rm -rf "$dir/hostlibc.deb"
	ld=$(find "$dir/hostlibc" -name 'ld-linux-x86-64.so.2' | sed -n 1p)
	lib=$(dirname "$(find "$dir/hostlibc" -name 'libc.so.6' | sed -n 1p)")
	for f in "${need[@]}"; do
		mv "$f" "$f.real"
		rel=${dir}/
		# paths relative to the kernel's cache directory, found again at run time
		printf '#!/bin/sh\nk=$(readlink -f "$0"); k=${k%%/root/usr/*}\nexec "$k/%s" --library-path "$k/%s" "$0.real" "$@"\n' \
			"${ld#"$rel"}" "${lib#"$rel"}" >"$f"
		chmod +x "$f"
	done
	say "host programs wrapped: ${#need[@]}"
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
	if ! (cd "$tmp" && timeout 900 apt-get "${LAB_APT_OPTS[@]}" download -q "${sandbox[@]}" "${pkgs[@]}" >download.log 2>&1); then
		sed 's/^/lab:   /' "$tmp/download.log" >&2
		return 1
	fi
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$tmp/root" || return 1
		rm -f "$deb"
	done
	local img mods
	for img in "boot/vmlinuz-$ver" "usr/lib/modules/$ver/vmlinuz" "lib/modules/$ver/vmlinuz"; do
		[ -f "$tmp/root/$img" ] && break
	done
	[ -f "$tmp/root/$img" ] || { say "no vmlinuz of $ver in ${pkgs[*]}"; return 1; }
	for mods in "lib/modules/$ver" "usr/lib/modules/$ver"; do
		[ -d "$tmp/root/$mods/kernel" ] && break
	done
	[ -d "$tmp/root/$mods" ] || { say "no modules of $ver in ${pkgs[*]}"; return 1; }
	fix_headers "$tmp" "$ver" "$mods"
	wrap_host_tools "$tmp" "$ver"
	ln -s "root/$img" "$tmp/vmlinuz"
	ln -s "root/$mods" "$tmp/modules"
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
# has no PVH entry (then kept as DIR/vmlinux.elf) or no decompressor is
# installed (vmlinuz still boots).
add_pvh_image()
{
	local dir=$1 tool
	[ ! -e "$dir/vmlinux" ] && [ ! -e "$dir/.no-pvh" ] || return 0
	tool=$(bzimage_payload_tool "$dir/vmlinuz" || true)
	if [ -z "$tool" ]; then
		: >"$dir/.no-pvh"
		return 0
	fi
	# shellcheck disable=SC2086 # "tool -options"
	if ! bzimage_payload "$dir/vmlinuz" | $tool >"$dir/vmlinux.tmp.$$" 2>/dev/null ||
		[ "$(head -c 4 "$dir/vmlinux.tmp.$$" | od -An -tx1 | tr -d ' \n')" != 7f454c46 ]; then
		rm -f "$dir/vmlinux.tmp.$$"
		: >"$dir/.no-pvh"
		return 0
	fi
	# The PVH entry is Xen's ELF note 0x12 (XEN_ELFNOTE_PHYS32_ENTRY). Without it
	# the ELF is kept only for what it holds (BTF: opentrail list --probes --btf).
	if LC_ALL=C readelf -n "$dir/vmlinux.tmp.$$" 2>/dev/null | grep -q 'Xen .*(0x00000012)'; then
		mv "$dir/vmlinux.tmp.$$" "$dir/vmlinux"
	else
		mv "$dir/vmlinux.tmp.$$" "$dir/vmlinux.elf"
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
