# cmdr shell integration for fish (3.3 or newer).
# Load it from ~/.config/fish/config.fish with:   cmdr init fish | source
# or source the file `cmdr init fish --save` writes (no process at start-up).
#
# Keys:     Ctrl-G  the line, or "# request", becomes a command (cmdr-rewrite)
#           Alt-E   explains the line below the prompt (cmdr-explain)
# Settings, read when this is loaded:
#   CMDR_KEY_REWRITE   key for cmdr-rewrite in bind syntax (default \cg; "" to leave unbound)
#   CMDR_KEY_EXPLAIN   key for cmdr-explain (default \ee; "" to leave unbound)
#   CMDR_HASH_ENTER    0 leaves Enter alone ("# request" + Enter rewrites otherwise)
#   CMDR_TYPEAHEAD     0 stops the agent from reading a "# request" as it is typed
#   CMDR_STREAM        0 shows the command only when it is whole
# Private names start with __cmdr_. Nothing here runs a suggested command:
# it is only put on the line for you to edit and run.

status is-interactive; or return 0
set -l __cmdr_v (string split . -- $version)
if test "$__cmdr_v[1]" -lt 3; or begin
        test "$__cmdr_v[1]" -eq 3; and test "$__cmdr_v[2]" -lt 3
    end
    printf 'cmdr: fish 3.3 or newer is needed (this is %s); shell integration not loaded\n' $version >&2
    return 0
end
# (cmdr init --save puts a freshness check here)
set -q __cmdr_loaded; and return 0
set -g __cmdr_loaded 1

set -g __cmdr_bin cmdr
set -g __cmdr_last_cmd ''
set -g __cmdr_recent
set -g __cmdr_last_status 0
set -g __cmdr_shown ''
set -g __cmdr_alts
set -g __cmdr_alt_i 0
set -g __cmdr_fetched 0
set -g __cmdr_req_text ''
set -g __cmdr_prefilled ''

# Event handlers: a few assignments per command, no process started.
# __cmdr_recent keeps the three commands before the last, for context.
function __cmdr_postexec --on-event fish_postexec
    set -g __cmdr_last_status $status
    # The context changed: a line typed as before is read again.
    set -g __cmdr_prefilled ''
    test -n "$__cmdr_last_cmd"; and set -g __cmdr_recent $__cmdr_recent[-2..-1] $__cmdr_last_cmd
    set -g __cmdr_last_cmd $argv[1]
end

# __cmdr_say MESSAGE: on the row below the cursor, the prompt drawn
# again below it. What is below the cursor is cleared first: a cursor
# mid-line can be above the last rows of a line that wraps, which would
# show through the message.
function __cmdr_say
    printf '\n\e[Jcmdr: %s\n' $argv[1] >&2
    commandline -f repaint
end

# __cmdr_session: the session's context as cmdr suggest flags, in
# __cmdr_args (a list, so commands of several lines stay one argument).
function __cmdr_session
    set -g __cmdr_args
    for c in $__cmdr_recent
        set -ga __cmdr_args --recent $c
    end
    set -ga __cmdr_args --last-status $__cmdr_last_status --last-command "$__cmdr_last_cmd"
end

# __cmdr_ask TEXT [N]: sets __cmdr_reply (command, then alternatives) and
# __cmdr_risk, or returns 1 with the reason in __cmdr_err.
function __cmdr_ask
    set -g __cmdr_err ''
    set -g __cmdr_risk ''
    set -g __cmdr_reply
    set -l n 0
    set -q argv[2]; and set n $argv[2]
    # fish runs no code while a command substitution runs, so cmdr draws
    # the command so far itself, past the line's end: __cmdr_ask_busy
    # saved the cursor that many columns before it.
    set -l draw
    test $n = 0; and test "$CMDR_STREAM" != 0; and set draw --draw --draw-down $__cmdr_busy[1] --draw-after $__cmdr_busy[2]
    __cmdr_session
    set -l out (command $__cmdr_bin suggest --format shell --shell fish $draw --alternatives $n $__cmdr_args \
        -- $argv[1] 2>&1 </dev/null)
    set -l rc $status
    for line in $out
        set -l parts (string split -m 1 \t -- $line)
        switch $parts[1]
            case cmd alt
                set -ga __cmdr_reply $parts[2]
            case risk
                set -g __cmdr_risk (string replace \t ': ' -- $parts[2])
            case err
                set -g __cmdr_err $parts[2]
        end
    end
    if test $rc -eq 130
        set -g __cmdr_err cancelled
        return 1
    end
    if test $rc -ne 0; or test (count $__cmdr_reply) -eq 0
        if test -z "$__cmdr_err"
            set -g __cmdr_err "cmdr failed (exit $rc): $out[-1]"
        end
        return 1
    end
