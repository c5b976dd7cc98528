#!/usr/bin/env bash
# Builds Ollama from its Go module, for `make bench`'s side-by-side figures
# only: cmdr never ships or runs it otherwise. Prints the binary's path.
#
# The module zip lacks headers Ollama vendors in its repository. They come
# from elsewhere, with the same compiler flags as cmdr's native build so the
# comparison is of engines, not of builds:
#   nlohmann/json.hpp   Debian package nlohmann-json3-dev
#   stb/stb_image.h     Debian package libstb-dev
#   miniaudio.h         the github.com/gen2brain/malgo module (v0.11.24),
#                       placed as miniaudio/miniaudio.h
# A cold build takes several minutes on 2 cores; later ones use Go's cache.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${OLLAMA_VERSION:-v0.17.4}
out=$PWD/bin/ollama-bench
for h in /usr/include/nlohmann/json.hpp /usr/include/stb/stb_image.h; do
	if [[ ! -f $h ]]; then
		echo "bench/ollama.sh: $h missing (apt-get install nlohmann-json3-dev libstb-dev)" >&2
		exit 1
	fi
done
inc=$PWD/.cache/ollama-include
mkdir -p "$inc/miniaudio" bin
if [[ ! -f $inc/miniaudio/miniaudio.h ]]; then
	malgo=$(cd "$(mktemp -d)" && go mod init x >/dev/null 2>&1 &&
		go mod download -json github.com/gen2brain/malgo@v0.11.24 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
	cp "$malgo/miniaudio.h" "$inc/miniaudio/"
fi
CGO_ENABLED=1 CGO_CPPFLAGS="-I$inc -I/usr/include/stb" CGO_CFLAGS="-O3 -march=native" \
	CGO_CXXFLAGS="-O3 -march=native -Wno-stringop-overflow" GOBIN=$PWD/.cache/ollama-bin \
	go install -trimpath "github.com/ollama/ollama@$version" >&2
cp .cache/ollama-bin/ollama "$out"
echo "$out"
