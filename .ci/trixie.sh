#!/usr/bin/env bash
# Puts fish 4, starship and atuin from Debian trixie, and ble.sh from sid,
# in .cache/trixie, for the shell tests. Debian bookworm ships fish 3.6, but
# most fish users run fish 4, which reads a paste without a key binding:
# cmdr's fish script takes another path there, and `make test` runs the
# fish tests again with this fish. starship, the most used prompt across
# the three shells, takes bash's PROMPT_COMMAND over when it loads after
# cmdr; atuin hooks every command run. ble.sh replaces bash's readline with
# a line editor written in bash, and `make test` runs the bash tests again
# under it. bookworm has none of them, trixie no ble.sh.
# The packages come with the C library they were built against, unpacked
# under .cache/trixie and named in the binaries (patchelf), so nothing
# outside that directory changes. Needs apt access to deb.debian.org (or
# its mirror) and patchelf.
#
#	.ci/trixie.sh [SUITE]   trixie by default; sid has the newest fish
set -euo pipefail
cd "$(dirname "$0")/.."

suite=${1:-trixie}
dest=$PWD/.cache/trixie
bin=$dest/usr/bin
if [[ -z ${1:-} && -x $bin/atuin && -x $bin/starship && -x $bin/fish && -f $dest/usr/share/blesh/ble.sh ]] &&
	"$bin/fish" --version 2>/dev/null | grep -q 'version 4\.'; then
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
printf 'deb %s %s main\n' "$mirror" "$suite" "$mirror" sid | sort -u >"$work/sources.list"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
# Its own lists and cache: the system's apt state is left as it was.
apt=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root)
apt-get "${apt[@]}" update -qq
pkgs=(fish fish-common starship atuin libc6 libgcc-s1 libpcre2-8-0 libpcre2-32-0 zlib1g libsqlite3-0 libssl3t64)
(cd "$work" && apt-get "${apt[@]}" download -qq "${pkgs[@]/%//$suite}" ble.sh/sid)
rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/*.deb; do
	dpkg-deb -x "$deb" "$dest"
done
# fish 4.0 takes its functions from beside its binary only when that tree
# has both share/fish and etc/fish; otherwise it would read the system fish
# 3's. Later ones carry them inside the binary.
mkdir -p "$dest/usr/etc"
cp -r "$dest/etc/fish" "$dest/usr/etc/"
for b in fish fish_indent fish_key_reader starship atuin; do
	patchelf --set-interpreter "$dest/usr/lib64/ld-linux-x86-64.so.2" \
		--set-rpath "$dest/usr/lib/x86_64-linux-gnu" "$bin/$b"
done
from=$("$bin/fish" --no-config -c 'functions --details fish_default_key_bindings')
if [[ $from != embedded:* && $from != "$dest"/* ]]; then
	echo ".ci/trixie.sh: the fish in $dest reads its functions from $from" >&2
	exit 1
fi
"$bin/fish" --version
"$bin/starship" --version | head -n 1
"$bin/atuin" --version
bash "$dest/usr/share/blesh/ble.sh" --version | head -n 1
