#!/bin/sh
# Installs a real consumer of the Trace Event Format for tests/cli/perfetto.sh: the
# trace engine of Chrome DevTools' Performance panel, as published on npm
# (@paulirish/trace_engine), into DIR (default build/tests/trace_engine). Needs node
# and npm: Debian's nodejs and npm are installed when they are missing (as root).
# Reaches only Debian's and npm's registries. Prints DIR; exits 2 saying what failed.
set -u
DIR=${1:-build/tests/trace_engine}
VERSION=0.0.65
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" != 0 ]; then
		echo "trace_engine/install.sh: node and npm are missing (as root: apt-get install nodejs npm)" >&2
		exit 2
	fi
	{ timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 \
		apt-get install -y -qq --no-install-recommends nodejs npm; } >/dev/null 2>&1 || {
		echo "trace_engine/install.sh: apt-get install nodejs npm failed" >&2
		exit 2
	}
fi
if [ -f "$DIR/node_modules/@paulirish/trace_engine/package.json" ] &&
	grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/@paulirish/trace_engine/package.json"; then
	echo "$DIR"
	exit 0
fi
mkdir -p "$DIR" || exit 2
[ -f "$DIR/package.json" ] || echo '{"private": true}' >"$DIR/package.json"
timeout 600 npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error \
	"@paulirish/trace_engine@$VERSION" >"$DIR/npm.log" 2>&1 || {
	echo "trace_engine/install.sh: npm install @paulirish/trace_engine@$VERSION failed ($(tail -n 3 "$DIR/npm.log" | tr '\n' ' '))" >&2
	exit 2
}
echo "$DIR"
