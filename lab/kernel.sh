# shellcheck shell=bash
# The lab's kernels: resolve a series (5.10, 6.1, 6.12, "newest") or an exact
# version to the newest Debian cloud kernel of the lab's architecture ($LAB_ARCH:
# amd64 or arm64) the registry offers (through the lab's private apt,
# lab/apt.sh), download its image, modules and headers once, and keep them under
# $LAB_CACHE/kernels/<version>/ (the version names the architecture):
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
		re="^linux-image-[0-9]+\\.[0-9]+[0-9a-z.+~-]*-cloud-$LAB_ARCH(-unsigned)?\$"
		prefix=linux-image-
	else
		re="^linux-image-${series//./\\.}\\.[0-9][0-9a-z.+~-]*-cloud-$LAB_ARCH(-unsigned)?\$"
		prefix=linux-image-$series.
	fi
	lab_apt_cache pkgnames "$prefix" 2>/dev/null | grep -E "$re" | grep -v -- '-dbg$' || true
}

# newest_version_of SERIES: the newest kernel version (uname -r) of SERIES
# with a downloadable image package, or nothing.
newest_version_of()
{
	local pkgs ver
	mapfile -t pkgs < <(image_packages_of "$1")
	apt_candidates "${pkgs[@]}" | sed -e 's/^linux-image-//' -e 's/-unsigned$//' |
		sort -u -V -r | while read -r ver; do
		is_unavailable "$ver" || { echo "$ver"; break; }
	done
}

# mark_unavailable VERSION, is_unavailable VERSION: a version the lists name but
# the archive does not serve (HTTP 404: a mirror without a suite's security
# updates for one architecture, seen for bullseye's arm64 kernels) is passed
# over for a day, so that a series resolves to the newest one that downloads.
mark_unavailable()
{
	mkdir -p "$LAB_CACHE/kernels"
	: >"$LAB_CACHE/kernels/.unavailable-$1"
}
is_unavailable()
{
	[ -n "$(find "$LAB_CACHE/kernels/.unavailable-$1" -mmin -1440 2>/dev/null)" ]
}

# newest_cached_of SERIES: the newest version of SERIES (of the lab's
# architecture) already in the cache.
newest_cached_of()
{
	local d
	local glob=$1.
	[ "$1" = newest ] && glob=
	for d in "$LAB_CACHE/kernels/$glob"*"-$LAB_ARCH"/; do
		[ -e "$d/.complete" ] && basename "$d"
	done | sort -V | tail -n 1
}

# resolve_kernel SERIES: prints the version to use (uname -r). SERIES is a
# series (5.10, 6.1, 6.12), "newest" (the newest series Debian has, today in
# unstable), or an exact version ("6.1.0-56-cloud-amd64", "6.1.0-56-amd64", or
# without the flavour: cloud of the lab's architecture).
resolve_kernel()
{
	local series=$1 ver
	case $series in
	*-"$LAB_ARCH") echo "$series"; return ;; # any flavour: cloud, generic, rt
	*-amd64 | *-arm64) die 2 "kernel $series is not for the lab's architecture, $LAB_ARCH" ;;
	[0-9]*.*[0-9]-*) echo "$series-cloud-$LAB_ARCH"; return ;;
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
		[ -n "$ver" ] || die 2 "no Debian $LAB_ARCH cloud kernel $series found in the registry (suites: $LAB_APT_SUITES)"
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

# resolution_file SERIES: where the resolution of SERIES is remembered (one per
# architecture: resolved-6.12 for amd64, resolved-6.12-arm64).
resolution_file()
{
	local f=$LAB_CACHE/kernels/resolved-$1
	[ "$LAB_ARCH" = amd64 ] || f=$f-$LAB_ARCH
	echo "$f"
}

# remembered_resolution SERIES: the version resolved before from the same apt
# lists (resolving takes apt-cache a second or two), unless --refresh.
remembered_resolution()
{
	local f stamp ver
	f=$(resolution_file "$1")
	[ "${opt_refresh:-0}" != 1 ] && [ -f "$f" ] || return 0
	read -r stamp ver <"$f" || return 0
	if [ "$stamp" = "$(apt_lists_stamp)" ] && ! is_unavailable "$ver"; then echo "$ver"; fi
}

