#!/usr/bin/env bash
# Puts pure and spaceship, zsh prompts that Debian lacks but npm carries,
# in .cache/npm, for the shell tests. Both are among the most used zsh
# prompts, and both redraw the prompt from jobs that finish in the
# background (zsh-async), beside cmdr's widgets. The registry's tarballs
# are checked against their digests and unpacked, not installed: their
# install scripts link into the system's zsh function directories.
#
#	.ci/prompts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

registry=${NPM_REGISTRY:-https://registry.npmjs.org}
dest=$PWD/.cache/npm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# name version sha512 (the registry's dist.integrity, in hex)
while read -r name version sum; do
	dir=$dest/$name-$version
	[[ -d $dir/package ]] && continue
	tgz=$work/$name.tgz
	curl -fsS --retry 3 -o "$tgz" "$registry/$name/-/$name-$version.tgz"
	if ! echo "$sum  $tgz" | sha512sum -c --status; then
		echo "prompts: $name $version does not match its digest" >&2
		exit 1
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xzf "$tgz" -C "$dir"
done <<'LIST'
pure-prompt 1.28.3 474e2a452f41e31ce7878aab25453537d90ebc2ce29b8f25511199efaddd4f64d2e986a5d7db2fd711863570102c63935541b6e174d35a9b574b8a43c4a376b1
spaceship-prompt 4.22.5 1a16e3311e2c963332ee241eefdcc34c69b4cbcefbf447e09f1c4de33f75493f29d9bf5609de70a684ab5d2d5fb76a62d964875ad57b900d76344d933844d502
LIST