end

# __cmdr_ask_busy WHAT TEXT [N]: __cmdr_ask with an indicator drawn after
# the line's end (save the cursor, right past the rest of the line, print,
# restore), which the command so far replaces; __cmdr_unbusy clears
# either, or __cmdr_on_int when Ctrl-C ends the widget early. While it
# runs, __cmdr_busy holds the rows and columns from the cursor to the
# line's end (__cmdr_after_cursor), 0 0 but for a cursor mid-line, whose
# rest of the line stays in view (and in the scrollback, when a message
# follows). Autowrap is off while the indicator is drawn: near the row's
# end it is cut there, where it would have wrapped onto a row (or
# scrolled the screen) that neither the clear nor fish's repaint knows to
# clean.
function __cmdr_ask_busy
    set -g __cmdr_busy (string split ' ' -- (__cmdr_after_cursor))
    printf '\e7%s\e[?7l cmdr: %s...\e[?7h\e8' (__cmdr_move $__cmdr_busy) $argv[1] >&2
    __cmdr_ask $argv[2..-1]
    set -l rc $status
    __cmdr_unbusy
    return $rc
end

# __cmdr_unbusy: clears what was drawn past the line's end, and leaves
# the cursor where fish left it, which fish's next redraw starts from.
# Once: after a Ctrl-C __cmdr_on_int has done it, and the end of the
# request would clear from the cursor, the rest of the line with it.
function __cmdr_unbusy
    set -q __cmdr_busy; or return 0
    printf '\e7%s\e[K\e8' (__cmdr_move $__cmdr_busy) >&2
    set -e __cmdr_busy
end

# __cmdr_move DOWN RIGHT: the controls that move the cursor DOWN rows to
# the start of that row (for 0, none), then RIGHT columns (for 0, none:
# the terminal would read \e[0C as one column).
function __cmdr_move
    test "$argv[1]" -gt 0 2>/dev/null; and printf '\e[%dB\r' $argv[1]
    test "$argv[2]" -gt 0 2>/dev/null; and printf '\e[%dC' $argv[2]
    echo ''
end

# __cmdr_after_cursor: where the line's end is from the cursor, as the
# rows down and the columns right: on the cursor's row the columns from
# the cursor; on a row below (a line that wraps), the column on that row.
# "0 0" where the rest is not one line's text (a line of several lines,
# whose rest is then covered while the request runs). Only the prompt
# tells where the typed line starts on its row: for a cursor mid-line it
# is asked for its text once more (fish_prompt, after the mode prompt, as
# fish draws them, and with the last command's status). Left unplaced: a
# line that ends in the last column (the row after it may not be drawn;
# the indicator then takes that column), a double-width character that
# fish moves to the next row. fish 3.3 counts characters, not columns
# (--visible came in 3.4), so there a double-width character counts one
# and a line that wraps is not placed: the move stops at the row's end,
# and the indicator takes that row's last column.
function __cmdr_after_cursor
    set -l pos (commandline -C)
    set -l line (commandline | string collect)
    set -l rest (string sub -s (math $pos + 1) -- $line)
    if test (count $rest) -ne 1; or test -z "$rest"
        echo 0 0
        return
    end
    set -l w (string length --visible -- $rest 2>/dev/null)
    if test -z "$w"
        echo 0 (string length -- $rest)
        return
    end
    set -l before (string sub -l $pos -- $line)
    set -l cols $COLUMNS
    if test (count $before) -gt 1; or not test "$cols" -gt 0 2>/dev/null
        echo 0 $w
        return
    end
    set -l prompt (begin
        fish_mode_prompt
        __cmdr_status $__cmdr_last_status
        fish_prompt
    end 2>/dev/null | string collect)
    set -l cur (math (string length --visible -- (string split \n -- "$prompt")[-1]) + (string length --visible -- "$before"))
    set -l end (math $cur + $w)
    set -l row (math "floor($end / $cols)")
    set -l col (math $end % $cols)
    if test $col -eq 0
        set row (math $row - 1)
        set col $cols
    end
    set -l down (math $row - "floor($cur / $cols)")
    if test $down -le 0
        echo 0 $w
    else
        echo $down $col
    end
end

# __cmdr_status N: sets $status to N, for the prompt asked again.
function __cmdr_status
    return $argv[1]
end