remember_resolution()
{
	local f
	f=$(resolution_file "$1")
	mkdir -p "$LAB_CACHE/kernels"
	echo "$(apt_lists_stamp) $2" >"$f.$$" && mv "$f.$$" "$f"
}

# image_packages_for VERSION: the packages a lab kernel is made of, one a line:
# the image and the packages newer kernels split it into (linux-binary-*,
# linux-modules-*).
image_packages_for()
{
	local ver=$1 image
	image=$(apt_candidates "linux-image-$ver" "linux-image-$ver-unsigned" | sed -n 1p)
	[ -n "$image" ] || return 1
	echo "$image"
	lab_apt_cache depends "$image" 2>/dev/null |
		awk -v v="$ver" '$1 == "Depends:" && ($2 == "linux-binary-" v || $2 == "linux-binary-unsigned-" v || $2 == "linux-modules-" v) { print $2 }' |
		sort -u
}

# header_packages_for VERSION: its headers and what those depend on (common
# headers, kbuild), the latter at the headers' own version where the registry
# has it (linux-kbuild-5.10 names every 5.10 release: its newest may be one the
# archive does not serve for this architecture).
header_packages_for()
{
	local ver=$1 hdr hver dep
	hdr=$(apt_candidates "linux-headers-$ver")
	[ -n "$hdr" ] || return 0
	hver=$(lab_apt_cache policy "$hdr" 2>/dev/null | awk '/^  Candidate:/ { print $2 }')
	echo "$hdr"
	lab_apt_cache depends "$hdr" 2>/dev/null |
		awk '$1 == "Depends:" && ($2 ~ /^linux-headers-.*-common$/ || $2 ~ /^linux-kbuild-/) { print $2 }' |
		sort -u | while read -r dep; do
		if lab_apt_cache madison "$dep" 2>/dev/null | awk -v h="$hver" '$3 == h { f = 1 } END { exit !f }'; then
			echo "$dep=$hver"
		else
			echo "$dep"
		fi
	done
}

# download_debs DIR PKG...: apt-get download PKG... into DIR (its log in
# DIR/download.log).
download_debs()
{
	local dir=$1 sandbox=()
	shift
	[ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
	(cd "$dir" && timeout 900 apt-get "${LAB_APT_OPTS[@]}" download -q "${sandbox[@]}" "$@" >download.log 2>&1)
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
	ld=$(find "$dir/hostlibc" -name 'ld-linux*.so.[0-9]' | sed -n 1p)
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

# host_kbuild DIR VERSION: the headers of a kernel of another architecture
# come with that architecture's kbuild, whose programs (fixdep, modpost...)
# cannot run here. They only read and write files (what they build for comes
# from the headers' configuration), so the same version's kbuild of this
# machine's architecture, from the lab's apt of that architecture, takes its
# place; the original is kept as linux-kbuild-X.ARCH. Done once, when a module
# is to be built (opentrail lab headers), under the kernel's lock.
host_kbuild()
{
	local dir=$1 ver=$2 kdir fixdep m lib kb hver tmp guest host
	host=$(host_arch)
	guest=$(arch_of_version "$ver")
	kdir=$dir/root/usr/src/linux-headers-$ver
	[ -n "$guest" ] && [ "$guest" != "$host" ] && [ -d "$kdir" ] || return 0
	fixdep=$(readlink -f "$kdir/scripts/basic/fixdep") || return 0
	[ ! -e "$fixdep.real" ] || fixdep=$fixdep.real
	m=$(elf_machine "$fixdep") || return 0
	[ "$m" != "$(arch_elf_machine "$host")" ] || return 0
	# .../usr/lib/linux-kbuild-X/scripts/basic/fixdep -> .../usr/lib/linux-kbuild-X
	lib=${fixdep%/scripts/basic/*}
	kb=${lib##*/}
	case $kb in linux-kbuild-*) ;; *) say "$ver: no linux-kbuild package behind $kdir/scripts"; return 1 ;; esac
	exec 8>"$LAB_CACHE/kernels/.lock-$ver"
	flock -w 900 8 || die 2 "timed out waiting for another lab preparing $ver"
	if [ "$(elf_machine "$fixdep")" != "$m" ]; then exec 8>&-; return 0; fi
	lab_apt_arch "$guest"
	hver=$(lab_apt_cache policy "linux-headers-$ver" 2>/dev/null | awk '/^  Candidate:/ { print $2 }')
	lab_apt_arch "$host"
	lab_apt_ready "${opt_refresh:-0}"
	say "the headers of $ver come with $guest programs: fetching $kb for $host"
	tmp=$(mktemp -d "$dir/.kbuild.XXXXXX")
	if ! { [ -n "$hver" ] && download_debs "$tmp" "$kb=$hver"; } && ! download_debs "$tmp" "$kb"; then
		sed 's/^/lab:   /' "$tmp/download.log" >&2
		rm -rf "$tmp"
		lab_apt_arch "$guest"
		exec 8>&-
		say "cannot download $kb for $host: the kernel module cannot be built for $ver"
		return 1
	fi
	dpkg -x "$tmp"/"$kb"_*.deb "$tmp/root" && [ -d "$tmp/root/usr/lib/$kb/scripts" ] &&
		mv "$lib" "$lib.$guest" && mv "$tmp/root/usr/lib/$kb" "$lib"
	rm -rf "$tmp"
	# their C library may be newer than this host's, as for a kernel of this architecture
	wrap_host_tools "$dir" "$ver"
	lab_apt_arch "$guest"
	exec 8>&-
}

