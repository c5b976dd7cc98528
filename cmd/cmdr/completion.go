package main

import (
	"context"
	"fmt"
	"os"
	"strings"
)

const completionUsage = `Usage: cmdr completion bash|zsh|fish

Prints tab completion for cmdr's own commands. Load it with:
  bash   source <(cmdr completion bash)          (in ~/.bashrc)
  zsh    source <(cmdr completion zsh)           (in ~/.zshrc, after compinit)
  fish   cmdr completion fish > ~/.config/fish/completions/cmdr.fish

Commands, model subcommands, shells and model names complete.`

var modelSubcommands = []string{"pull", "list", "info", "use", "add", "rm"}

func runCompletion(_ context.Context, args []string) error {
	fs := newFlags("completion")
	if err := parseFlags(fs, completionUsage, args, os.Stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("completion: name one shell: bash, zsh or fish")
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	switch fs.Arg(0) {
	case "bash":
		fmt.Printf(bashCompletion, strings.Join(names, " "), strings.Join(modelSubcommands, " "))
	case "zsh":
		var b strings.Builder
		for _, c := range commands {
			fmt.Fprintf(&b, "\t\t%q\n", c.name+":"+zshEscape(c.summary))
		}
		fmt.Printf(zshCompletion, b.String(), strings.Join(modelSubcommands, " "))
	case "fish":
		var b strings.Builder
		for _, c := range commands {
			fmt.Fprintf(&b, "complete -c cmdr -n __fish_use_subcommand -f -a %s -d %s\n", c.name, fishQuote(c.summary))
		}
		fmt.Printf(fishCompletion, b.String(), strings.Join(modelSubcommands, " "))
	default:
		return usagef("completion: unknown shell %q (want bash, zsh or fish)", fs.Arg(0))
	}
	return nil
}

// summary text for a completion menu: up to the first colon, which
// starts the usage example.
func shortSummary(s string) string {
	if i := strings.Index(s, ": "); i > 0 {
		s = s[:i]
	}
	return s
}

func zshEscape(s string) string { return strings.ReplaceAll(shortSummary(s), ":", `\:`) }

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(shortSummary(s)) + "'"
}

const bashCompletion = `# cmdr completion for bash: source <(cmdr completion bash)
_cmdr() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	if ((COMP_CWORD == 1)); then
		mapfile -t COMPREPLY < <(compgen -W '%s' -- "$cur")
		return
	fi
	case ${COMP_WORDS[1]} in
	init | completion)
		((COMP_CWORD == 2)) && mapfile -t COMPREPLY < <(compgen -W 'bash zsh fish' -- "$cur")
		;;
	model)
		if ((COMP_CWORD == 2)); then
			mapfile -t COMPREPLY < <(compgen -W '%s' -- "$cur")
		elif [[ ${COMP_WORDS[2]} == use || ${COMP_WORDS[2]} == info || ${COMP_WORDS[2]} == rm ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(command cmdr model list --names 2>/dev/null)" -- "$cur")
		elif [[ ${COMP_WORDS[2]} == add ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		;;
	*)
		[[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W '--help --json' -- "$cur")
		;;
	esac
	return 0
}
complete -F _cmdr cmdr
`

const zshCompletion = `#compdef cmdr
# cmdr completion for zsh: source <(cmdr completion zsh), after compinit
_cmdr() {
	local -a cmds
	cmds=(
%s	)
	if (( CURRENT == 2 )); then
		_describe 'cmdr command' cmds
		return
	fi
	case $words[2] in
	(init|completion) (( CURRENT == 3 )) && compadd bash zsh fish ;;
	(model)
		if (( CURRENT == 3 )); then
			compadd %s
		elif [[ $words[3] == (use|info|rm) ]]; then
			compadd -- ${(f)"$(command cmdr model list --names 2>/dev/null)"}
		elif [[ $words[3] == add ]]; then
			_files
		fi ;;
	(*) compadd -- --help --json ;;
	esac
}
if (( $+functions[compdef] )); then
	compdef _cmdr cmdr
fi
`

const fishCompletion = `# cmdr completion for fish
complete -c cmdr -f
%scomplete -c cmdr -n '__fish_seen_subcommand_from init completion' -f -a 'bash zsh fish'
complete -c cmdr -n '__fish_seen_subcommand_from model; and not __fish_seen_subcommand_from %[2]s' -f -a '%[2]s'
complete -c cmdr -n '__fish_seen_subcommand_from use info rm' -f -a '(command cmdr model list --names 2>/dev/null)'
complete -c cmdr -n '__fish_seen_subcommand_from add' -F
complete -c cmdr -l help -d 'show help'
complete -c cmdr -l json -d 'print JSON'
`
