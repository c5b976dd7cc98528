# shellcheck shell=bash
# cmdr shell integration for bash (4.1 or newer).
# Load it from ~/.bashrc with:   eval "$(cmdr init bash)"
# or source the file `cmdr init bash --save` writes (no process at start-up).
#
# Keys:     Ctrl-G  the line, or "# request", becomes a command (cmdr-rewrite)
#           Alt-E   explains the line below the prompt (cmdr-explain)
# Settings, read when this is loaded:
#   CMDR_KEY_REWRITE   key for cmdr-rewrite in readline syntax (default \C-g; "" to leave unbound)
#   CMDR_KEY_EXPLAIN   key for cmdr-explain (default \ee; "" to leave unbound)
#   CMDR_HASH_ENTER    0 leaves Enter alone ("# request" + Enter rewrites otherwise)
#   CMDR_TYPEAHEAD     0 stops the agent from reading a "# request" as it is typed
#   CMDR_STREAM        0 shows "thinking" instead of the command as it is generated
# Private names start with __cmdr_. Nothing here runs a suggested command:
# it is only put on the line for you to edit and run.

[[ $- == *i* ]] || return 0
# BASH_VERSION, not the read-only BASH_VERSINFO, so that a test can stand in
# for a bash too old to install.
# 4.1 is the first to name a free descriptor ({fd}<...).
if [[ ${BASH_VERSION%%.*} -lt 4 || ${BASH_VERSION%%.*} -eq 4 && ${BASH_VERSION#4.} == 0* ]]; then
	builtin printf 'cmdr: bash 4.1 or newer is needed (this is %s); shell integration not loaded\n' "$BASH_VERSION" >&2
	return 0
fi
# (cmdr init --save puts a freshness check here)
[[ -n ${__cmdr_loaded-} ]] && return 0
__cmdr_loaded=1

__cmdr_bin=cmdr
__cmdr_scratch=''
__cmdr_last_status=0
__cmdr_shown=''
__cmdr_alts=()
__cmdr_alt_i=0
__cmdr_fetched=0
__cmdr_req_text=''
__cmdr_prefilled=''
__cmdr_int=0
__cmdr_out=''
__cmdr_rc=''


# Runs first in PROMPT_COMMAND: a few assignments, no process, and it
# hands the status on unchanged to whatever runs after it. A command ran,
# so the context changed: a line typed as before is read again.
#
# $? is the command's only where nothing ran before this: first in
# PROMPT_COMMAND (or in an element of it, which bash from 5.1 on and
# ble.sh each start with the command's status), run by bash itself or by
# ble.sh's evaluator. A tool loaded after cmdr may put its own hook first
# (an older zoxide's ends with a test, so $? is 0), or take PROMPT_COMMAND
# over and run what it held from inside a function (starship, where $? is
# its own test's): then this moves itself to the front again, once, and
# from the next prompt on sees the command's.
__cmdr_precmd() {
	local status=$? c
	__cmdr_prefilled=''
	if ((${#FUNCNAME[@]} == 1)) || [[ ${FUNCNAME[1]} == ble[-/]* ]]; then
		# Glob patterns: bash compiles a regex at every match.
		for c in "${PROMPT_COMMAND[@]}"; do
			if [[ $c == __cmdr_precmd || $c == __cmdr_precmd[\;[:space:]]* ]]; then
				__cmdr_last_status=$status
				return "$status"
			fi
		done
	fi
	if ((!__cmdr_refirst)); then
		__cmdr_refirst=1
		__cmdr_precmd_first
	fi
	return "$status"
}
# PROMPT_COMMAND can be an array from bash 5.1 on; ${var@a} (bash 4.4+)
# tells without starting a subshell. (bash runs a copy of the array, so
# changing it from inside is safe.) The hook is taken out of where it was,
# in the form it was put there, so that it runs once.
__cmdr_precmd_first() {
	local c array=0
	local -a kept=() all=("${PROMPT_COMMAND-}")
	if ((BASH_VERSINFO[0] >= 5)) && [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
		array=1 all=("${PROMPT_COMMAND[@]}")
	fi
	for c in "${all[@]}"; do
		c=${c//__cmdr_precmd; /}
		c=${c%__cmdr_precmd}
		[[ -z $c ]] || kept+=("$c")
	done
	if ((array)); then
		PROMPT_COMMAND=(__cmdr_precmd ${kept[@]+"${kept[@]}"})
	else
		# shellcheck disable=SC2178 # here PROMPT_COMMAND is a string
		PROMPT_COMMAND="__cmdr_precmd${kept[0]:+; ${kept[0]}}"
	fi
}
__cmdr_refirst=0
__cmdr_precmd_first

# __cmdr_say MESSAGE: one line below the prompt; readline redraws the
# prompt and the line after a bind -x function returns.
__cmdr_say() {
	builtin printf '%s\n' "cmdr: $1" >&2
}

# __cmdr_scratch_file VAR: this shell's file in the scratch directory, in
# VAR, or "" when the directory is not there or not this user's own: a
# saved script (cmdr init --save) outlives the runtime directory, which a
# reboot empties and, under /tmp, anyone could create first.
__cmdr_scratch_file() {
	if [[ -n $__cmdr_scratch && -d $__cmdr_scratch && -O $__cmdr_scratch && ! -L $__cmdr_scratch ]]; then
		builtin printf -v "$1" '%s' "$__cmdr_scratch/bind.$$"
	else
		builtin printf -v "$1" ''
	fi
}

# __cmdr_session TEXT: the session's context for request TEXT as cmdr
# suggest flags, in __cmdr_args.
__cmdr_session() {
	local hist='' line last_cmd='' n c f
	local -a cmds=()
	__cmdr_scratch_file f
	__cmdr_args=()
	# The last commands, for context and fixes. fc -1 skips the newest
	# entry as if it were running, so ask history; an entry's further
	# lines come unnumbered. Through a file, like the bind query below:
	# $(...) would fork.
	if [[ -n $f ]] && { HISTTIMEFORMAT='' builtin history 5 >"$f"; } 2>/dev/null; then
		while IFS= read -r line; do
			hist+=$line$'\n'
		done <"$f"
	else
		hist=$(HISTTIMEFORMAT='' builtin history 5)
	fi
	while IFS= read -r line; do
		if [[ $line =~ ^[[:space:]]*[0-9]+\*?[[:space:]]+(.*)$ ]]; then
			cmds+=("${BASH_REMATCH[1]}")
		elif ((${#cmds[@]})); then
			cmds[${#cmds[@]} - 1]+=$'\n'$line
		fi
	done <<<"${hist%$'\n'}"
	# A "# request" sent by Enter is in history already.
	n=${#cmds[@]}
	if ((n)) && [[ ${cmds[n - 1]} == "$1" ]]; then
		unset 'cmds[n - 1]'
		n=$((n - 1))
	fi
	if ((n)); then
		last_cmd=${cmds[n - 1]}
		unset 'cmds[n - 1]'
	fi
	# ${a[@]+...}: bash before 4.4 calls an empty array unset under set -u.
	for c in ${cmds[@]+"${cmds[@]}"}; do
		__cmdr_args+=(--recent "$c")
	done
	__cmdr_args+=(--last-status "$__cmdr_last_status" --last-command "$last_cmd")
}

# __cmdr_job TTY CMDR SUBCOMMAND ARGS...: runs a cmdr command; sets
# __cmdr_out to what it printed (TTY 0: stdout and stderr; TTY 1: nothing,
# cmdr prints to the terminal), and __cmdr_rc to 130 once a Ctrl-C has set
# __cmdr_int.
#
# cmdr runs in a process substitution, its pid then its output coming
# through the pipe, read a little at a time so that the trap's flag is
# seen within 50 ms wherever the Ctrl-C lands (one that came just before
# the wait builtin used to be lost: wait only stops for a signal that
# arrives while it waits). This shell never waits for cmdr: a child killed
# by the signal (one that lands before cmdr has set up its handler) makes
# bash's wait restore the terminal settings it saved before readline took
# the terminal, and readline then reads a cooked terminal, deaf to the
# keys until Enter. cmdr --own-group leaves this shell's process group at
# once, so that a Ctrl-C reaches only this shell and the trap; Ctrl-Z and
# a write to the terminal under stty tostop are ignored for the moment
# before that (stopped, cmdr would hold the pipe open).
__cmdr_job() {
	local tty=$1 line rest pid='' fd st
	shift
	__cmdr_out='' __cmdr_rc=''
	if command exec {fd}< <(
		builtin trap '' TSTP TTOU
		builtin printf 'pid\t%s\n' "$BASHPID"
		# Printing to the terminal itself (it colours what it prints there),
		# cmdr still holds the pipe till it ends: as its standard input,
		# which it never reads and which its own children never inherit.
		((tty)) && builtin exec "$1" "$2" --own-group "${@:3}" <&1 >&2
		builtin exec "$1" "$2" --own-group "${@:3}" 2>&1 </dev/null
	); then
		while :; do
			# A line's first character under the timeout, then the rest
			# without one: cmdr writes each line whole. A timed read of a
			# whole line can lose its newline: bash checks the clock after
			# reading the delimiter and, past the deadline, returns what came
			# before it as a timeout, the newline gone (two lines then read
			# as one). -N takes a newline as any other character, and a
			# timeout keeps the characters it read.
			IFS= read -r -N 1 -t 0.05 -u "$fd" line
			st=$?
			if [[ -n $line ]]; then
				st=0
				if [[ $line == $'\n' ]]; then
					line=''
				else
					IFS= read -r -u "$fd" rest
					st=$?
					line+=$rest
				fi
				if [[ -z $pid ]]; then
					pid=${line#pid$'\t'}
				elif [[ $line == part$'\t'* ]]; then
					((__cmdr_room)) && __cmdr_show_part "${line#part$'\t'}"
				else
					__cmdr_out+=$line$'\n'
				fi
			fi
			((st == 0 || st > 128)) || break
			# After a line too: one comes every few milliseconds while a
			# fast model streams.
			if ((${__cmdr_int:-0})); then
				# The pid comes first and at once. cmdr cancels its request
				# and is left to end alone.
				[[ -n $pid ]] || { IFS= read -r -t 1 -u "$fd" line && pid=${line#pid$'\t'}; }
				[[ $pid =~ ^[1-9][0-9]*$ ]] && builtin kill -INT "$pid" 2>/dev/null
				break
			fi
		done
		# command exec, not builtin exec (both pass over a function named
		# exec): a redirection on the builtin builtin is undone when it
		# returns, so "builtin exec {fd}<&-" closed nothing, and every
		# request left its pipe open in this shell (and a cancelled cmdr
		# that ignored the signal, writing into it, alive).
		command exec {fd}<&-
		__cmdr_out=${__cmdr_out%$'\n'}
	elif ((tty)); then
		# No pipe (out of descriptors): in the foreground, which bash waits
		# for; the trap still keeps the line.
		command "$@" </dev/null >&2
		__cmdr_rc=$?
	else
		# The same, through a command substitution. A Ctrl-C that lands
		# between the caller's check and the fork is seen inside it (a later
		# one reaches the subshell or cmdr itself, which both stop).
		__cmdr_out=$( ((${__cmdr_int:-0})) && exit 130
			command "$@" 2>&1 </dev/null)
		__cmdr_rc=$?
	fi
	((${__cmdr_int:-0})) && __cmdr_rc=130
	return 0
}

# __cmdr_ask TEXT [N]: fills __cmdr_reply (command, then alternatives) and
# __cmdr_risk, or returns 1 with the reason in __cmdr_err.
__cmdr_ask() {
	local line
	__cmdr_err='' __cmdr_risk='' __cmdr_reply=()
	__cmdr_session "$1"
	# A Ctrl-C until now only set the flag: it must stop the request from
	# starting, so it is checked last.
	if ((${__cmdr_int:-0})); then
		__cmdr_err='cancelled'
		return 1
	fi
	# The command comes as it is generated only where it can be shown.
	local -a stream=()
	((__cmdr_room)) && [[ ${CMDR_STREAM:-1} != 0 ]] && stream=(--stream)
	__cmdr_job 0 "$__cmdr_bin" suggest --format shell --shell bash ${stream[@]+"${stream[@]}"} \
		--alternatives "${2:-0}" "${__cmdr_args[@]}" -- "$1"
	while IFS= read -r line; do
		case $line in
		cmd$'\t'* | alt$'\t'*) __cmdr_reply+=("${line#*$'\t'}") ;;
		risk$'\t'*) __cmdr_risk=${line#*$'\t'} ;;
		err$'\t'*) __cmdr_err=${line#*$'\t'} ;;
		esac
	done <<<"$__cmdr_out"
	if [[ $__cmdr_rc == 130 ]]; then
		__cmdr_err='cancelled'
		return 1
	fi
	# The exit status is known only without the pipe; cmdr says how it
	# failed in an err line, or in its last line.
	if [[ -n $__cmdr_err || ${__cmdr_rc:-0} != 0 || ${#__cmdr_reply[@]} == 0 ]]; then
		line=${__cmdr_out##*$'\n'}
		[[ -n $__cmdr_err ]] || __cmdr_err="cmdr failed${__cmdr_rc:+ (exit $__cmdr_rc)}: ${line:-it ended without an answer}"
		return 1
	fi
}

# __cmdr_trapped CMD...: runs CMD with Ctrl-C setting __cmdr_int and
# stopping only what CMD started: while a trap is set, bash runs it
# instead of making readline discard the typed line.
__cmdr_trapped() {
	local old_int rc
	old_int=$(builtin trap -p INT)
	# A Ctrl-C that comes before a request has started must stop it from
	# starting: nothing would be left to cancel it.
	__cmdr_int=0
	builtin trap '__cmdr_int=1' INT
	# ble.sh reads Ctrl-C as a key (it undefines the terminal's intr
	# character), also while a widget runs: it is given back for the
	# request, and taken away again after.
	[[ -n ${BLE_ATTACHED-} ]] && command stty intr '^C' 2>/dev/null
	"$@"
	rc=$?
	[[ -n ${BLE_ATTACHED-} ]] && command stty intr undef 2>/dev/null
	builtin eval "${old_int:-builtin trap - INT}"
	return "$rc"
}

# __cmdr_ask_busy WHAT TEXT [N]: __cmdr_ask with an indicator. Widgets run
# it under __cmdr_trapped, so Ctrl-C kills only the request, and the trap
# is in before the indicator shows: a Ctrl-C it prompts is always caught.
# The indicator is drawn on the line's row, which readline clears while a
# widget runs (save, print, restore), and redraws when the widget returns.
# Autowrap is off while it is drawn: on a narrow terminal it is cut at the
# row's end instead of wrapping onto a row nothing would clean.
__cmdr_ask_busy() {
	local rc
	builtin printf '\0337\033[?7l cmdr: %s...\033[?7h\0338' "$1" >&2
	__cmdr_room=0
	if [[ $1 == thinking ]] && ((${COLUMNS:-80} >= 20)); then
		__cmdr_room=$((${COLUMNS:-80} - 8))
	fi
	__cmdr_ask "$2" "${3:-0}"
	rc=$?
	__cmdr_room=0
	builtin printf '\033[K' >&2
	return "$rc"
}

# readline applies a widget's edits to the line only when it returns, so
# the command as it is generated ("part" lines of cmdr suggest --stream)
# is drawn in the indicator instead. readline clears the line before it
# runs a widget, so the indicator starts at the left edge: __cmdr_room is
# the room on that row, 0 where nothing is to be drawn.
__cmdr_room=0
__cmdr_show_part() {
	local text=${1//[[:cntrl:]]/ }
	((${#text} <= __cmdr_room)) || text=...${text: -$((__cmdr_room - 3))}
	builtin printf '\0337\033[K cmdr: %s\0338' "$text" >&2
}

__cmdr_rewrite() {
	local text=$READLINE_LINE
	# Ctrl-G again on an unedited suggestion: the next alternative, asked
	# for only now, since each costs a generation.
	if [[ -n $__cmdr_shown && $READLINE_LINE == "$__cmdr_shown" ]]; then
		if ((${#__cmdr_alts[@]} <= 1 && ! __cmdr_fetched)); then
			if ! __cmdr_trapped __cmdr_ask_busy 'finding alternatives' "$__cmdr_req_text" 3; then
				__cmdr_say "$__cmdr_err"
				return 0
			fi
			__cmdr_alts=("${__cmdr_reply[@]}")
			__cmdr_fetched=1
			__cmdr_alt_i=0
		fi
		if ((${#__cmdr_alts[@]} <= 1)); then
			__cmdr_say "no other suggestion"
			return 0
		fi
		__cmdr_alt_i=$(((__cmdr_alt_i + 1) % ${#__cmdr_alts[@]}))
		READLINE_LINE=${__cmdr_alts[__cmdr_alt_i]}
		READLINE_POINT=${#READLINE_LINE}
		__cmdr_shown=$READLINE_LINE
		return 0
	fi
	if [[ -z ${text//[[:space:]]/} ]]; then
		if ((__cmdr_last_status == 0)); then
			__cmdr_say "type a request first (or press Ctrl-G on an empty line after a failed command)"
			return 0
		fi
		text=''
	fi
	if ! __cmdr_trapped __cmdr_ask_busy thinking "$text"; then
		__cmdr_say "$__cmdr_err"
		return 0
	fi
	__cmdr_alts=("${__cmdr_reply[@]}")
	__cmdr_alt_i=0
	__cmdr_fetched=0
	__cmdr_req_text=$text
	READLINE_LINE=${__cmdr_reply[0]}
	READLINE_POINT=${#READLINE_LINE}
	__cmdr_shown=$READLINE_LINE
	if [[ -n $__cmdr_risk ]]; then
		__cmdr_say "⚠ ${__cmdr_risk/$'\t'/: }"
	fi
	return 0
}

__cmdr_explain() {
	if [[ -z ${READLINE_LINE//[[:space:]]/} ]]; then
		__cmdr_say "nothing to explain"
		return 0
	fi
	# Ctrl-C stops the explanation and keeps the line.
	__cmdr_trapped __cmdr_job 1 "$__cmdr_bin" explain --shell bash -- "$READLINE_LINE"
}

# Enter is a macro of two keys: the first runs __cmdr_enter, which binds the
# second to accept-line, or (for a "# request" line it has rewritten) to a
# plain redraw. The shell itself runs every command, so history and
# everything else behave as before.
__cmdr_enter() {
	if [[ ${CMDR_HASH_ENTER:-1} != 0 && $READLINE_LINE =~ ^#[[:space:]] ]]; then
		builtin history -s -- "$READLINE_LINE"
		__cmdr_bindcall '"\C-x\C-c\C-b": redraw-current-line'
		__cmdr_rewrite
	else
		__cmdr_bindcall '"\C-x\C-c\C-b": accept-line'
	fi
}

# ble.sh replaces readline with its own line editor and reads readline's
# key bindings once, when the first `bind` goes through its own function
# of that name (another tool's, or its attach): a `builtin bind` after that
# changes nothing it uses, and the Enter macro's second key would run the
# rewritten line. Under it, bindings go through its function.
__cmdr_bindcall() {
	if [[ -n ${BLE_VERSION-} ]] && declare -F bind >/dev/null; then
		bind "$@"
	else
		builtin bind "$@"
	fi
}

# Type-ahead: at each space typed in a "# request" line, or in a line
# whose first word is letters only and names nothing this shell can run
# (a request about to get Ctrl-G: "list big files"), the agent starts
# reading the request so far in the background (cmdr suggest --prefill),
# so Enter or Ctrl-G pays only for the words typed after it. The space
# after "#" sends a request with no words: the agent reads the context,
# which changes with every command run, while the first word is typed.
# Space is a macro: this function (which sees the line before the space),
# then the space inserted by readline itself. The job's "[1] 1234" line
# goes to /dev/null with the group's stderr, and disown spares the "Done"
# line; one fork is all a space costs, and only on such lines.
__cmdr_typeahead() {
	[[ $READLINE_LINE != "$__cmdr_prefilled" ]] || return 0
	if [[ ! $READLINE_LINE =~ ^#([[:space:]]+[^[:space:]]|$) ]]; then
		local w=${READLINE_LINE%%[[:space:]]*}
		[[ $w =~ ^[[:alpha:]]+$ ]] || return 0
		# type -t knows aliases, keywords, functions, builtins and PATH.
		if builtin type -t -- "$w" >/dev/null 2>&1; then
			__cmdr_reads_as_request "$w" "$READLINE_LINE" || return 0
		fi
	fi
	__cmdr_prefilled=$READLINE_LINE
	__cmdr_session "$READLINE_LINE"
	{ command "$__cmdr_bin" suggest --prefill --shell bash "${__cmdr_args[@]}" -- "$READLINE_LINE" </dev/null >/dev/null 2>&1 & } 2>/dev/null
	builtin disown $! 2>/dev/null
}

# __cmdr_reads_as_request WORD LINE: whether LINE, whose first word WORD
# runs something, still reads as a request ("find all big files", "kill
# the process on port 80"): three or more words of letters only, one
# after the first an English function word that commands seldom take as
# an argument, or the line type-ahead last sent with more words after it
# (paths and quotes may follow). echo's arguments are prose by nature.
# Over the tldr pages' 5,433 example commands that start with a command,
# 3 would be sent; of the public dev set's requests, typed in lower case,
# a third start with a command (print, find, sort, kill...), and 2 in 3
# of those read as requests, on average 41 % of the way in
# (docs/BENCHMARKS.md).
__cmdr_reads_as_request() {
	local sent=${__cmdr_prefilled%"${__cmdr_prefilled##*[^[:space:]]}"}
	[[ -n $sent && $2 == "$sent"[[:space:]]* ]] && return 0
	[[ $1 != echo && $2 =~ ^[[:alpha:]]+([[:space:]]+[[:alpha:]]+){2,}[[:space:]]*$ ]] || return 1
	local rest=" ${2#*[[:space:]]} "
	[[ ${rest,,} =~ [[:space:]](${__cmdr_function_words})[[:space:]] ]]
}
__cmdr_function_words='the|a|an|my|all|every|each|any|that|which|whose|than|of|from|into|named|called|containing'

# __cmdr_bound MAP FUNCTION: the keys that run FUNCTION in MAP, in REPLY.
# The answer goes through a file in cmdr's private runtime directory
# (cmdr init and the agent remove those of exited shells): $(...) would
# fork, which costs milliseconds of every new shell's start-up.
__cmdr_bound() {
	local f
	__cmdr_scratch_file f
	REPLY=''
	if [[ -n $f ]] && { : >"$f"; } 2>/dev/null; then
		__cmdr_bindcall -m "$1" -q "$2" >"$f" 2>/dev/null || :
		IFS= read -r REPLY <"$f" || :
	else
		REPLY=$(__cmdr_bindcall -m "$1" -q "$2" 2>/dev/null)
	fi
}

__cmdr_bind() {
	local key_rewrite=${CMDR_KEY_REWRITE-'\C-g'} key_explain=${CMDR_KEY_EXPLAIN-'\ee'} map REPLY
	for map in emacs vi-insert; do
		[[ -n $key_rewrite ]] && __cmdr_bindcall -m "$map" -x "\"$key_rewrite\": __cmdr_rewrite"
		[[ -n $key_explain ]] && __cmdr_bindcall -m "$map" -x "\"$key_explain\": __cmdr_explain"
		# Space is wrapped only where it still inserts a space: another
		# binding (magic-space, an abbreviation tool) is left alone.
		if [[ ${CMDR_TYPEAHEAD:-1} != 0 ]]; then
			__cmdr_bound "$map" self-insert
			if [[ $REPLY == *'" "'* ]]; then
				__cmdr_bindcall -m "$map" -x '"\C-x\C-c\C-d": __cmdr_typeahead'
				__cmdr_bindcall -m "$map" '"\C-x\C-c\C-e": quoted-insert'
				__cmdr_bindcall -m "$map" '" ": "\C-x\C-c\C-d\C-x\C-c\C-e "'
			fi
		fi
		[[ ${CMDR_HASH_ENTER:-1} != 0 ]] || continue
		# Enter is wrapped only where it still means accept-line; another
		# tool's Enter binding is left alone.
		__cmdr_bound "$map" accept-line
		if [[ $REPLY == *'\C-m'* ]]; then
			__cmdr_bindcall -m "$map" -x '"\C-x\C-c\C-a": __cmdr_enter'
			__cmdr_bindcall -m "$map" '"\C-x\C-c\C-b": accept-line'
			__cmdr_bindcall -m "$map" '"\C-m": "\C-x\C-c\C-a\C-x\C-c\C-b"'
		fi
	done
}
__cmdr_bind
unset -f __cmdr_bind __cmdr_bound

# `cmdr explain` with no command explains this session's previous command
# (while a command line runs, fc -1 is the one before it).
cmdr() {
	if [[ $1 == explain && $# -eq 1 ]]; then
		local prev
		prev=$(builtin fc -ln -1 -1 2>/dev/null)
		prev=${prev#"${prev%%[![:space:]]*}"}
		if [[ -n $prev ]]; then
			CMDR_HOOK_SHELL=bash command "$__cmdr_bin" explain -- "$prev"
			return
		fi
	fi
	# The variable tells `cmdr doctor` that this shell loaded cmdr.
	CMDR_HOOK_SHELL=bash command "$__cmdr_bin" "$@"
}
