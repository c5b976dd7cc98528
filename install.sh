#!/bin/sh
# cmdr installer. From a checkout of cmdr:
#
#   ./install.sh [--portable] [--no-modify-rc] [--systemd] [--model REF | --no-model]
#   ./install.sh --uninstall [--remove-models]
#
#   --portable       build for x86-64-v3 instead of this CPU (to copy elsewhere)
#   --bin PATH       install this cmdr binary instead of building one
#   --no-modify-rc   do not save the shell scripts or add the lines that load
#                    them to your shells' startup files
#   --systemd        install and start the agent as a systemd user service
#   --model REF      download this model (cmdr model pull REF)
#   --no-model       do not offer to download or pick a model
#   --uninstall      undo everything an install did; models stay unless
#   --remove-models  is given too
#
# It installs cmdr into $PREFIX/bin (default ~/.local/bin), adds one marked
# block to ~/.bashrc, ~/.zshrc and fish's config.fish for the shells that
# are installed (with a backup, and shows the change), and records what it
# did so --uninstall can undo it exactly. Running it again changes nothing
# that is already done.
set -eu

PREFIX=${PREFIX:-"$HOME/.local"}
DATA=${XDG_DATA_HOME:-"$HOME/.local/share"}/cmdr
STATE=$DATA/install-state
portable=0 modify_rc=1 systemd=0 model='' ask_model=1 uninstall=0 remove_models=0 bin=''

say() { printf '%s\n' "$*"; }
die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--portable) portable=1 ;;
	--no-modify-rc) modify_rc=0 ;;
	--systemd) systemd=1 ;;
	--model)
		[ $# -ge 2 ] || die "--model needs a reference, like Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M"
		model=$2
		shift
		;;
	--no-model) ask_model=0 ;;
	--bin)
		[ $# -ge 2 ] || die "--bin needs the path of a cmdr binary"
		bin=$2
		shift
		;;
	--uninstall) uninstall=1 ;;
	--remove-models) remove_models=1 ;;
	-h | --help)
		sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) die "unknown option $1 (try --help)" ;;
	esac
	shift
done

# record KIND PATH [EXTRA]: remember a change for --uninstall (once).
record() {
	mkdir -p "$DATA"
	line="$1	$2	${3:-}"
	if [ ! -f "$STATE" ] || ! grep -qxF "$line" "$STATE"; then
		printf '%s\n' "$line" >>"$STATE"
	fi
}

BEGIN_MARK='# >>> cmdr >>> (added by cmdr install.sh; ./install.sh --uninstall removes it)'
END_MARK='# <<< cmdr <<<'

# add_block FILE LINE: append the marked block to FILE, or bring the line
# of a block an older install added up to date (the eval form of earlier
# versions becomes the saved script's source line).
add_block() {
	file=$1
	if [ -f "$file" ] && grep -qF "$END_MARK" "$file"; then
		if awk -v b="$BEGIN_MARK" -v l="$2" '
			$0 == b { inside = 1; next }
			inside { if ($0 != l) differs = 1; inside = 0 }
			END { exit !differs }' "$file"; then
			tmp=$file.cmdr-tmp
			awk -v b="$BEGIN_MARK" -v e="$END_MARK" -v l="$2" '
				$0 == b { print; print l; skip = 1; next }
				skip && $0 == e { skip = 0 }
				skip { next }
				{ print }' "$file" >"$tmp"
			cat "$tmp" >"$file"
			rm -f "$tmp"
			say "  $file: updated the line to: $2"
		else
			say "  $file: already set up"
		fi
		return
	fi
	created=0 nl=0
	if [ ! -e "$file" ]; then
		mkdir -p "$(dirname "$file")"
		: >"$file"
		created=1
	else
		cp -p "$file" "$file.cmdr-backup"
	fi
	# A last line without a newline gets one, and uninstall takes it away.
	if [ -s "$file" ] && [ "$(tail -c 1 "$file" | od -An -c | tr -d ' ')" != '\n' ]; then
		printf '\n' >>"$file"
		nl=1
	fi
	printf '%s\n%s\n%s\n' "$BEGIN_MARK" "$2" "$END_MARK" >>"$file"
	record rc "$file" "$created$nl"
	if [ "$created" = 1 ]; then
		say "  created $file with:"
	else
		say "  added to $file (backup: $file.cmdr-backup):"
	fi
	printf '    + %s\n' "$BEGIN_MARK" "$2" "$END_MARK"
}

# remove_block FILE FLAGS: take the block out again, and the newline added
# before it, or the whole file if install created it.
remove_block() {
	file=$1 created=$(printf '%s' "$2" | cut -c1) nl=$(printf '%s' "$2" | cut -c2)
	[ -f "$file" ] || return 0
	tmp=$file.cmdr-tmp
	awk -v b="$BEGIN_MARK" -v e="$END_MARK" -v nl="$nl" '
		$0 == b { skip = 1; next }
		skip && $0 == e { skip = 0; next }
		skip { next }
		{ lines[++n] = $0 }
		END {
			for (i = 1; i <= n; i++) {
				if (i < n || nl != 1) printf "%s\n", lines[i]
				else printf "%s", lines[i]
			}
		}' "$file" >"$tmp"
	if [ "$created" = 1 ] && [ ! -s "$tmp" ]; then
		rm -f "$file" "$tmp"
		say "  removed $file (install created it)"
	else
		cat "$tmp" >"$file"
		rm -f "$tmp"
		say "  removed cmdr's lines from $file"
	fi
	rm -f "$file.cmdr-backup"
}

