# shellcheck shell=bash
# The lab's own apt: Debian's bullseye, bookworm, trixie and unstable suites, in a
# private configuration and state directory per architecture under $LAB_CACHE. The host's apt
# sources and lists are never changed; the archive address is the one the host's
# own sources use, and Release files are checked with Debian's archive keyring.
# Sourced by opentrail-lab (after kernel.sh's callers define say/die).

LAB_APT_SUITES=${OPENTRAIL_APT_SUITES:-"bullseye bookworm trixie sid"}
LAB_APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# lab_apt_arch ARCH: the private apt of Debian architecture ARCH (amd64, arm64):
# its lists and downloads under $LAB_CACHE/apt (amd64) or $LAB_CACHE/apt-ARCH,
# each architecture its own state, so that one never drops the other's lists.
# Sets LAB_ARCH, LAB_APT_DIR, LAB_APT_OPTS.
lab_apt_arch()
{
	LAB_ARCH=$1
	LAB_APT_DIR=$LAB_CACHE/apt
	[ "$LAB_ARCH" = amd64 ] || LAB_APT_DIR=$LAB_CACHE/apt-$LAB_ARCH
	LAB_APT_OPTS=(
		-o "Dir::Etc::SourceList=$LAB_APT_DIR/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$LAB_APT_DIR/lists"
		-o "Dir::Cache=$LAB_APT_DIR/cache"
		-o Dir::State::status=/dev/null
		-o "APT::Architecture=$LAB_ARCH"
		-o "APT::Architectures::=$LAB_ARCH"
		-o Acquire::Languages=none
		-o Debug::NoLocking=1
	)
}
lab_apt_arch "${LAB_ARCH:-amd64}"

# host_archive_uri KIND: the first URI of the host's apt sources whose path
# ends in /debian (KIND=main) or /debian-security (KIND=security).
host_archive_uri()
{
	local want=debian
	[ "$1" = security ] && want=debian-security
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
	} | grep -E "/$want/?\$" | sed -n 1p
}

# lab_apt_sources: the private sources.list, for every suite with its updates
# and security suites (those that do not exist are ignored by apt-get update).
lab_apt_sources()
{
	local main sec s
	main=$(host_archive_uri main)
	[ -n "$main" ] || die 2 "the host's apt sources name no Debian archive (.../debian): cannot reach other suites"
	sec=$(host_archive_uri security)
	for s in $LAB_APT_SUITES; do
		echo "deb [arch=$LAB_ARCH signed-by=$LAB_APT_KEYRING] $main $s main"
		[ "$s" = sid ] && continue
		echo "deb [arch=$LAB_ARCH signed-by=$LAB_APT_KEYRING] $main $s-updates main"
		[ -n "$sec" ] && echo "deb [arch=$LAB_ARCH signed-by=$LAB_APT_KEYRING] $sec $s-security main"
	done
}

# lab_apt_ready [REFRESH]: the private lists exist and are less than a day old
# (or REFRESH=1); updates them otherwise. Concurrent labs wait on one lock.
lab_apt_ready()
{
	local refresh=${1:-0} stamp=$LAB_APT_DIR/lists/.updated
	command -v apt-get >/dev/null || die 2 "apt-get not found: a Debian host is needed to download kernels"
	[ -r "$LAB_APT_KEYRING" ] || die 2 "no $LAB_APT_KEYRING (install debian-archive-keyring)"
	if [ "$refresh" != 1 ] && [ -n "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		return 0
	fi
	mkdir -p "$LAB_APT_DIR/lists/partial" "$LAB_APT_DIR/cache/archives/partial"
	exec 7>"$LAB_APT_DIR/.lock"
	flock -w 900 7 || die 2 "timed out waiting for another lab updating $LAB_APT_DIR"
	if [ "$refresh" = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		lab_apt_sources >"$LAB_APT_DIR/sources.list.tmp" && mv "$LAB_APT_DIR/sources.list.tmp" "$LAB_APT_DIR/sources.list"
		say "updating the $LAB_ARCH package lists of $LAB_APT_SUITES"
		if timeout 600 apt-get "${LAB_APT_OPTS[@]}" update -qq >"$LAB_APT_DIR/update.log" 2>&1; then
			touch "$stamp"
		elif ls "$LAB_APT_DIR"/lists/*Packages* >/dev/null 2>&1; then
			say "apt-get update failed (see $LAB_APT_DIR/update.log); using the lists from before"
		else
			sed 's/^/lab:   /' "$LAB_APT_DIR/update.log" >&2
			exec 7>&-
			die 2 "apt-get update of the lab's suites failed"
		fi
	fi
	exec 7>&-
}

lab_apt_cache() { apt-cache "${LAB_APT_OPTS[@]}" "$@"; }
lab_apt_get() { apt-get "${LAB_APT_OPTS[@]}" "$@"; }
