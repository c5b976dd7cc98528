# cmdr shell integration for zsh (5.3 or newer).
# Load it from ~/.zshrc with:   eval "$(cmdr init zsh)"
# or source the file `cmdr init zsh --save` writes (no process at start-up).
#
# Widgets:  cmdr-rewrite  (Ctrl-G)  the line, or "# request", becomes a command,
#                                   drawn into the line as it is generated
#           cmdr-explain  (Alt-E)   explains the line below the prompt
# Settings, read when this is loaded:
#   CMDR_KEY_REWRITE   key for cmdr-rewrite (default ^G; "" to leave unbound)
#   CMDR_KEY_EXPLAIN   key for cmdr-explain (default ^[e; "" to leave unbound)
#   CMDR_HASH_ENTER    0 stops Enter from rewriting "# request" lines
#   CMDR_TYPEAHEAD     0 stops the agent from reading a "# request" as it is typed
#   CMDR_STREAM        0 shows the command only when it is whole
# Private names start with __cmdr_. Nothing here runs a suggested command:
# it is only put on the line for you to edit and run.

[[ -o interactive ]] || return 0
# Compared by hand: autoloading is-at-least reads a file, a few ms of every
# shell's start-up.
if (( ${ZSH_VERSION%%.*} < 5 || ${ZSH_VERSION%%.*} == 5 && ${${ZSH_VERSION#*.}%%.*} < 3 )); then
	print -ru2 -- "cmdr: zsh 5.3 or newer is needed (this is $ZSH_VERSION); shell integration not loaded"
	return 0
fi
# (cmdr init --save puts a freshness check here)
(( ${+__cmdr_loaded} )) && return 0
typeset -g __cmdr_loaded=1

typeset -g __cmdr_bin=cmdr
typeset -g __cmdr_last_cmd='' __cmdr_prev_cmd='' __cmdr_last_status=0 __cmdr_shown=''
typeset -ga __cmdr_alts __cmdr_recent
typeset -gi __cmdr_alt_i=0 __cmdr_fetched=0 __cmdr_int=0
typeset -g __cmdr_req_text='' __cmdr_prefilled=''


# Recording the last commands and the status costs a few assignments: no
# process is started per prompt. __cmdr_recent keeps the three before the
# last, for context. Hooks run with the user's options: this one sets
# zsh's own (KSH_ARRAYS reads the array's slice differently).
__cmdr_preexec() {
	emulate -L zsh
	[[ -n $__cmdr_last_cmd ]] && __cmdr_recent=("${(@)__cmdr_recent[-2,-1]}" "$__cmdr_last_cmd")
	__cmdr_prev_cmd=$__cmdr_last_cmd
	__cmdr_last_cmd=$1
}
# A command ran, so the context changed: a line typed as before is read
# again (type-ahead).
__cmdr_precmd() { __cmdr_last_status=$? __cmdr_prefilled=''; }
# What add-zsh-hook would do, without autoloading it.
typeset -ga preexec_functions
preexec_functions=(${preexec_functions:#__cmdr_preexec} __cmdr_preexec)
# First in line, so $? is still the command's status.
typeset -ga precmd_functions
precmd_functions=(__cmdr_precmd ${precmd_functions:#__cmdr_precmd})

# __cmdr_session: the session's context as cmdr suggest flags, in reply.
__cmdr_session() {
	local c
	reply=()
	for c in "${(@)__cmdr_recent}"; do
		reply+=(--recent "$c")
	done
	reply+=(--last-status "$__cmdr_last_status" --last-command "$__cmdr_last_cmd")
}

# __cmdr_ask TEXT [N]: asks for a command (and N alternatives); fills reply=(command alts...) and
# __cmdr_risk, or returns 1 with the reason in __cmdr_err. Without N, the
# command is drawn into the line as it is generated ("part" lines), so the
# caller must put the line back when this fails.
__cmdr_ask() {
	emulate -L zsh
	local line n=${2:-0} done=0
	local -a lines stream
	typeset -g __cmdr_err='' __cmdr_risk=''
	(( n == 0 )) && [[ ${CMDR_STREAM:-1} != 0 ]] && stream=(--stream)
	__cmdr_session
	# A Ctrl-C in __cmdr_session returns from that function only.
	(( ! __cmdr_int )) || return 1
	# Read as it comes, not through $(...): zle -R shows each "part" at
	# once, while the widget still runs. A pipe, not <(...): zsh runs the
	# loop in this shell, and cmdr in the foreground, where Ctrl-C reaches
	# it. The reply's own lines say how it ended.
	command "$__cmdr_bin" suggest --format shell --shell zsh --alternatives "$n" "${(@)stream}" \
		"${(@)reply}" -- "$1" 2>&1 </dev/null |
	while (( ! done )); do
		IFS= read -r line || { done=1; [[ -n $line ]] || break; }
		case $line in
			(part$'\t'*) BUFFER=${line#*$'\t'}; CURSOR=${#BUFFER}; zle -R ;;
			(*) lines+=("$line") ;;
		esac
	done
	reply=()
	for line in "${(@)lines}"; do
		case $line in
			(cmd$'\t'*|alt$'\t'*) reply+=("${line#*$'\t'}") ;;
			(risk$'\t'*) __cmdr_risk=${line#*$'\t'} ;;
			(err$'\t'*) __cmdr_err=${line#*$'\t'} ;;
		esac
	done
	if [[ -n $__cmdr_err || ${#reply} == 0 ]]; then
		[[ -n $__cmdr_err ]] || __cmdr_err=${lines[-1]:-"cmdr stopped without an answer"}
		return 1
	fi
	return 0
}

# __cmdr_cancel: the Ctrl-C trap's first step. zsh sometimes starts the
# request's pipeline in a process group of its own without handing it the
# terminal (seen under load): the Ctrl-C then reaches only this shell,
# which would wait for the whole answer. A fork, only on Ctrl-C.
# It also marks the request cancelled, with the reason the widget shows:
# running pkill clears the interrupt that __cmdr_ask_keep would otherwise
# read, and the trap may land where no always block runs.
__cmdr_cancel() {
	typeset -g __cmdr_int=1 __cmdr_err=cancelled
	command pkill -INT -P $$ -f 'suggest --format shell' 2>/dev/null
	zle -M "cmdr: cancelled"
}

# __cmdr_ask_keep TEXT [N]: __cmdr_ask, leaving the line as it was when
# that fails, Ctrl-C included. A trap cannot set BUFFER, so the always
# block puts the line back, and clears the interrupt, which would
# otherwise make zle drop the line when the widget returns. The widget
# clears __cmdr_int once its trap is set: a trap's return leaves only the
# function it lands in, so a Ctrl-C here outside the always block returns
# 1 with __cmdr_err as the trap set it.
__cmdr_ask_keep() {
	local typed=$BUFFER at=$CURSOR ok=0
	{
		__cmdr_ask "$@" && ok=1
	} always {
		if (( TRY_BLOCK_INTERRUPT || __cmdr_int )); then
			TRY_BLOCK_INTERRUPT=0
			ok=0 __cmdr_err=cancelled
		fi
		(( ok )) || { BUFFER=$typed; CURSOR=$at; }
	}
	(( ok ))
}

__cmdr_rewrite() {
	emulate -L zsh
	setopt localtraps
	# Ctrl-C kills the request; the trap (and __cmdr_ask_keep) keep zle
	# from throwing the typed line away. Set first: a Ctrl-C that comes
	# before it drops the line. Its return leaves only the function it
	# lands in, so callers also check __cmdr_int.
	trap '__cmdr_cancel; return 0' INT
	typeset -g __cmdr_int=0
	local text=$BUFFER
	# Ctrl-G again on an unedited suggestion: the next alternative, asked
	# for only now, since each costs a generation.
	if [[ -n $__cmdr_shown && $BUFFER == "$__cmdr_shown" ]]; then
		if (( ${#__cmdr_alts} <= 1 && ! __cmdr_fetched )); then
			zle -M "cmdr: finding alternatives..."
			zle -R
			local -a reply
			if ! __cmdr_ask_keep "$__cmdr_req_text" 3; then
				zle -M "cmdr: $__cmdr_err"
				return 0
			fi
			__cmdr_alts=("${reply[@]}")
			__cmdr_fetched=1
			__cmdr_alt_i=1
		fi
		if (( ${#__cmdr_alts} <= 1 )); then
			zle -M "cmdr: no other suggestion"
			return 0
		fi
		__cmdr_alt_i=$(( __cmdr_alt_i % ${#__cmdr_alts} + 1 ))
		BUFFER=${__cmdr_alts[__cmdr_alt_i]}
		CURSOR=${#BUFFER}
		__cmdr_shown=$BUFFER
		zle -M "cmdr: alternative $__cmdr_alt_i of ${#__cmdr_alts}"
		return 0
	fi
	if [[ -z ${text//[[:space:]]/} ]]; then
		if (( __cmdr_last_status == 0 )) || [[ -z $__cmdr_last_cmd ]]; then
			zle -M "cmdr: type a request first (or press Ctrl-G on an empty line after a failed command)"
			return 0
		fi
		text=''
	fi
	zle -M "cmdr: thinking..."
	zle -R
	local -a reply
	if ! __cmdr_ask_keep "$text"; then
		zle -M "cmdr: $__cmdr_err"
		return 0
	fi
	__cmdr_alts=("${reply[@]}")
	__cmdr_alt_i=1
	__cmdr_fetched=0
	__cmdr_req_text=$text
	BUFFER=${reply[1]}
	CURSOR=${#BUFFER}
	__cmdr_shown=$BUFFER
	if [[ -n $__cmdr_risk ]]; then
		zle -M "cmdr: ⚠ ${__cmdr_risk/$'\t'/: }"
	else
		zle -M ''
	fi
	return 0
}

__cmdr_explain() {
	emulate -L zsh
	setopt localtraps
	trap 'return 0' INT
	[[ -n ${BUFFER//[[:space:]]/} ]] || { zle -M "cmdr: nothing to explain"; return 0; }
	zle -M "cmdr: explaining..."
	zle -R
	local out
	out=$(command "$__cmdr_bin" explain --shell zsh -- "$BUFFER" 2>&1 </dev/null)
	zle -M -- "$out"
}

# "# request" + Enter rewrites instead of running. Every other line goes to
# the accept-line that was there before (zsh's own, or one wrapped by
# autosuggestions, syntax highlighting, fzf or atuin).
__cmdr_accept_line() {
	if [[ ${CMDR_HASH_ENTER:-1} != 0 && $BUFFER == '#'[[:space:]]* ]]; then
		print -rs -- "$BUFFER"
		zle cmdr-rewrite
		return 0
	fi
	zle __cmdr_orig_accept_line -- "$@"
}

# Type-ahead: at each space typed in a "# request" line, or in a line
# whose first word is letters only and names nothing runnable (a request
# about to get Ctrl-G), the agent starts reading the request so far in the
# background (cmdr suggest --prefill), so Enter or Ctrl-G pays only for the
# words typed after it. The space after "#" sends a request with no words:
# the agent reads the context, which changes with every command run, while
# the first word is typed. It costs the shell two forks per space (about
# 1 ms), and only on such lines.
__cmdr_typeahead() {
	emulate -L zsh
	[[ $BUFFER != "$__cmdr_prefilled" ]] || return 0
	if [[ $BUFFER != '# ' && $BUFFER != '#'[[:space:]]*[^[:space:]]* ]]; then
		# A first word of letters that names nothing runnable: a request.
		local w=${BUFFER%%[[:space:]]*}
		[[ $w =~ '^[[:alpha:]]+$' ]] || return 0
		if whence -- $w >/dev/null; then
			__cmdr_reads_as_request "$w" "$BUFFER" || return 0
		fi
	fi
	__cmdr_prefilled=$BUFFER
	local -a reply
	__cmdr_session
	# From a subshell that zsh waits for, so that the request is not this
	# shell's child: its exit, whenever it comes, would send zsh a SIGCHLD,
	# which interrupts a write to the terminal (zsh's handler does not ask
	# for restarts), and stdio then drops what the write held. The line
	# editor's picture of the screen went out of step with it (the line
	# drawn again a row lower) when a request ended just as zle drew.
	( command "$__cmdr_bin" suggest --prefill --shell zsh "${(@)reply}" -- "$BUFFER" </dev/null >/dev/null 2>&1 &! )
}
# __cmdr_reads_as_request WORD LINE: whether LINE, whose first word WORD
# runs something, still reads as a request ("find all big files", "kill
# the process on port 80"): three or more words of letters only, one
# after the first an English function word that commands seldom take as
# an argument, or the line type-ahead last sent with more words after it
# (paths and quotes may follow). echo's arguments are prose by nature.
# The same rule in all three shells (bash.sh has the measurements).
__cmdr_reads_as_request() {
	emulate -L zsh
	# The line last sent ends with the space typed after it.
	local sent=${__cmdr_prefilled%"${__cmdr_prefilled##*[^[:space:]]}"}
	[[ -n $sent && $2 == "$sent"[[:space:]]* ]] && return 0
	[[ $1 != echo && $2 =~ '^[[:alpha:]]+([[:space:]]+[[:alpha:]]+){2,}[[:space:]]*$' ]] || return 1
	local rest=" ${(L)2#*[[:space:]]} "
	[[ $rest =~ "[[:space:]]($__cmdr_function_words)[[:space:]]" ]]
}
typeset -g __cmdr_function_words='the|a|an|my|all|every|each|any|that|which|whose|than|of|from|into|named|called|containing'
__cmdr_self_insert() {
	zle __cmdr_orig_self_insert -- "$@" || return
	[[ $KEYS == ' ' ]] && __cmdr_typeahead
	return 0
}

# A request pasted whole is read at once: a bracketed paste inserts its
# text without self-insert, so no space of it sends the request, and the
# key press would pay for all its words. A paste of several lines is a
# script, not a request.
__cmdr_bracketed_paste() {
	zle __cmdr_orig_bracketed_paste -- "$@" || return
	[[ $BUFFER == *$'\n'* ]] || __cmdr_typeahead
	return 0
}

zle -N cmdr-rewrite __cmdr_rewrite
zle -N cmdr-explain __cmdr_explain
if [[ ${widgets[accept-line]} == user:* ]]; then
	zle -A accept-line __cmdr_orig_accept_line
else
	zle -A .accept-line __cmdr_orig_accept_line
fi
zle -N accept-line __cmdr_accept_line
# Wrapped like accept-line, so plugins that wrap self-insert keep working.
if [[ ${CMDR_TYPEAHEAD:-1} != 0 ]]; then
	if [[ ${widgets[self-insert]} == user:* ]]; then
		zle -A self-insert __cmdr_orig_self_insert
	else
		zle -A .self-insert __cmdr_orig_self_insert
	fi
	zle -N self-insert __cmdr_self_insert
	if (( ${+widgets[bracketed-paste]} )); then
		if [[ ${widgets[bracketed-paste]} == user:* ]]; then
			zle -A bracketed-paste __cmdr_orig_bracketed_paste
		else
			zle -A .bracketed-paste __cmdr_orig_bracketed_paste
		fi
		zle -N bracketed-paste __cmdr_bracketed_paste
	fi
fi

() {
	local key_rewrite=${CMDR_KEY_REWRITE-'^G'} key_explain=${CMDR_KEY_EXPLAIN-'^[e'} map
	for map in emacs viins; do
		[[ -n $key_rewrite ]] && bindkey -M $map "$key_rewrite" cmdr-rewrite
		[[ -n $key_explain ]] && bindkey -M $map "$key_explain" cmdr-explain
	done
	return 0
}

# `cmdr explain` with no command explains this session's previous command
# (preexec has already recorded `cmdr explain` itself as the last one).
cmdr() {
	emulate -L zsh
	# The variable tells `cmdr doctor` that this shell loaded cmdr.
	if [[ $1 == explain && $# -eq 1 && -n $__cmdr_prev_cmd ]]; then
		CMDR_HOOK_SHELL=zsh command "$__cmdr_bin" explain -- "$__cmdr_prev_cmd"
	else
		CMDR_HOOK_SHELL=zsh command "$__cmdr_bin" "$@"
	fi
}