function __cmdr_rewrite
    set -l text (commandline)
    # Ctrl-G again on an unedited suggestion: the next alternative, asked
    # for only now, since each costs a generation.
    if test -n "$__cmdr_shown"; and test "$text" = "$__cmdr_shown"
        if test (count $__cmdr_alts) -le 1; and test $__cmdr_fetched = 0
            if not __cmdr_ask_busy 'finding alternatives' "$__cmdr_req_text" 3
                __cmdr_say "$__cmdr_err"
                return 0
            end
            set -g __cmdr_alts $__cmdr_reply
            set -g __cmdr_fetched 1
            set -g __cmdr_alt_i 1
        end
        if test (count $__cmdr_alts) -le 1
            __cmdr_say "no other suggestion"
            return 0
        end
        set -g __cmdr_alt_i (math $__cmdr_alt_i % (count $__cmdr_alts) + 1)
        commandline -r -- $__cmdr_alts[$__cmdr_alt_i]
        commandline -f end-of-line
        set -g __cmdr_shown (commandline)
        return 0
    end
    if test -z (string trim -- "$text")
        if test "$__cmdr_last_status" -eq 0
            __cmdr_say "type a request first (or press Ctrl-G on an empty line after a failed command)"
            return 0
        end
        set text ''
    end
    if not __cmdr_ask_busy thinking "$text"
        __cmdr_say "$__cmdr_err"
        return 0
    end
    set -g __cmdr_alts $__cmdr_reply
    set -g __cmdr_alt_i 1
    set -g __cmdr_fetched 0
    set -g __cmdr_req_text $text
    commandline -r -- $__cmdr_reply[1]
    commandline -f end-of-line
    set -g __cmdr_shown $__cmdr_reply[1]
    if test -n "$__cmdr_risk"
        __cmdr_say "⚠ $__cmdr_risk"
    else
        commandline -f repaint
    end
end

# Ctrl-C while a request or an explanation runs: fish stops the widget
# function, so the indicator is cleared and the prompt drawn again here;
# the typed line was never touched.
function __cmdr_on_int --on-signal SIGINT
    if set -q __cmdr_busy
        __cmdr_unbusy
        commandline -f repaint
    end
end

function __cmdr_explain
    set -l line (commandline)
    if test -z (string trim -- "$line")
        __cmdr_say "nothing to explain"
        return 0
    end
    # Below the cursor, as __cmdr_say writes.
    printf '\n\e[J' >&2
    # Run from a command substitution, cmdr stays in fish's process group
    # instead of taking the terminal as a job, so a Ctrl-C reaches fish
    # too, and __cmdr_on_int redraws the prompt even when the signal kills
    # cmdr before cmdr handles it (fish then cancels this function before
    # its own repaint). The explanation still goes straight to the terminal.
    set -g __cmdr_busy 0 0
    set -l none (command $__cmdr_bin explain --shell fish -- "$line" </dev/null >&2)
    set -e __cmdr_busy
    commandline -f repaint
end

# "# request" + Enter rewrites instead of running; every other line runs
# exactly as before.
function __cmdr_enter
    set -l line (commandline)
    if test "$CMDR_HASH_ENTER" != 0; and string match -qr '^#\s' -- "$line"
        __cmdr_history_add "$line"
        __cmdr_rewrite
        return 0
    end
    commandline -f execute
end

# Keeps the request in history so Up brings it back. fish 4 has
# `history append`; older fish reads lines that other sessions appended
# to the history file when asked to merge.
function __cmdr_history_add
    if test (string split . -- $version)[1] -ge 4
        builtin history append -- $argv[1]
        return
    end
    set -l dir $XDG_DATA_HOME
    test -n "$dir"; or set dir ~/.local/share
    set -l name fish
    set -q fish_history; and set name $fish_history
    set -l file $dir/fish/{$name}_history
    mkdir -p $dir/fish
    set -l escaped (string replace -a '\\' '\\\\' -- $argv[1] | string replace -a \n '\\n')
    printf '%s\n' "- cmd: $escaped" "  when: "(date +%s) >>$file
    and builtin history merge
end

# Type-ahead: at each space typed in a "# request" line, or in a line
# whose first word is letters only and names nothing runnable (a request
# about to get Ctrl-G), the agent starts reading the request so far in the
# background (cmdr suggest --prefill), so Enter or Ctrl-G pays only for the
# words typed after it. The space after "#" sends a request with no
# words: the agent reads the context, which changes with every command
# run, while the first word is typed. Space keeps what fish binds it to
# (insert, then expand abbreviations); the job is disowned, so fish never
# reports it.
function __cmdr_space
    commandline -f expand-abbr
    commandline -i ' '
    __cmdr_typeahead (commandline)
