# shellcheck shell=bash
# The lab guest's initramfs: busybox, the guest init, opentrail's binaries laid
# out as in the build tree (/opentrail/build/...), and the kernel modules the
# guest needs to reach its disks. Built once per set of inputs and cached under
# $LAB_CACHE/initramfs/<hash of the inputs>.cpio. A small per-run archive (the
# command, added files) is appended to it for each run.
# Sourced by opentrail-lab; uses say/die from there.

# Modules the guest loads (with their dependencies) when the kernel has them as
# modules; $OPENTRAIL_LAB_MODULES adds more (e.g. "overlay").
# ext4 and ext2 for kernels that do not build them in (Debian's generic and rt
# flavours, many self-built kernels): /work is ext4, case5 mounts an ext2 image.
# The architecture's own (lab/arch.sh) come with them.
LAB_GUEST_MODULES="virtio_pci virtio_blk loop ext4 ext2 ${OPENTRAIL_LAB_MODULES:-}"

# module_file MODDIR NAME: the path of module NAME under MODDIR, if it is a module.
module_file()
{
	find "$1/kernel" \( -name "$2.ko" -o -name "$2.ko.xz" -o -name "$2.ko.zst" -o -name "$2.ko.gz" \) \
		-print -quit
}

# crypto_aliases MODDIR: "ALGORITHM MODULE" for every crypto-ALGORITHM alias of the
# kernel's crypto and library modules (from their modinfo, as depmod's
# modules.alias has them), cached beside the modules.
crypto_aliases()
{
	local moddir=$1 f a cache=$1/.lab-crypto-aliases
	[ -w "$moddir" ] || cache=$LAB_RUN/crypto-aliases
	if [ ! -f "$cache" ]; then
		find "$moddir/kernel/crypto" "$moddir/kernel/lib" "$moddir/kernel/arch" -name '*.ko*' 2>/dev/null |
			while read -r f; do
				for a in $(modinfo -F alias "$f" 2>/dev/null | sed -n 's/^crypto-//p'); do
					printf '%s %s\n' "$a" "$(basename "${f%%.ko*}")"
				done
			done | sort -u >"$cache.tmp" && mv "$cache.tmp" "$cache"
	fi
	cat "$cache"
}

# requested_crypto MODDIR FILE: the modules that provide the crypto algorithms
# module FILE may ask for by name at run time (crypto_alloc_shash("crc32c") ends in
# request_module("crypto-crc32c"), which neither modules.dep nor a softdep names):
# every algorithm of the kernel's crypto aliases that is one of FILE's strings.
requested_crypto()
{
	local moddir=$1 f=$2 cat=cat
	case $f in *.xz) cat="xz -dc" ;; *.zst) cat="zstd -qdc" ;; *.gz) cat="gzip -dc" ;; esac
	$cat "$f" 2>/dev/null | strings -n 3 | sort -u >"$LAB_RUN/strings.$$"
	crypto_aliases "$moddir" | awk 'NR == FNR { s[$0] = 1; next } ($1 in s) { print $2 }' \
		"$LAB_RUN/strings.$$" - | sort -u
	rm -f "$LAB_RUN/strings.$$"
}

# modules_in_load_order MODDIR NAME...: module files, dependencies first.
modules_in_load_order()
{
	local moddir=$1 name f dep
	shift
	for name in "$@"; do
		# each module once (algorithms' providers name each other)
		case " ${LAB_MODS_SEEN:-} " in *" $name "*) continue ;; esac
		LAB_MODS_SEEN="${LAB_MODS_SEEN:-} $name"
		f=$(module_file "$moddir" "$name")
		[ -n "$f" ] || continue
		for dep in $(modinfo -F depends "$f" 2>/dev/null | tr ',' ' '); do
			modules_in_load_order "$moddir" "$dep"
		done
		# soft dependencies ("pre: crc32c"): loaded first when they are modules;
		# an algorithm's name is often its _generic module's
		for dep in $(modinfo -F softdep "$f" 2>/dev/null | tr ' ' '\n' | grep -v ':$'); do
			modules_in_load_order "$moddir" "$dep" "${dep}_generic"
		done
		# algorithms it asks the crypto API for by name (an alias, at run time)
		for dep in $(requested_crypto "$moddir" "$f"); do
			modules_in_load_order "$moddir" "$dep"
		done
		echo "$f"
	done
}