# install_kernel VERSION TMPDIR: download and unpack VERSION into TMPDIR.
install_kernel()
{
	local ver=$1 tmp=$2 pkgs hdrs deb
	mapfile -t pkgs < <(image_packages_for "$ver")
	mapfile -t hdrs < <(header_packages_for "$ver")
	[ ${#pkgs[@]} -gt 0 ] || die 2 "no package linux-image-$ver in the apt registry"
	[ ${#hdrs[@]} -gt 0 ] || say "warning: no linux-headers-$ver package; the kernel module cannot be built for it"
	say "downloading $(download_size_mb "${pkgs[@]}" "${hdrs[@]}") MB: ${pkgs[*]} ${hdrs[*]}"
	if ! download_debs "$tmp" "${pkgs[@]}"; then
		if grep -q '^E: Failed to fetch .* 404 ' "$tmp/download.log"; then
			say "$ver: listed in the registry but not served by its archive (HTTP 404)"
			mark_unavailable "$ver"
		else
			sed 's/^/lab:   /' "$tmp/download.log" >&2
		fi
		return 1
	fi
	# the headers only serve to build the module: a kernel boots without them
	if [ ${#hdrs[@]} -gt 0 ] && ! download_debs "$tmp" "${hdrs[@]}"; then
		say "warning: the headers of $ver could not be downloaded; the kernel module cannot be built for it:"
		grep '^E:' "$tmp/download.log" | sed 's/^/lab:   /' >&2
		rm -f "$tmp"/linux-headers-*.deb "$tmp"/linux-kbuild-*.deb
		hdrs=()
	fi
	pkgs+=("${hdrs[@]}")
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
	# PVH is x86's: other architectures boot vmlinuz as it is
	case $dir in *-amd64) ;; *) : >"$dir/.no-pvh"; return 0 ;; esac
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

# fetch_kernel KERNEL REFRESH: resolve KERNEL (a series or an exact version) and
# download it once; a series whose newest version turns out not to be served
# falls back to the next newest. Sets K_VERSION and K_DIR.
fetch_kernel()
{
	local tries=0
	while :; do
		K_VERSION=$(resolve_kernel "$1") || die 2 "cannot resolve kernel $1"
		K_DIR=$(ensure_kernel "$K_VERSION" "$2") && return 0
		case $1 in *-*) exit 2 ;; esac # an exact version: nothing else to try
		is_unavailable "$K_VERSION" && [ $((tries += 1)) -lt 10 ] || exit 2
		say "trying the next newest $1 kernel"
	done
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

# kernel_image_version FILE: the version a kernel image of the lab's architecture
# carries: a bzImage's setup header on amd64; on arm64 the "Linux version"
# banner of an Image (or Image.gz, as Debian's vmlinuz is).
kernel_image_version()
{
	case $LAB_ARCH in
	amd64) bzimage_version "$1" ;;
	*)
		{ gzip -dc "$1" 2>/dev/null || cat "$1"; } | strings -n 16 |
			awk '/^Linux version [0-9]/ { print $3; found = 1; exit } END { exit !found }'
		;;
	esac
}
