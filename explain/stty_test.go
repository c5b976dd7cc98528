package explain

import (
	"context"
	"testing"
)

// stty's settings are words: -echo turns echo off, intr takes the
// character after it, a number is a speed, cs8 one of csN; its own
// options (-F DEVICE, -a) stay options.
func TestSttySettings(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"stty": `.TH STTY 1
.SH DESCRIPTION
.TP
\fB\-a\fR, \fB\-\-all\fR
print all current settings in human\-readable form
.TP
\fB\-F\fR, \fB\-\-file\fR=\fI\,DEVICE\/\fR
open and use the specified DEVICE instead of stdin
.SS "Special characters:"
.TP
intr CHAR
CHAR will send an interrupt signal
.SS "Special settings:"
.TP
N
set the input and output speeds to N bauds
.TP
* cols N
tell the kernel that the terminal has N columns
.TP
csN
set character size to N bits, N in [5..8]
.TP
[\-]echo
echo input characters
.TP
cbreak
same as \-icanon
.TP
\fB\-cbreak\fR
same as icanon
`})
	checkIn(t, l, "stty -F /dev/ttyS0 -echo cols 80 intr ^C 9600 cs8 -cbreak -a", []want{
		{"stty", KindProgram, "", "", 0}, {"-F", KindFlag, "specified DEVICE", "stty(1)", 0}, {"/dev/ttyS0", KindArgument, "the value of -F", "", 0},
		{"-echo", KindArgument, "turns off what echo does: echo input characters", "stty(1)", 0},
		{"cols", KindArgument, "has N columns", "stty(1)", 0}, {"80", KindArgument, "the value of cols", "", 0},
		{"intr", KindArgument, "sets the character that will send an interrupt signal", "stty(1)", 0},
		{"^C", KindArgument, "the character for intr: Ctrl-C", "", 0},
		{"9600", KindArgument, "speeds to N bauds", "stty(1)", 0}, {"cs8", KindArgument, "character size", "stty(1)", 0},
		{"-cbreak", KindArgument, "same as icanon", "stty(1)", 0}, {"-a", KindFlag, "print all current settings", "stty(1)", 0},
	})
	checkIn(t, l, "stty intr undef", []want{{"stty", KindProgram, "", "", 0}, {"intr", KindArgument, "", "stty(1)", 0},
		{"undef", KindArgument, "no character: intr is turned off", "", 0}})
	// Another program's -echo is an option.
	checkIn(t, l, "foo -echo", []want{{"foo", KindProgram, "", "", 0}, {"-echo", KindFlag, "", "", 0}})
}

// tput's capability from terminfo(5)'s tables, and its parameters.
func TestTputCapabilities(t *testing.T) {
	needPage(t, "tput")
	if lib.terminfoCaps(context.Background()) == nil {
		t.Skip("no terminfo(5) here")
	}
	checkIn(t, lib, "tput cup 5 10; tput sgr0", []want{{"tput", KindProgram, "", "tput(1)", 0},
		{"cup", KindArgument, "the terminal capability cup: move to row #1 columns #2", "terminfo(5)", 0},
		{"5", KindArgument, "#1 of cup", "", 0}, {"10", KindArgument, "#2 of cup", "", 0}, {";", KindOperator, "", "", 0},
		{"tput", KindProgram, "", "tput(1)", 0}, {"sgr0", KindArgument, "turn off all attributes", "terminfo(5)", 0}})
	checkIn(t, lib, "tput nosuchcap", []want{{"tput", KindProgram, "", "tput(1)", 0}, {"nosuchcap", KindArgument, "argument", "", 0}})
}

// "\fB\-T\fItype\fR": an option letter with its value's name set against
// it in italics takes a value, given attached or apart.
func TestItalicValueTag(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"tp": ".TH TP 1\n.SH OPTIONS\n.TP\n\\fB\\-T\\fItype\\fR\nindicates the type of terminal.\n.TP\n\\fB\\-x\\fR\ndo not clear.\n"})
	checkIn(t, l, "tp -Txterm -x -T vt100 a", []want{{"tp", KindProgram, "", "", 0}, {"-T", KindFlag, "the type of terminal", "tp(1)", 0},
		{"xterm", KindArgument, "the value of -T", "", 0}, {"-x", KindFlag, "do not clear", "tp(1)", 0},
		{"-T", KindFlag, "the type of terminal", "tp(1)", 0}, {"vt100", KindArgument, "the value of -T", "", 0}, {"a", KindArgument, "argument", "", 0}})
}