# guest_busybox: the static busybox of the guest's architecture: the host's own
# (package busybox-static), or for another architecture the same version's
# package from the lab's apt, unpacked once into $LAB_CACHE/busybox/ARCH/.
guest_busybox()
{
	local dir=$LAB_CACHE/busybox/$LAB_ARCH ver pkg=busybox-static tmp
	if [ "$LAB_ARCH" = "$(host_arch)" ]; then
		command -v busybox
		return
	fi
	if [ ! -x "$dir/bin/busybox" ]; then
		lab_apt_ready "${opt_refresh:-0}"
		ver=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || true)
		[ -z "$ver" ] || [ -z "$(lab_apt_cache show "$pkg=$ver" 2>/dev/null)" ] || pkg=$pkg=$ver
		say "downloading $pkg for $LAB_ARCH"
		mkdir -p "$LAB_CACHE/busybox"
		tmp=$(mktemp -d "$LAB_CACHE/busybox/.tmp.XXXXXX")
		(cd "$tmp" && timeout 600 apt-get "${LAB_APT_OPTS[@]}" -o APT::Sandbox::User="$(id -un)" \
			download -q "$pkg" >download.log 2>&1) &&
			dpkg -x "$tmp"/busybox-static_*.deb "$tmp/root" && [ -x "$tmp/root/bin/busybox" ] ||
			{ sed 's/^/lab:   /' "$tmp/download.log" >&2; rm -rf "$tmp"; die 2 "cannot download busybox-static for $LAB_ARCH"; }
		rm -rf "$dir"
		mkdir -p "$dir/bin"
		mv "$tmp/root/bin/busybox" "$dir/bin/busybox"
		rm -rf "$tmp"
	fi
	echo "$dir/bin/busybox"
}

# guest_build_dir: the build tree whose programs go into the guest: $LAB_BUILD,
# or for another architecture than its programs' the cross build's
# $LAB_BUILD/ARCH (make ARCH=arm64), when there is one.
guest_build_dir()
{
	if [ -f "$LAB_BUILD/opentrail" ] && ! runs_on_guest "$LAB_BUILD/opentrail" && [ -d "$LAB_BUILD/$LAB_ARCH" ]; then
		echo "$LAB_BUILD/$LAB_ARCH"
	else
		echo "$LAB_BUILD"
	fi
}

# guest_program SOURCE DESTINATION: the input line of a program the guest gets,
# if it runs on the guest's architecture (else counted in LAB_LEFT_OUT).
guest_program()
{
	[ -f "$1" ] && [ -x "$1" ] || return 0
	if runs_on_guest "$1"; then
		printf '%s\t%s\n' "$1" "$2"
	else
		LAB_LEFT_OUT=$((LAB_LEFT_OUT + 1))
	fi
}

# guest_inputs VERSION MODDIR: every file that goes into the base initramfs, as
# "SOURCE<TAB>DESTINATION" lines (DESTINATION relative to the guest's /).
guest_inputs()
{
	local ver=$1 moddir=$2 f build
	build=$(guest_build_dir)
	LAB_LEFT_OUT=0
	printf '%s\t%s\n' "$(guest_busybox)" bin/busybox
	printf '%s\t%s\n' "$LAB_DIR/guest-init" init
	guest_program "$build/opentrail" opentrail/build/opentrail
	for f in "$build"/triggers/*; do
		guest_program "$f" "opentrail/build/triggers/${f##*/}"
	done
	[ "$LAB_LEFT_OUT" = 0 ] ||
		say "$LAB_LEFT_OUT programs of $build left out of the guest: not built for $LAB_ARCH (make ARCH=$LAB_ARCH)"
	f=$build/kmod/$ver/opentrail_kprobes.ko
	[ ! -f "$f" ] || printf '%s\t%s\n' "$f" "opentrail/build/kmod/$ver/opentrail_kprobes.ko"
	[ -n "$moddir" ] && [ -d "$moddir/kernel" ] || return 0
	# shellcheck disable=SC2086 # a list of names
	modules_in_load_order "$moddir" $LAB_GUEST_MODULES $(arch_guest_modules "$LAB_ARCH") |
		awk '!seen[$0]++' | while read -r f; do
		printf '%s\t%s\n' "$f" "lib/modules/${f##*/}"
	done
}

# initramfs_key INPUTS_FILE: a hash of the inputs' names and contents.
initramfs_key()
{
	local src dst
	{
		echo "layout 1"
		while IFS=$'\t' read -r src dst; do
			printf '%s %s\n' "$dst" "$(sha256sum <"$src" | cut -d' ' -f1)"
		done <"$1"
	} | sha256sum | cut -c1-32
}

# stage_file SRC DEST: copy SRC to DEST, decompressing a compressed module.
stage_file()
{
	local src=$1 dst=$2
	mkdir -p "${dst%/*}"
	case $src in
	*.ko.xz) xz -dc "$src" >"${dst%.xz}" ;;
	*.ko.zst) zstd -qdc "$src" >"${dst%.zst}" ;;
	*.ko.gz) gzip -dc "$src" >"${dst%.gz}" ;;
	*) cp "$src" "$dst" ;;
	esac
}