end
# __cmdr_reads_as_request WORD LINE: whether LINE, whose first word WORD
# runs something, still reads as a request ("find all big files", "kill
# the process on port 80"): three or more words of letters only, one
# after the first an English function word that commands seldom take as
# an argument, or the line type-ahead last sent with more words after it
# (paths and quotes may follow). echo's arguments are prose by nature.
# The same rule in all three shells (bash.sh has the measurements).
function __cmdr_reads_as_request
    # The line last sent ends with the space typed after it.
    set -l sent (string trim -r -- "$__cmdr_prefilled")" "
    test "$sent" != " "; and test (string sub -l (string length -- $sent) -- "$argv[2]") = $sent; and return 0
    test "$argv[1]" != echo; or return 1
    string match -qr '^[[:alpha:]]+(\s+[[:alpha:]]+){2,}\s*$' -- "$argv[2]"; or return 1
    set -l rest (string replace -r '^\S+\s+' '' -- "$argv[2]" | string lower)
    string match -qr "(^|\s)($__cmdr_function_words)(\s|\$)" -- "$rest"
end
set -g __cmdr_function_words 'the|a|an|my|all|every|each|any|that|which|whose|than|of|from|into|named|called|containing'

function __cmdr_typeahead
    test "$argv[1]" != "$__cmdr_prefilled"; or return 0
    if not string match -qr '^#(\s+\S| $)' -- "$argv[1]"
        # A first word of letters that names nothing runnable (nor an
        # abbreviation): a request.
        set -l w (string match -r '^[[:alpha:]]+(?=\s)' -- "$argv[1]"); or return 0
        if type -q -- $w; or abbr -q -- $w
            __cmdr_reads_as_request $w "$argv[1]"; or return 0
        end
    end
    set -g __cmdr_prefilled $argv[1]
    __cmdr_session
    command $__cmdr_bin suggest --prefill --shell fish $__cmdr_args -- "$argv[1]" </dev/null >/dev/null 2>&1 &
    # A job that has already ended (an agent that answers at once) leaves
    # nothing to disown, and fish would say so on the user's screen.
    disown $last_pid 2>/dev/null
end

# A request pasted whole is read at once: a paste inserts its text without
# the space key, so the key press would pay for all its words. After what
# fish does with the paste, the line is read; a paste of several lines is
# a script, not a request.
function __cmdr_read_paste
    set -l line (commandline)
    test (count $line) -eq 1; and __cmdr_typeahead $line
end

# fish 3 reads a bracketed paste in its paste mode, whose closing key
# runs this.
function __cmdr_paste_end
    __fish_stop_bracketed_paste
    __cmdr_read_paste
end

# fish 4 reads a bracketed paste itself and hands its text to the function
# __fish_paste, as Ctrl-V hands the clipboard's: that function (fish's own,
# or one the user put in its place) is wrapped, once.
if test "$CMDR_TYPEAHEAD" != 0; and not string match -q '3.*' -- $version
    and functions -q __fish_paste; and not functions -q __cmdr_fish_paste
    functions --copy __fish_paste __cmdr_fish_paste
    function __fish_paste
        __cmdr_fish_paste $argv
        set -l s $status
        __cmdr_read_paste
        return $s
    end
end

function __cmdr_bind_keys
    set -l key_rewrite \cg
    set -q CMDR_KEY_REWRITE; and set key_rewrite $CMDR_KEY_REWRITE
    set -l key_explain \ee
    set -q CMDR_KEY_EXPLAIN; and set key_explain $CMDR_KEY_EXPLAIN
    for mode in default insert
        test -n "$key_rewrite"; and bind -M $mode $key_rewrite __cmdr_rewrite
        test -n "$key_explain"; and bind -M $mode $key_explain __cmdr_explain
        if test "$CMDR_HASH_ENTER" != 0
            bind -M $mode \r __cmdr_enter
        end
        # Only where space has no binding of the user's own.
        if test "$CMDR_TYPEAHEAD" != 0; and not bind --user -M $mode ' ' >/dev/null 2>&1
            bind -M $mode ' ' __cmdr_space
        end
    end
    # fish 3 ends a paste with a binding in its paste mode (its function
    # is defined with the key bindings, after this file has run); fish 4
    # has no paste mode (see __fish_paste above).
    if test "$CMDR_TYPEAHEAD" != 0; and string match -q '3.*' -- $version
        and not bind --user -M paste \e\[201~ >/dev/null 2>&1
        bind -M paste \e\[201~ __cmdr_paste_end
    end
end
__cmdr_bind_keys
# Vi mode resets the bindings when it is switched on; bind again then.
function __cmdr_rebind --on-variable fish_key_bindings
    __cmdr_bind_keys
end

# `cmdr explain` with no command explains this session's previous command
# (fish_postexec has not yet run for `cmdr explain` itself).
# The variable tells `cmdr doctor` that this shell loaded cmdr.
function cmdr --wraps cmdr
    if test (count $argv) -eq 1; and test "$argv[1]" = explain; and test -n "$__cmdr_last_cmd"
        CMDR_HOOK_SHELL=fish command $__cmdr_bin explain -- "$__cmdr_last_cmd"
        return
    end
    CMDR_HOOK_SHELL=fish command $__cmdr_bin $argv
end
