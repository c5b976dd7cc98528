#!/bin/sh
# cmdr installer: builds cmdr from this checkout with native CPU flags and
# installs it into $PREFIX/bin (default ~/.local/bin).
#
#   ./install.sh [--portable]
#
# Shell integration, the systemd unit and model download are added to this
# script as those parts of cmdr land.
set -eu

PREFIX=${PREFIX:-"$HOME/.local"}
portable=0
for arg in "$@"; do
	case $arg in
	--portable) portable=1 ;;
	-h | --help)
		sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "install.sh: unknown option $arg (try --help)" >&2
		exit 2
		;;
	esac
done

need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "install.sh: $1 is required: $2" >&2
		exit 1
	fi
}
need go "install Go 1.26 or newer from your package manager or go.dev/dl"
need cc "install a C compiler (Debian/Ubuntu: apt install gcc g++)"
need c++ "install a C++ compiler (Debian/Ubuntu: apt install g++)"
need make "install make (Debian/Ubuntu: apt install make)"

cd "$(dirname "$0")"
if [ "$portable" = 1 ]; then
	make build PORTABLE=1
else
	make build
fi
make install PREFIX="$PREFIX"
echo "cmdr installed to $PREFIX/bin/cmdr"
case ":$PATH:" in
*":$PREFIX/bin:"*) ;;
*) echo "note: $PREFIX/bin is not on your PATH" ;;
esac