# build_initramfs INPUTS_FILE OUT: make the base archive OUT from the inputs.
build_initramfs()
{
	local inputs=$1 out=$2 stage src dst name
	stage=$(mktemp -d "$LAB_RUN/stage.XXXXXX")
	mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,work,out,root,lab,opentrail/add} "$stage/lib/modules"
	while IFS=$'\t' read -r src dst; do
		stage_file "$src" "$stage/$dst"
	done <"$inputs"
	# the applets of the host's busybox (the guest's is the same version)
	for name in $(busybox --list); do
		[ "$name" = busybox ] || [ -e "$stage/bin/$name" ] || ln -s busybox "$stage/bin/$name"
	done
	chmod 755 "$stage/init"
	# load order: the order guest_inputs listed them in
	awk -F'\t' '$2 ~ /^lib\/modules\// { n = $2; sub(/^lib\/modules\//, "", n); sub(/\.(xz|zst|gz)$/, "", n); print n }' \
		"$inputs" >"$stage/lab/modules"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp.$$"
	mv "$out.tmp.$$" "$out"
	rm -rf "$stage"
}

# ensure_initramfs VERSION MODDIR: the path of the base initramfs for this
# kernel and the current build tree, built only if its inputs changed.
ensure_initramfs()
{
	local ver=$1 moddir=$2 inputs key out
	inputs=$LAB_RUN/initramfs.inputs
	guest_inputs "$ver" "$moddir" >"$inputs"
	key=$(initramfs_key "$inputs")
	out=$LAB_CACHE/initramfs/$key.cpio
	if [ -f "$out" ]; then
		touch "$out"
		echo "$out"
		return
	fi
	say "building initramfs ($(wc -l <"$inputs") files)"
	mkdir -p "$LAB_CACHE/initramfs"
	build_initramfs "$inputs" "$out"
	prune_initramfs_cache
	echo "$out"
}

# prune_initramfs_cache: keep the 16 most recently used archives.
prune_initramfs_cache()
{
	find "$LAB_CACHE/initramfs" -maxdepth 1 -name '*.cpio' -printf '%T@ %p\n' |
		sort -rn | tail -n +17 | cut -d' ' -f2- | while read -r f; do rm -f "$f"; done
}

# shell_quote ARG...: ARGs as one line of single-quoted POSIX shell words.
shell_quote()
{
	local a out=
	for a in "$@"; do
		out+="'${a//\'/\'\\\'\'}' "
	done
	printf '%s\n' "$out"
}

# build_run_archive OUT ADD... -- COMMAND...: the per-run archive: /lab/cmd
# (COMMAND), and each ADD path (file or directory) under /opentrail/add/.
# The command's stdout is a serial line in the guest, a terminal whatever the host's
# is: /lab/cmd first says what the host's stdout is (OPENTRAIL_TERMINAL, COLUMNS) and
# passes NO_COLOR on, so that opentrail's text view and colour follow the host.
# With LAB_DEBUGINFO (the host cache's debuginfo/<version> of the booted kernel), its
# source index and source files go where the guest's opentrail looks for them
# (/root/.cache/opentrail/debuginfo/<version>): line probes need them, and the guest
# has no network to fetch them (never the DWARF vmlinux: the index is all it needs).
build_run_archive()
{
	local out=$1 stage a di tty cols
	shift
	stage=$(mktemp -d "$LAB_RUN/run-stage.XXXXXX")
	mkdir -p "$stage/lab" "$stage/opentrail/add"
	if [ -n "${LAB_DEBUGINFO:-}" ] && [ -s "$LAB_DEBUGINFO/srcindex" ]; then
		di=$stage/root/.cache/opentrail/debuginfo/${LAB_DEBUGINFO##*/}
		mkdir -p "$di"
		cp "$LAB_DEBUGINFO/srcindex" "$di/" || die 2 "cannot add the source index to the guest"
		[ ! -f "$LAB_DEBUGINFO/dbg-version" ] || cp "$LAB_DEBUGINFO/dbg-version" "$di/"
		[ ! -d "$LAB_DEBUGINFO/source" ] || cp -a "$LAB_DEBUGINFO/source" "$di/"
	fi
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		a=$1
		shift
		cp -a "$a" "$stage/opentrail/add/" || die 2 "cannot add $a to the guest"
	done
	shift
	tty=0 cols=
	if [ -t 1 ]; then
		tty=1
		cols=${COLUMNS:-$(stty size 2>/dev/null </dev/tty | cut -d' ' -f2)}
	fi
	{
		printf 'export OPENTRAIL_TERMINAL=%s\n' "$tty"
		case $cols in '' | 0 | *[!0-9]*) ;; *) printf 'export COLUMNS=%s\n' "$cols" ;; esac
		[ -z "${NO_COLOR:-}" ] || printf 'export NO_COLOR=1\n'
		# the guest's /out comes back to --out: `opentrail trace` without --out
		# writes its log there and names the host's path
		printf 'export OPENTRAIL_LAB_RESULTS=/out\n'
		printf 'export OPENTRAIL_LAB_HOST_RESULTS=%s\n' "$(shell_quote "$(readlink -f "$opt_out")")"
		shell_quote "$@"
	} >"$stage/lab/cmd"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
	rm -rf "$stage"
}