if [ "$uninstall" = 1 ]; then
	[ -f "$STATE" ] || die "nothing to uninstall: $STATE does not exist"
	say "uninstalling cmdr"
	while IFS='	' read -r kind path extra; do
		case $kind in
		unit)
			if command -v systemctl >/dev/null 2>&1; then
				systemctl --user disable --now cmdr-agent.service >/dev/null 2>&1 || true
			fi
			rm -f "$path"
			say "  removed $path"
			;;
		bin)
			if [ -x "$path" ]; then "$path" stop >/dev/null 2>&1 || true; fi
			rm -f "$path"
			say "  removed $path"
			;;
		file)
			rm -f "$path"
			say "  removed $path"
			;;
		rc) remove_block "$path" "$extra" ;;
		esac
	done <"$STATE"
	rm -f "$STATE"
	if [ "$remove_models" = 1 ]; then
		rm -rf "$DATA/models"
		say "  removed the models cmdr downloaded ($DATA/models)"
	else
		[ -d "$DATA/models" ] && say "  kept your models in $DATA/models (--remove-models deletes them)"
	fi
	rmdir "$DATA" 2>/dev/null || true
	exit 0
fi

# Build, unless a binary was given (a relative path is the caller's).
case $bin in
'' | /*) ;;
*) bin=$PWD/$bin ;;
esac
cd "$(dirname "$0")"
if [ -z "$bin" ]; then
	need() {
		command -v "$1" >/dev/null 2>&1 || die "$1 is required: $2"
	}
	need go "install Go 1.26 or newer (your package manager, or https://go.dev/dl)"
	need cc "install a C compiler (Debian/Ubuntu: sudo apt install gcc g++)"
	need c++ "install a C++ compiler (Debian/Ubuntu: sudo apt install g++)"
	need make "install make (Debian/Ubuntu: sudo apt install make)"
	say "building cmdr (the first build compiles llama.cpp: a few minutes)"
	if [ "$portable" = 1 ]; then
		make build PORTABLE=1
	else
		make build
	fi
	bin=bin/cmdr
fi
[ -x "$bin" ] || die "$bin is not an executable cmdr"
target=$PREFIX/bin/cmdr
mkdir -p "$PREFIX/bin"
if [ ! -f "$target" ] || ! cmp -s "$bin" "$target"; then
	cp "$bin" "$target.tmp"
	chmod 0755 "$target.tmp"
	mv "$target.tmp" "$target"
fi
record bin "$target"
say "cmdr installed: $target"
if [ -f docs/cmdr.1 ]; then
	mkdir -p "$PREFIX/share/man/man1"
	cp docs/cmdr.1 "$PREFIX/share/man/man1/cmdr.1"
	record file "$PREFIX/share/man/man1/cmdr.1"
fi
case ":$PATH:" in
*":$PREFIX/bin:"*) ;;
*) say "  note: $PREFIX/bin is not on your PATH; the shell lines below use the full path" ;;
esac

if [ "$modify_rc" = 1 ]; then
	say "shell integration:"
	# The script is saved and sourced: no cmdr process starts with each
	# shell (cmdr init --help), and it renews itself after an upgrade.
	saved() {
		"$target" init "$1" --save --file "$DATA/init.$1" || die "could not save the $1 script"
		record file "$DATA/init.$1"
	}
	if command -v bash >/dev/null 2>&1; then
		line=$(saved bash)
		add_block "$HOME/.bashrc" "$line"
	fi
	if command -v zsh >/dev/null 2>&1; then
		line=$(saved zsh)
		add_block "${ZDOTDIR:-$HOME}/.zshrc" "$line"
	fi
	if command -v fish >/dev/null 2>&1; then
		line=$(saved fish)
		add_block "${XDG_CONFIG_HOME:-$HOME/.config}/fish/config.fish" "$line"
	fi
fi

if [ "$systemd" = 1 ]; then
	unit=$("$target" agent --install-systemd | sed -n 's/^wrote \(.*\)$/\1/p')
	[ -n "$unit" ] || die "could not write the systemd unit"
	record unit "$unit"
	if command -v systemctl >/dev/null 2>&1 && systemctl --user daemon-reload 2>/dev/null; then
		systemctl --user enable --now cmdr-agent.service && say "agent: running as a systemd user service"
	else
		say "agent: unit written to $unit; enable it with: systemctl --user enable --now cmdr-agent"
	fi
fi

# A model: the one asked for, or an offer on a terminal.
if [ -n "$model" ]; then
	"$target" model pull "$model"
elif [ "$ask_model" = 1 ] && [ -t 0 ] && [ -t 1 ]; then
	if "$target" model list 2>/dev/null | grep -q '^\*'; then
		: # a model is configured already
	elif found=$("$target" model list --json 2>/dev/null | sed -n 's/.*"name": *"\([^"]*\)".*/\1/p' | head -n 1) && [ -n "$found" ]; then
		printf 'use the model found on this machine, %s? [Y/n] ' "$found"
		read -r answer || answer=n
		case $answer in [nN]*) ;; *) "$target" model use "$found" ;; esac
	else
		printf 'download the recommended model (about 1 GiB)? [y/N] '
		read -r answer || answer=n
		case $answer in [yY]*) "$target" model pull ;; esac
	fi
fi

say ""
say "Open a new shell, then try:"
say "  # find files over 100 MB      (type it, press Enter: the line becomes a command)"
say "  tar xzf a.tgz  + Alt-E       (explains the line),   cmdr doctor   (checks the setup)"
