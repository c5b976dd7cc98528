package explain

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// A shell's list of its parameters, as bash, zsh, fish and environ(7)
// tag them: names, zsh's marks and other name, a pair, a heading; the
// first paragraph for a name wins, and "Same as ?" says what ? is.
func TestVariablesPage(t *testing.T) {
	src := ".SH DESCRIPTION\n.SS Special Parameters\n.TP\n.B $\nExpands to the process ID of the shell.  More.\n.TP\n.B ?\nThe exit status.\n" +
		".SS Other\n.TP\n.B OTHER\nNot a list asked for.\n" +
		".SS Shell Variables\n.TP\n\\fBHOME\\fP <S>\nThe home directory.\n.TP\n\\fBPATH\\fP <S> <Z> (\\fBpath\\fP <S> <Z>)\nThe search path.\n" +
		".TP\n.BR EDITOR / VISUAL\nThe editor.\n.TP\n.B Locale Variables\nThe locale ones.\n.TP\n\\fBstatus\\fP <S>\nSame as ?\\&.\n.TP\n.B HOME\nAgain.\n"
	p := variablesPage("x(1)", roff.Expand(strings.Split(src, "\n")), "SS", "Special Parameters", "shell variables")
	want := map[string]entry{"$": {doc: "Expands to the process ID of the shell"}, "?": {doc: "The exit status"},
		"HOME": {doc: "The home directory"}, "PATH": {doc: "The search path"}, "EDITOR": {doc: "The editor"}, "VISUAL": {doc: "The editor"},
		"status": {doc: "the same as $?: The exit status"}}
	if !reflect.DeepEqual(p.entries, want) {
		t.Errorf("entries %+v\nwant %+v", p.entries, want)
	}
	for text, name := range map[string]string{"$HOME": "HOME", `"${HOME}"`: "HOME", "$?": "?", "$1": "1", "'$HOME'": "", "$HOME/x": "", "${x:-y}": "", "$": ""} {
		if got := paramName(text); got != name {
			t.Errorf("paramName(%q) = %q, want %q", text, got, name)
		}
	}
}

// A parameter is what the shell's manual says of it: the word itself
// when it is one ($?, "$HOME"), the value of an option (ps -p $$), the
// program a variable names ($EDITOR), and each one inside a word or an
// assignment, listed after it.
func TestVariables(t *testing.T) {
	needPage(t, "bash", "ps", "cp")
	check(t, `echo $? "$HOME"; ps -p $$; cp $HOME/.bashrc "$1"; d=$PWD`, []want{
		{"echo", KindProgram, "", "", 0},
		{"$?", KindArgument, "exit status", "bash(1)", 0},
		{`"$HOME"`, KindArgument, "home directory", "bash(1)", 0},
		{";", KindOperator, "", "", 0},
		{"ps", KindProgram, "", "ps(1)", 0},
		{"-p", KindFlag, "", "ps(1)", 0},
		{"$$", KindArgument, "the value of -p, $$: expands to the process id of the shell", "bash(1)", 0},
		{";", KindOperator, "", "", 0},
		{"cp", KindProgram, "copy", "cp(1)", 0},
		{"$HOME/.bashrc", KindArgument, "what to copy", "", 0},
		{`"$1"`, KindArgument, `the destination, "$1": positional parameter 1`, "", 0},
		{"$HOME", KindVariable, "home directory", "bash(1)", 0},
		{";", KindOperator, "", "", 0},
		{"d=$PWD", KindAssignment, "shell variable d", "", 0},
		{"$PWD", KindVariable, "current working directory", "bash(1)", 0},
	})
	if p, _ := findIn(lib.roots, "environ", "7"); p != "" {
		check(t, `$EDITOR notes; echo $NOT_A_KNOWN_ONE`, []want{
			{"$EDITOR", KindProgram, "the program $EDITOR names: the user's preferred utility to edit text files", "environ(7)", 0},
			{"notes", KindArgument, "argument", "", 0},
			{";", KindOperator, "", "", 0},
			{"echo", KindProgram, "", "", 0},
			{"$NOT_A_KNOWN_ONE", KindArgument, "argument", "", 0},
		})
	}
	if p, _ := findIn(lib.roots, "zshparam"); p != "" {
		checkShell(t, lib, "zsh", `echo $status`, []want{
			{"echo", KindProgram, "", "", 0},
			{"$status", KindArgument, "the same as $?: the exit status", "zshparam(1)", 0},
		})
	}
	if _, err := os.Stat("/usr/share/fish/man/man1/fish-language.1"); err == nil {
		checkShell(t, lib, "fish", `echo $status`, []want{
			{"echo", KindProgram, "", "", 0},
			{"$status", KindArgument, "exit status", "fish-language(1)", 0},
		})
	}
}

// An expansion with an operator says what it gives: in a word, as a part
// of its own after it; as the whole word, in the word's own part; in an
// assignment, after it.
func TestExpansions(t *testing.T) {
	l := NewLibrary()
	l.roots, l.NoProcesses = []string{t.TempDir()}, true
	checkIn(t, l, `cp "$f" "${f%.jpg}.png"; echo ${#x} "${x:-def}" ${p//a/b} ${s:1:3} ${s::2} ${s^^}; y=${x##*/}`, []want{
		{"cp", KindProgram, "", "", 0},
		{`"$f"`, KindArgument, "what to copy", "", 0},
		{`"${f%.jpg}.png"`, KindArgument, "the destination", "", 0},
		{"${f%.jpg}", KindVariable, "f without the shortest ending that matches '.jpg'", "", 0},
		{";", KindOperator, "", "", 0},
		{"echo", KindProgram, "", "", 0},
		{"${#x}", KindArgument, "the length of x", "", 0},
		{`"${x:-def}"`, KindArgument, "x, or 'def' if it is unset or empty", "", 0},
		{"${p//a/b}", KindArgument, "p with every match of 'a' replaced by 'b'", "", 0},
		{"${s:1:3}", KindArgument, "3 characters of s from its character 1 (counted from 0)", "", 0},
		{"${s::2}", KindArgument, "2 characters of s from its character 0", "", 0}, // no offset: the fuzzer's panic
		{"${s^^}", KindArgument, "s in upper case", "", 0},
		{";", KindOperator, "", "", 0},
		{"y=${x##*/}", KindAssignment, "shell variable y", "", 0},
		{"${x##*/}", KindVariable, "x without the longest beginning that matches '*/'", "", 0},
	})
}

// zsh's ${x:h} is a modifier, which this does not read, not a slice.
func TestZshModifierIsNoSlice(t *testing.T) {
	l := NewLibrary()
	l.roots, l.NoProcesses = []string{t.TempDir()}, true
	checkShell(t, l, "zsh", `echo ${x:h} ${s:1:2}`, []want{
		{"echo", KindProgram, "", "", 0},
		{"${x:h}", KindArgument, "argument", "", 0},
		{"${s:1:2}", KindArgument, "2 characters of s from its character 1", "", 0},
	})
}
