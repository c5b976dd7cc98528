// Package explain breaks a shell command into its parts and gives each
// the meaning documented on this machine: the installed manual page of the
// exact program (and subcommand) for programs and their options, the
// shell's own help for builtins, the program's --help output when it has
// no page. Nothing is invented: a part without documentation says so. The
// model, when one is asked, only summarizes these excerpts.
package explain

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/cmdr-sh/cmdr/translate"
)

// Kinds of parts.
const (
	KindProgram    = "program"
	KindSubcommand = "subcommand"
	KindFlag       = "flag"
	KindArgument   = "argument"
	KindRedirect   = "redirect"
	KindOperator   = "operator"
	KindAssignment = "assignment"
)

// Part is one piece of a command with its documented meaning.
type Part struct {
	Text    string `json:"text"`
	Kind    string `json:"kind"`
	Program string `json:"program,omitempty"` // the program the part belongs to
	Doc     string `json:"doc"`
	Source  string `json:"source,omitempty"` // "tar(1)", "bash help", "ls --help"
	// Known is false when no documentation was found; Doc then says so.
	Known bool `json:"known"`
	// Depth is how deeply the part is nested in substitutions and
	// subshells, for indenting.
	Depth int `json:"depth,omitempty"`
	// value: the part is an option's value, which has no operand's role.
	value bool
}

// Explanation is a command broken into documented parts.
type Explanation struct {
	Command string         `json:"command"`
	Parts   []Part         `json:"parts"`
	Risk    translate.Risk `json:"risk"`
}

// Library finds and parses documentation, caching each page until its
// file changes, so one serves many explanations cheaply.
type Library struct {
	mu    sync.Mutex
	pages map[string]*cachedPage
	roots []string
	help  map[string]*page // shell builtins and --help output, by name
	// shellPages holds the shells' pages that document builtins
	// (zshbuiltins, zshzle, bash) and the sections cut from them, each
	// read once (nil: not installed).
	shellPages map[string][]string
	// AllowHelpRun permits running `PROGRAM --help` for programs without a
	// manual page, and for options their page leaves out (see helpPage
	// for when it is safe, optionHelp for when it is asked).
	AllowHelpRun bool
	// NoProcesses reads manual pages only: no bash for builtins' help and
	// no --help (for fuzzing, where a process per input is too slow).
	NoProcesses bool
	// gitOnce reads gitBuiltins, the commands git runs itself.
	gitOnce     sync.Once
	gitBuiltins map[string]bool
}

type cachedPage struct {
	p    *page
	path string
	mod  time.Time
	size int64
}

// NewLibrary returns a Library over the manual trees of this machine.
func NewLibrary() *Library {
	return &Library{pages: map[string]*cachedPage{}, help: map[string]*page{}, roots: translate.ManRoots(), AllowHelpRun: true}
}

// Explain breaks cmd into documented parts. shell picks the syntax (bash,
// zsh, fish: fish is read as close POSIX) and whose builtins apply.
func (l *Library) Explain(ctx context.Context, cmd, shell string) (Explanation, error) {
	if m := cronLine.FindStringSubmatch(cmd); m != nil && !strings.Contains(strings.TrimSpace(cmd), "\n") {
		// A crontab line: when, then the command, graded and explained
		// under it.
		if doc := cronDoc(m[1]); doc != "" {
			if inner, err := l.Explain(ctx, m[2], shell); err == nil {
				parts := []Part{{Text: m[1], Kind: KindOperator, Doc: "a crontab schedule: runs the command " + doc, Known: true}}
				for _, p := range inner.Parts {
					p.Depth++
					parts = append(parts, p)
				}
				return Explanation{Command: cmd, Parts: parts, Risk: inner.Risk}, nil
			}
		}
	}
	ex := Explanation{Command: cmd, Parts: []Part{}, Risk: translate.ClassifyRisk(cmd, shell)}
	lang := syntax.LangBash
	if shell == "zsh" {
		lang = syntax.LangZsh
	}
	src := cmd
	if shell == "fish" {
		src = translate.FishAsPOSIX(src)
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(false)).Parse(strings.NewReader(src), "")
	if err != nil {
		return ex, fmt.Errorf("cannot parse the command: %v", err)
	}
	w := walker{l: l, ctx: ctx, src: src, shell: shell}
	for i, st := range f.Stmts {
		if i > 0 {
			w.add(Part{Text: ";", Kind: KindOperator, Doc: "then run the next command", Known: true})
		}
		w.stmt(st)
	}
	ex.Parts = w.parts
	if shell == "fish" {
		fishTexts(ex.Parts, cmd)
	}
	return ex, nil
}

// fishTexts shows the parts of a fish command as it was typed, where
// FishAsPOSIX rewrote them to be parsed: (date) for $(date), and and or
// for && and ||, not for !. A text the command has as typed stays.
func fishTexts(parts []Part, cmd string) {
	words := strings.Fields(cmd)
	for i := range parts {
		t := parts[i].Text
		switch {
		case t == "$( … )":
			parts[i].Text = "( … )"
		case strings.Contains(cmd, t):
		case t == "&&" && slices.Contains(words, "and"):
			parts[i].Text = "and"
		case t == "||" && slices.Contains(words, "or"):
			parts[i].Text = "or"
		case t == "!" && slices.Contains(words, "not"):
			parts[i].Text = "not"
		case strings.Contains(cmd, strings.ReplaceAll(t, "$(", "(")):
			parts[i].Text = strings.ReplaceAll(t, "$(", "(")
		}
	}
}

type walker struct {
	l     *Library
	shell string
	ctx   context.Context
	src   string
	parts []Part
	depth int
	// after are parts that go right after the next one added (see value).
	after []Part
}

func (w *walker) add(p Part) {
	p.Depth = w.depth
	w.parts = append(w.parts, p)
	// What a value holds comes after it: su -c's commands.
	w.parts = append(w.parts, w.after...)
	w.after = nil
}

// text is the source text of a node ("" for none: ${x::2} has no
// offset).
func (w *walker) text(n syntax.Node) string {
	if n == nil {
		return ""
	}
	s, e := n.Pos().Offset(), n.End().Offset()
	if int(e) <= len(w.src) && s <= e {
		return w.src[s:e]
	}
	return ""
}

func (w *walker) stmt(st *syntax.Stmt) {
	if st.Negated {
		w.add(Part{Text: "!", Kind: KindOperator, Doc: "negates the exit status", Known: true})
	}
	if st.Cmd != nil {
		w.command(st.Cmd)
	}
	for _, r := range st.Redirs {
		w.add(w.redirect(r))
	}
	if st.Background {
		w.add(Part{Text: "&", Kind: KindOperator, Doc: "runs the command in the background", Known: true})
	}
}

var operatorDocs = map[syntax.BinCmdOperator]string{
	syntax.AndStmt: "runs the next command only if this one succeeds",
	syntax.OrStmt:  "runs the next command only if this one fails",
	syntax.Pipe:    "pipe: the output of the left command is the input of the right",
	syntax.PipeAll: "pipe: the output and errors of the left command are the input of the right",
}

func (w *walker) command(c syntax.Command) {
	switch c := c.(type) {
	case *syntax.CallExpr:
		for _, a := range c.Assigns {
			w.assignment(a, len(c.Args) > 0)
		}
		if len(c.Args) > 0 {
			w.call(c.Args)
		}
	case *syntax.BinaryCmd:
		w.stmt(c.X)
		w.add(Part{Text: c.Op.String(), Kind: KindOperator, Doc: operatorDocs[c.Op], Known: true})
		w.stmt(c.Y)
	case *syntax.Subshell:
		w.add(Part{Text: "( … )", Kind: KindOperator, Doc: "runs the commands inside in a subshell", Known: true})
		w.nested(c.Stmts)
	case *syntax.Block:
		w.add(Part{Text: "{ … }", Kind: KindOperator, Doc: "groups the commands inside", Known: true})
		w.nested(c.Stmts)
	case *syntax.TestClause:
		w.add(Part{Text: "[[ … ]]", Kind: KindOperator, Doc: compoundDoc("[["), Known: true})
		w.depth++
		w.testExpr(c.X)
		w.depth--
	case *syntax.DeclClause:
		name := c.Variant.Value
		w.add(w.programPart(name, w.text(c.Variant), w.l.docsFor(w.ctx, name, w.shell)))
		for _, a := range c.Args {
			switch {
			case a.Naked && a.Name == nil && a.Value != nil:
				word := literal(a.Value)
				if len(word) > 1 && (word[0] == '-' || word[0] == '+') {
					w.declFlags(w.l.docsFor(w.ctx, name, w.shell), name, word, w.text(a.Value))
					continue
				}
				w.add(Part{Text: w.text(a.Value), Kind: KindArgument, Program: name, Doc: "argument", Known: true})
			case a.Naked && a.Name != nil:
				doc, src := w.variableDoc("the variable ", a.Name.Value, "")
				w.add(Part{Text: a.Name.Value, Kind: KindArgument, Program: name, Doc: doc, Source: src, Known: true})
			default:
				doc, src := w.variableDoc("assigns the variable ", a.Name.Value, "")
				w.add(Part{Text: w.text(a), Kind: KindAssignment, Program: name, Doc: doc, Source: src, Known: true})
				if a.Value != nil {
					w.promptValue(a)
					w.commandValue(a)
					w.listedValues(a)
					w.valueParts(a.Value, true) // local d=$PWD
				}
			}
		}
	default:
		// Loops, conditionals, functions: named as a whole, their inner
		// commands explained.
		text := w.text(c)
		kw, _, _ := strings.Cut(strings.TrimSpace(text), " ")
		doc := compoundDoc(kw)
		if f, ok := c.(*syntax.FuncDecl); ok && f.Name != nil {
			kw, doc = f.Name.Value+"()", "defines the shell function "+f.Name.Value
		}
		p := Part{Text: kw + " …", Kind: KindOperator, Doc: doc, Known: doc != ""}
		if _, ok := c.(*syntax.ArithmCmd); ok {
			// (( i++ )): whole where it is short, closed where not.
			p.Text = "(( … ))"
			if len(text) <= 40 && !strings.Contains(text, "\n") {
				p.Text = text
			}
		}
		if doc == "" {
			p.Doc = "a shell construct; the commands in it follow"
		}
		w.add(p)
		syntax.Walk(c, func(n syntax.Node) bool {
			if n == c {
				return true
			}
			if st, ok := n.(*syntax.Stmt); ok {
				w.depth++
				w.stmt(st)
				w.depth--
				return false
			}
			return true
		})
	}
}

// testExpr explains the tests inside [[ ]]: each operator from test's
// documentation (test(1), or bash's help), and what [[ adds to it.
func (w *walker) testExpr(x syntax.TestExpr) {
	switch x := x.(type) {
	case *syntax.BinaryTest:
		w.testExpr(x.X)
		w.add(w.testOperator(x.Op.String(), KindOperator))
		w.testExpr(x.Y)
	case *syntax.UnaryTest:
		w.add(w.testOperator(x.Op.String(), KindFlag))
		w.testExpr(x.X)
	case *syntax.ParenTest:
		w.add(Part{Text: "( … )", Kind: KindOperator, Program: "[[", Doc: "groups the tests inside", Known: true})
		w.testExpr(x.X)
	case *syntax.Word:
		p := Part{Text: w.text(x), Kind: KindArgument, Program: "[[", Doc: "argument", Known: true}
		if doc, src := w.paramDoc(p.Text); doc != "" {
			p.Doc, p.Source = doc, src // [[ $? -eq 0 ]]
		}
		w.add(p)
		w.substitutions(x)
	}
}

// testOperators are what [[ does that test does not, or does otherwise.
var testOperators = map[string]string{
	"&&": "true when the tests on both sides are",
	"||": "true when the test on either side is",
	"!":  "true when the test after it is false",
	"==": "true when the left side matches the pattern on the right (quoted, it is compared as a string)",
	"=":  "true when the left side matches the pattern on the right (quoted, it is compared as a string)",
	"!=": "true when the left side does not match the pattern on the right",
	"=~": "true when the left side matches the extended regular expression on the right; the matches are in BASH_REMATCH (zsh: MATCH)",
	"<":  "true when the left side sorts before the right, in the current locale",
	">":  "true when the left side sorts after the right, in the current locale",
}

// testOperator is a test's operator as its documentation has it.
func (w *walker) testOperator(op, kind string) Part {
	p := Part{Text: op, Kind: kind, Program: "[["}
	if doc, ok := testOperators[op]; ok {
		p.Doc, p.Known = doc, true
		return p
	}
	d := w.l.docsFor(w.ctx, "test", w.shell)
	e, key, src, ok := d.lookup(op)
	w.describe(&p, e, key, src, ok, op)
	return p
}

// compoundDoc names a compound command by its first word.
func compoundDoc(kw string) string {
	switch kw {
	case "for":
		return "a loop: runs the body once for each item"
	case "while":
		return "a loop: runs the body while the condition succeeds"
	case "until":
		return "a loop: runs the body until the condition succeeds"
	case "if":
		return "runs a branch depending on whether the condition succeeds"
	case "case":
		return "runs the branch whose pattern matches the word"
	case "[[":
		return "a test of strings, numbers and files (bash/zsh)"
	case "((":
		return "arithmetic evaluation; it succeeds when the result is not zero"
	case "let":
		return "evaluates each argument as an arithmetic expression"
	case "time":
		return "runs the command after it and reports the time it took"
	case "select":
		return "a menu: prints the items numbered, reads a choice, and runs the body with it"
	case "coproc":
		return "runs the command in the background, connected to the shell by two pipes"
	}
	if strings.HasSuffix(kw, "()") || kw == "function" {
		return "defines a shell function"
	}
	return ""
}

func (w *walker) nested(stmts []*syntax.Stmt) {
	w.depth++
	for i, st := range stmts {
		if i > 0 {
			w.add(Part{Text: ";", Kind: KindOperator, Doc: "then run the next command", Known: true})
		}
		w.stmt(st)
	}
	w.depth--
}

func (w *walker) assignment(a *syntax.Assign, forCommand bool) {
	doc, src := w.variableDoc("sets the shell variable ", a.Name.Value, "")
	if forCommand {
		doc, src = w.variableDoc("sets the environment variable ", a.Name.Value, " for this command only")
	}
	w.add(Part{Text: w.text(a), Kind: KindAssignment, Doc: doc, Source: src, Known: true})
	if a.Value != nil {
		w.promptValue(a)
		w.commandValue(a)
		w.listedValues(a)
		w.valueParts(a.Value, true) // x=$HOME, x=${f%.jpg}
	}
}

// variableDoc is what a part says of the variable it names or sets
// ("sets the shell variable HISTSIZE"), then what the shell's manual
// says of the variable, if anything, and that manual's name.
func (w *walker) variableDoc(what, name, after string) (doc, source string) {
	doc = what + name + after
	if v, src := w.l.variable(w.ctx, w.shell, name); v != "" {
		return doc + ": " + v, src
	}
	return doc, ""
}

// commandValue explains, under the assignment, the commands bash's
// PROMPT_COMMAND='history -a; history -n' is to run before each prompt.
// Likewise the variables that name a program to run (PAGER='less -R'),
// those that hold a program's options (LESS='-R -i': less's -R and -i,
// without less itself, which is not on the line), and bash's
// HISTTIMEFORMAT, a strftime format read with date(1)'s.
func (w *walker) commandValue(a *syntax.Assign) {
	name, value := a.Name.Value, ""
	if a.Value != nil {
		value = literal(a.Value)
	}
	if value == "" {
		return
	}
	switch {
	case name == "PROMPT_COMMAND" && w.shell == "bash" || commandVariables[name]:
		if nested := w.commandLine(value, w.shell); nested != nil {
			w.parts = append(w.parts, nested...)
		}
	case optionVariables[name] != "":
		prog := optionVariables[name]
		nested := w.commandLine(prog+" "+value, w.shell)
		if len(nested) < 2 || nested[0].Kind != KindProgram {
			return
		}
		w.parts = append(w.parts, nested[1:]...)
	case name == "HISTTIMEFORMAT":
		if d := w.l.page(w.ctx, "date"); d != nil {
			if doc := d.formatDoc(value); doc != "" {
				w.add(Part{Text: w.text(a.Value), Kind: KindArgument, Doc: "a format: " + doc, Source: d.name, Known: true})
			}
		}
	}
}

// commandVariables name a program to run, with its arguments: the
// editor and pager programs (and git, man and sudo's own) start.
var commandVariables = map[string]bool{"EDITOR": true, "VISUAL": true, "PAGER": true, "MANPAGER": true, "GIT_EDITOR": true,
	"GIT_PAGER": true, "SUDO_EDITOR": true, "SYSTEMD_PAGER": true, "BAT_PAGER": true, "DELTA_PAGER": true}

// optionVariables hold options a program reads as if given first on
// its command line.
var optionVariables = map[string]string{"LESS": "less", "FZF_DEFAULT_OPTS": "fzf", "MORE": "more", "GZIP": "gzip",
	"XZ_OPT": "xz", "BZIP2": "bzip2", "TAR_OPTIONS": "tar"}

// listedValues explains the values of a variable whose manual says
// what each does (HISTCONTROL=ignoreboth:erasedups), a colon- or
// comma-separated list; nothing where one is not among them.
func (w *walker) listedValues(a *syntax.Assign) {
	values, src := w.l.variableValues(w.ctx, w.shell, a.Name.Value)
	v := literal(a.Value)
	if values == nil || v == "" {
		return
	}
	var docs []string
	for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ':' || r == ',' }) {
		doc, ok := values[item]
		if !ok {
			return
		}
		docs = append(docs, item+": "+doc)
	}
	if len(docs) > 0 {
		w.add(Part{Text: w.text(a.Value), Kind: KindArgument, Doc: strings.Join(docs, "; "), Source: src, Known: true})
	}
}

// promptValue explains the escapes of a prompt the assignment sets
// (PS1='\u@\h:\w\$ ', zsh's PROMPT='%n@%m %~ %# ').
func (w *walker) promptValue(a *syntax.Assign) {
	if !promptVariables[w.shell][a.Name.Value] {
		return
	}
	p := w.l.promptEscapes(w.ctx, w.shell)
	if doc := promptDoc(p, promptText(a.Value)); doc != "" {
		w.add(Part{Text: w.text(a.Value), Kind: KindArgument, Doc: "the prompt: " + doc, Source: p.name, Known: true})
	}
}

// substitutions explains the commands inside $(...) and `...` of a word.
func (w *walker) substitutions(word *syntax.Word) { w.valueParts(word, false) }

// valueParts lists the parameters of a word (see variables; lone for an
// assignment's value), then explains the commands inside its $(...).
func (w *walker) valueParts(word *syntax.Word, lone bool) {
	w.variables(word, lone)
	syntax.Walk(word, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			w.add(Part{Text: "$( … )", Kind: KindOperator, Doc: "command substitution: replaced by the output of the commands inside", Known: true})
			w.nested(n.Stmts)
			return false
		case *syntax.ProcSubst:
			w.add(Part{Text: n.Op.String() + " … )", Kind: KindOperator, Doc: "process substitution: the commands' output (or input) as a file name", Known: true})
			w.nested(n.Stmts)
			return false
		}
		return true
	})
}

func (w *walker) redirect(r *syntax.Redirect) Part {
	target := ""
	if r.Word != nil {
		target = w.text(r.Word)
	}
	fd := ""
	if r.N != nil {
		fd = r.N.Value
	}
	stream := "output"
	switch fd {
	case "", "1":
	case "2":
		stream = "errors"
	case "0":
		stream = "input"
	default:
		stream = "file descriptor " + fd
	}
	var doc string
	switch {
	case (r.Op == syntax.DplOut || r.Op == syntax.DplIn) && target == "-":
		// exec 3>&-, 2>&-
		if fd == "" && r.Op == syntax.DplIn {
			stream = "input"
		}
		return Part{Text: w.text(r), Kind: KindRedirect, Doc: "closes " + stream, Known: true}
	case strings.HasPrefix(stream, "file descriptor") && (r.Op == syntax.RdrIn || r.Op == syntax.RdrOut || r.Op == syntax.AppOut):
		// exec 3<file, exec 3>log: a descriptor of its own.
		how := map[syntax.RedirOperator]string{syntax.RdrIn: "reading", syntax.RdrOut: "writing, replacing its contents", syntax.AppOut: "appending"}[r.Op]
		return Part{Text: w.text(r), Kind: KindRedirect, Doc: "opens " + target + " as " + stream + " for " + how, Known: true}
	}
	switch r.Op {
	case syntax.RdrOut, syntax.RdrClob:
		doc = "writes " + stream + " to " + target + ", replacing its contents"
		if target == "/dev/null" {
			doc = "discards " + stream
		}
	case syntax.AppOut:
		doc = "appends " + stream + " to " + target
	case syntax.RdrIn:
		doc = "reads input from " + target
	case syntax.DplOut:
		doc = "sends " + stream + " to the same place as file descriptor " + target
		if translate.DupToFile(r) {
			// bash reads >&word, a word no number, as &>word.
			doc = "writes output and errors to " + target + ", replacing its contents (as &> does)"
			if target == "/dev/null" {
				doc = "discards output and errors"
			}
		} else if target == "1" {
			doc = "sends " + stream + " to the same place as output"
		} else if target == "2" {
			doc = "sends " + stream + " to the same place as errors"
		}
	case syntax.DplIn:
		doc = "reads input from file descriptor " + target
	case syntax.RdrAll:
		doc = "writes output and errors to " + target
		if target == "/dev/null" {
			doc = "discards output and errors"
		}
	case syntax.AppAll:
		doc = "appends output and errors to " + target
	case syntax.Hdoc, syntax.DashHdoc:
		// The part is the operator and its delimiter; the body follows.
		return Part{Text: r.Op.String() + target, Kind: KindRedirect, Doc: "here-document: the lines up to " + target + " are the input", Known: true}
	case syntax.WordHdoc:
		doc = "here-string: " + target + " is the input"
	case syntax.RdrInOut:
		doc = "opens " + target + " for reading and writing"
	default:
		doc = "redirection"
	}
	return Part{Text: w.text(r), Kind: KindRedirect, Doc: doc, Known: true}
}

// call explains one simple command, then the commands substituted into
// its words.
func (w *walker) call(args []*syntax.Word) {
	words := make([]string, len(args))
	for i, a := range args {
		if words[i] = literal(a); words[i] == "" {
			words[i] = w.text(a)
		}
	}
	w.program(words, args, 0)
	for _, a := range args {
		w.substitutions(a)
	}
}

// literal is a word's value with quotes removed, or "" when it has
// expansions.
func literal(word *syntax.Word) string {
	var b strings.Builder
	for _, p := range word.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			// Unquoted, a backslash quotes the next character: \; is ;.
			v := p.Value
			for i := 0; i < len(v); i++ {
				if v[i] == '\\' && i+1 < len(v) {
					i++
				}
				b.WriteByte(v[i])
			}
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return ""
				}
				b.WriteString(l.Value)
			}
		default:
			return ""
		}
	}
	return b.String()
}

// abbreviates are the programs that take any abbreviation of a command
// (iproute2's: ip a, ip addr and ip address are one).
var abbreviates = map[string]bool{"ip": true, "tc": true, "bridge": true, "devlink": true}

// ipObjects are ip's objects in the order ip matches an abbreviation
// against them (ip l is link, though ip(8) lists l2tp first), by the
// names of their pages (ip-neighbour(8)).
var ipObjects = []string{"address", "addrlabel", "maddress", "route", "rule", "neighbour", "ntable", "link", "l2tp", "fou",
	"ila", "macsec", "tunnel", "tuntap", "token", "tcp_metrics", "monitor", "xfrm", "mroute", "mrule", "netns", "netconf",
	"vrf", "sr", "nexthop", "mptcp", "ioam", "stats"}

// findOperators are the words of find's expressions that are not
// primaries.
var findOperators = map[string]string{"(": "starts a group of tests, evaluated first", ")": "ends the group",
	"!": "true when the test after it is false", ",": "evaluates both sides, keeps the right one's value"}

// testWords are test's and ['s words that are not options.
var testWords = map[string]string{"=": "true when the strings are equal", "==": "true when the strings are equal (bash's spelling of =)",
	"!=": "true when the strings differ", "!": "true when the test after it is false",
	"(": "starts a group of tests", ")": "ends the group", "]": "ends the test"}

// oldStyle programs take a first argument of bundled letters without a
// dash: tar xzf, ps aux, ar rcs.
var oldStyle = map[string]bool{"tar": true, "ps": true, "ar": true}

// program explains words[i:] as a command: the program, its subcommand,
// its options with their values, and its arguments.
func (w *walker) program(words []string, nodes []*syntax.Word, i int) {
	if i >= len(words) {
		return
	}
	text := w.text(nodes[i])
	if text == "" {
		text = words[i]
	}
	if strings.ContainsAny(words[i], " \t") {
		// watch 'df -h': a command line given whole, which the wrapper
		// hands to a shell.
		if nested := w.commandLine(words[i], "bash"); nested != nil {
			w.add(Part{Text: text, Kind: KindArgument, Doc: "the commands to run:", Known: true})
			w.parts = append(w.parts, nested...)
			return
		}
	}
	name := path.Base(words[i])
	docs := w.l.docsFor(w.ctx, name, w.shell)
	p := w.programPart(name, text, docs)
	if doc, src := w.paramDoc(text); docs.main == nil && doc != "" {
		// $EDITOR file: the program a variable names.
		p.Doc, p.Source, p.Known = "the program "+text+" names: "+doc, src, true
	}
	w.add(p)
	defer w.operandRoles(name, len(w.parts))
	i++
	start := i
	first, nested := true, false
	endOpts, configKey := false, false
	gitKey, gitValued := "", false // git config's key, and whether its value was read
	// chmod's first operand is the mode, which may look like an option;
	// sed's is the script, unless -e or -f gives it.
	mode := name == "chmod" || name == "umask"
	script := name == "sed" || awks[name]
	ranCommand := false // a shell's -c operand seen, or ssh's command
	sshHost := false    // ssh's host seen
	for i < len(words) {
		word, text := words[i], w.text(nodes[i])
		if text == "" {
			text = word
		}
		if mode && word != "--" && (word == "" || word[0] != '-' || symbolicMode.MatchString(word)) {
			mode = false
			if doc := operandModeDoc(name, word); doc != "" {
				w.add(Part{Text: text, Kind: KindArgument, Program: name, Doc: doc, Known: true})
				first, nested = nested, false
				i++
				continue
			}
		}
		plus, plusSrc := "", ""
		if !endOpts && word != "" && word[0] == '+' {
			plus, plusSrc = docs.firstPage(func(p *page) string { return p.plusDoc(word) })
		}
		setting, settingArg := "", false
		if name == "stty" && !endOpts {
			setting, settingArg = sttySetting(w.l.sttySettings(w.ctx), word)
		}
		switch {
		case !endOpts && word == "--":
			w.add(Part{Text: text, Kind: KindOperator, Program: name, Doc: "end of options: what follows are arguments", Known: true})
			endOpts = true
		case setting != "":
			// stty -echo, stty intr ^C: its settings are words.
			w.add(Part{Text: text, Kind: KindArgument, Program: name, Doc: setting, Source: "stty(1)", Known: true, value: true})
			if settingArg && i+1 < len(words) {
				i++
				valueText := w.text(nodes[i])
				if valueText == "" {
					valueText = words[i]
				}
				w.add(Part{Text: valueText, Kind: KindArgument, Program: name, Doc: sttyValue(word, words[i]), Known: true, value: true})
			}
		case !endOpts && i == start && oldStyle[name] && word != "" && word[0] != '-' && isLetters(word):
			i = w.bundle(docs, name, word, text, words, nodes, i, true)
		case !endOpts && len(word) > 1 && word[0] == '-':
			if script && scriptOption(name, word) {
				script = false
			}
			i = w.option(docs, name, word, text, words, nodes, i)
			// python -m pytest -x, python -c '…' -v: -c and -m end
			// python's options; the rest are the program's.
			endOpts = strings.HasPrefix(name, "python") && (word == "-c" || word == "-m")
		case !endOpts && takesPlus(docs, word):
			i = w.plus(docs, name, word, text, words, nodes, i)
		case plus != "":
			// vim +10, less +G, more +/pattern.
			w.add(Part{Text: text, Kind: KindFlag, Program: name, Doc: plus, Source: plusSrc, Known: true})
		case !endOpts && word == "-" && docs.documents("-"):
			p := Part{Text: text, Kind: KindFlag, Program: name}
			e, key, src, _ := docs.lookup(word)
			w.describe(&p, e, key, src, true, word)
			w.add(p)
		case first && docs.main != nil && docs.sub(w.l, w.ctx, name, word, &nested):
			p := Part{Text: text, Kind: KindSubcommand, Program: name, Doc: docs.subDoc, Source: docs.subSrc, Known: true}
			if p.Doc == "" {
				p.Doc = "a subcommand of " + name
			}
			w.add(p)
		case name == "find" && findOperators[word] != "":
			w.add(Part{Text: text, Kind: KindOperator, Program: name, Doc: findOperators[word], Known: true})
		case (name == "test" || name == "[") && testWords[word] != "" && (word != "]" || name == "[" && i == len(words)-1):
			w.add(Part{Text: text, Kind: KindOperator, Program: name, Doc: testWords[word], Known: true})
		case (name == "env" || name == "sudo") && envAssignment.MatchString(word):
			// env FOO=bar ls, sudo LANG=C make: set for the command run.
			n, v, _ := strings.Cut(word, "=")
			w.add(Part{Text: text, Kind: KindArgument, Program: name, Doc: fmt.Sprintf("sets %s to %q in the environment of the command it runs", n, v), Known: true})
		case translate.IsWrapper(name) && !(name == "timeout" && first && isDuration(word)):
			// The wrapped command is a program of its own.
			from := len(w.parts)
			w.program(words, nodes, i)
			if name == "xargs" {
				w.xargsReplace(from)
			}
			return
		default:
			p := Part{Text: text, Kind: KindArgument, Program: name, Doc: "argument", Known: true}
			program := ""
			if script {
				script, program = false, scriptDoc(name, word)
			}
			if n, body, ok := strings.Cut(word, "="); ok && name == "alias" && isAliasName(n) {
				// alias ll='ls -la': what the name will stand for,
				// explained under it.
				p.Doc = fmt.Sprintf("defines the alias %s, which stands for %q", n, body)
				if nested := w.commandLine(body, w.shell); nested != nil {
					p.Doc = "defines the alias " + n + ", which stands for:"
					w.add(p)
					w.parts = append(w.parts, nested...)
					break
				}
				w.add(p)
				break
			}
			if name == "trap" && !ranCommand && i < len(words)-1 && word != "-" && trapWhen(words[i+1]) != "" {
				// trap 'rm -f "$tmp"' EXIT: the commands, explained
				// under it, then when they run.
				ranCommand = true
				if nested := w.commandLine(word, w.shell); nested != nil {
					p.Doc = "the commands to run then:"
					w.add(p)
					w.parts = append(w.parts, nested...)
					break
				}
			}
			if name == "ssh" && sshHost && !ranCommand {
				// ssh host 'tail -f log': a command given as one word,
				// explained under it.
				ranCommand = true
				if i == len(words)-1 {
					if nested := w.commandLine(word, "bash"); nested != nil {
						p.Doc = "the command to run there:"
						w.add(p)
						w.parts = append(w.parts, nested...)
						break
					}
				}
			}
			if name == "ssh" && sshHost {
				// ssh h ls -la: the command's words, not ssh's options.
				endOpts = true
			}
			sshHost = sshHost || name == "ssh"
			// python3 app.py --port 1, bash run.sh -v: the script's
			// options, not the interpreter's (bash -c '…' -x: its $0).
			endOpts = endOpts || interpreters[name] || translate.CommandShell(name) != ""
			if inner := translate.CommandShell(name); inner != "" && !ranCommand && start+translate.CommandOperand(words[start:]) == i {
				// bash -c 'cd /tmp && ls': the commands, explained under it.
				ranCommand = true
				if nested := w.commandLine(word, inner); nested != nil {
					p.Doc = "the commands to run, read by " + name + ":"
					w.add(p)
					w.parts = append(w.parts, nested...)
					break
				}
			}
			if name == "git" && docs.subName == "config" && gitKey != "" && !gitValued {
				// git config alias.lg "log --oneline": what the alias runs.
				gitValued = true
				if doc, nested := w.gitConfigCommand(gitKey, literal(nodes[i])); nested != nil {
					p.Doc = doc
					w.add(p)
					w.parts = append(w.parts, nested...)
					break
				}
			}
			if program != "" {
				p.Doc = program // sed 's/a/b/g', awk '{print $1}'
			} else if rev := gitArgument(name, docs.subName, word); rev != "" {
				p.Doc = rev // git reset --hard HEAD~1, git log main..feature
			} else if doc, src := w.optionArg(name, word, hasLetter(words[start:i], 'o')); doc != "" {
				p.Doc, p.Source = doc, src
			} else if doc, src := w.paramDoc(text); doc != "" {
				p.Doc, p.Source = doc, src // echo $HOME, kill $!
			} else if doc, src := docs.operandDoc(word); doc != "" {
				p.Doc, p.Source = doc, src // dd bs=4M
			} else if doc, src := docs.formatDoc(word); doc != "" {
				// date +%Y-%m-%d: the format, sequence by sequence.
				p.Doc, p.Source = "a format: "+doc, src
			} else if name == "git" && docs.subName == "config" && !configKey && strings.Contains(word, ".") {
				// git config [--global] user.name "Me": the variable (after
				// git 2.46's "set" or "get", if any).
				configKey, gitKey = true, word
				if doc, src := w.l.gitVariable(w.ctx, word); doc != "" {
					p.Doc, p.Source = doc, src
				}
			}
			w.add(p)
		}
		if !(len(word) > 1 && (word[0] == '-' || word[0] == '+' && takesPlus(docs, word))) {
			first, nested = nested, false
		}
		i++
	}
}

// gitCommandKeys are git's variables whose value is a command line.
var gitCommandKeys = map[string]bool{"core.editor": true, "core.pager": true, "sequence.editor": true, "core.sshcommand": true}

// gitConfigCommand explains a git variable's value that is a command:
// an alias's git command (alias.lg = log --oneline) or shell command
// (alias.x = !make test), an editor or pager (core.editor = code
// --wait); nil for any other value.
func (w *walker) gitConfigCommand(key, value string) (string, []Part) {
	key = strings.ToLower(key)
	if value == "" {
		return "", nil
	}
	switch alias, ok := strings.CutPrefix(key, "alias."); {
	case ok && strings.HasPrefix(value, "!"):
		return "what git " + alias + " runs, a shell command:", w.commandLine(value[1:], "bash")
	case ok:
		return "what git " + alias + " stands for:", w.commandLine("git "+value, "bash")
	case gitCommandKeys[key]:
		return "the command git runs:", w.commandLine(value, "bash")
	}
	return "", nil
}

func (w *walker) programPart(name, text string, docs *programDocs) Part {
	p := Part{Text: text, Kind: KindProgram, Program: name}
	switch {
	case docs.main == nil:
		p.Doc = "no documentation found for " + name + " on this machine"
	case docs.main.summary != "":
		p.Doc, p.Source, p.Known = docs.main.summary, docs.main.name, true
	default:
		p.Doc, p.Source, p.Known = "documented in "+docs.main.name, docs.main.name, true
	}
	return p
}

// hasLetter reports whether one of words is a short option or bundle
// of them with the letter c (shopt -o, -so).
func hasLetter(words []string, c byte) bool {
	for _, w := range words {
		if len(w) > 1 && w[0] == '-' && w[1] != '-' && strings.IndexByte(w, c) > 0 {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDuration(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// option explains the option word at words[i] (and its value) and returns
// the index of the last word it used.
func (w *walker) option(d *programDocs, prog, word, text string, words []string, nodes []*syntax.Word, i int) int {
	// --name=value
	if strings.HasPrefix(word, "--") {
		name, value, hasValue := strings.Cut(word, "=")
		e, key, src, ok := d.lookup(name)
		if !ok && !hasValue {
			e, key, src, ok = d.abbrev(name)
		}
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, ok, name)
		if v, documented := e.values[value]; ok && hasValue && documented {
			p.Doc = v // fish's --style=url
		} else if f, _ := w.formatDoc(src, value); ok && hasValue && f != "" {
			p.Doc += "; its format: " + f // git log --format=%h, ls --time-style=+%F
		}
		w.add(p)
		// A wrapper without a page (sudo in a container) still has its
		// value-taking options known, so its value is not read as the
		// wrapped program.
		if (ok && e.arg && !e.optional || !ok && translate.WrapperTakesValue(prog, name)) && !hasValue && i+1 < len(words) {
			i++
			label := name
			if !strings.HasPrefix(strings.TrimLeft(text, `"'`), "--") {
				label = name[1:] // -filetype, as written (see below)
			}
			w.add(w.value(w.text(nodes[i]), words[i], prog, label, e, src))
		}
		return i
	}
	// -name (find, java) or -x as documented; find documents its
	// -newerXY family once for every X and Y.
	asKey := word
	if prog == "find" && len(word) == 8 && strings.HasPrefix(word, "-newer") {
		asKey = "-newerXY"
	}
	e, key, src, ok := d.lookup(asKey)
	if !ok && len(word) > 1 && strings.Trim(word[1:], "0123456789") == "" {
		// gzip -9, zstd -19: pages document the levels once, as "-#"
		// (a lookup that fails leaves the same as the one before).
		e, key, src, ok = d.lookup("-#")
	}
	if ok {
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, true, word)
		w.add(p)
		if e.arg && !e.optional && i+1 < len(words) {
			if prog == "find" && (word == "-exec" || word == "-execdir" || word == "-ok" || word == "-okdir") {
				return w.findExec(prog, words, nodes, i+1)
			}
			i++
			w.add(w.value(w.text(nodes[i]), words[i], prog, word, e, src))
		}
		return i
	}
	if long := "-" + word; len(word) > 2 && prog != "find" && d.documents(strings.SplitN(long, "=", 2)[0]) &&
		(strings.Contains(word, "=") || !d.documents(word[:2])) {
		// LLVM's tools and Go-style flags take -filetype=obj for
		// --filetype=obj; ls -all is still -a -l -l.
		return w.option(d, prog, long, text, words, nodes, i)
	}
	if e, key, src, ok := d.attached(word); ok && prog != "find" {
		// java's -Xmx2g, -agentlib:jdwp=...; gcc's -std=c11: one option
		// with its value, not a bundle of letters.
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, true, word)
		w.add(p)
		return i
	}
	if e, key, src, ok := d.numberTagged(word); ok {
		// find's -O2, tagged "-Olevel": the number in the place of the
		// word that names it.
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, true, word)
		w.add(p)
		return i
	}
	if prog == "find" {
		// find's primaries are words, never bundles of letters.
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, false, word)
		w.add(p)
		return i
	}
	if doc := numberOptionDoc(prog, word); doc != "" {
		w.add(Part{Text: text, Kind: KindFlag, Program: prog, Doc: doc, Known: true})
		return i
	}
	if d.main != nil && d.main.builtin && strings.Trim(word[1:], "0123456789") == "" && !d.documents(word[:2]) {
		// history -10, fc -l -20: a number counted back, not letters.
		w.add(Part{Text: text, Kind: KindArgument, Program: prog, Doc: "argument", Known: true})
		return i
	}
	if d.main == nil && !translate.IsWrapper(prog) {
		// Nothing says whether -Wall is four letters or one option:
		// shown as written. A wrapper's letters are known (sudo -iu).
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, false, word)
		w.add(p)
		return i
	}
	// A bundle of short options: -xzvf, -fFILE, -n5.
	return w.bundle(d, prog, word[1:], text, words, nodes, i, false)
}

// declFlags explains the options of declare, typeset, local, export
// and readonly: -gA is -g and -A, +x the opposite of -x. Their values
// are words of their own (typeset -i 16 n), but for zsh's counts, which
// may be attached (typeset -Z2 n).
func (w *walker) declFlags(d *programDocs, prog, word, text string) {
	if e, key, src, ok := d.lookup(word); ok || len(word) == 2 && word[0] == '-' || !isLetters(strings.TrimRight(word[1:], "0123456789")) {
		p := Part{Text: text, Kind: KindFlag, Program: prog}
		w.describe(&p, e, key, src, ok, word)
		w.add(p)
		return
	}
	for j := 1; j < len(word); j++ {
		p, _, _, _ := w.signedLetter(d, prog, word[0], word[j])
		w.add(p)
		if rest := word[j+1:]; rest != "" && strings.Trim(rest, "0123456789") == "" {
			w.add(valuePart(rest, rest, prog, p.Text))
			return
		}
	}
}

// signals are the ones worth a name in an explanation, by number as
// Linux numbers them on x86 and arm.
var signals = map[string]string{"1": "HUP", "2": "INT", "3": "QUIT", "6": "ABRT", "9": "KILL", "10": "USR1",
	"12": "USR2", "13": "PIPE", "14": "ALRM", "15": "TERM", "18": "CONT", "19": "STOP", "20": "TSTP"}

// isAliasName tells whether n can name an alias: no blanks, quotes or
// the characters the shell reads as syntax.
func isAliasName(n string) bool {
	return n != "" && !strings.ContainsAny(n, " \t\n'\"$`\\|&;()<>=/")
}

// trapWhen says when trap runs its commands for a condition: a signal
// by name or number, or one of the shell's own (EXIT, ERR, DEBUG,
// RETURN); "" for anything else.
func trapWhen(cond string) string {
	c := strings.TrimPrefix(strings.ToUpper(cond), "SIG")
	switch c {
	case "EXIT", "0":
		return "when the shell exits"
	case "ERR":
		return "when a command fails (as set -e would see it)"
	case "DEBUG":
		return "before each command"
	case "RETURN":
		return "when a function or a sourced script returns"
	case "ZERR":
		return "when a command fails (zsh)"
	}
	num, name, ok := signal(c)
	if !ok {
		return ""
	}
	what := map[string]string{"INT": " (Ctrl-C)", "TERM": " (asked to end)", "HUP": " (its terminal closed)",
		"TSTP": " (Ctrl-Z)", "QUIT": " (Ctrl-\\)"}[name]
	return fmt.Sprintf("on signal %s, SIG%s%s", num, name, what)
}

// signal finds a signal of the signals table by its number or its name
// without SIG: "9" and "KILL" are both 9, KILL.
func signal(s string) (num, name string, ok bool) {
	if n, ok := signals[s]; ok {
		return s, n, true
	}
	for k, v := range signals {
		if v == s {
			return k, v, true
		}
	}
	return "", "", false
}

// numberOptionDoc explains the options manual pages document only as a
// form: kill -9, pkill -HUP, killall -SIGTERM (-signal, not each
// signal), and head -5, tail -20 (the old spelling of -n N). They
// otherwise read as undocumented letters.
func numberOptionDoc(prog, word string) string {
	if (prog == "head" || prog == "tail") && len(word) > 1 && strings.Trim(word[1:], "0123456789") == "" {
		return fmt.Sprintf("the %s %s lines (the old spelling of -n %s)", map[string]string{"head": "first", "tail": "last"}[prog], word[1:], word[1:])
	}
	if prog == "renice" && len(word) > 1 && strings.Trim(word[1:], "0123456789") == "" {
		// renice [-n] priority: a negative priority is a number, not -5.
		return fmt.Sprintf("the new priority, %s (lower values are scheduled first; -n may precede it)", word)
	}
	if prog != "kill" && prog != "pkill" && prog != "killall" {
		return ""
	}
	num, name, ok := signal(strings.TrimPrefix(strings.TrimPrefix(word, "-"), "SIG"))
	if !ok {
		return ""
	}
	doc := fmt.Sprintf("sends signal %s (SIG%s)", num, name)
	switch name {
	case "KILL":
		doc += ": ends the process at once; it cannot be caught or cleaned up after"
	case "TERM":
		doc += ": asks the process to end (the default)"
	case "HUP":
		doc += ": many daemons reload their configuration on it"
	case "STOP":
		doc += ": pauses the process until SIGCONT; it cannot be caught"
	}
	return doc
}

// bundle explains letters as short options; the first that takes a value
// gets the rest of the letters, or the next word.
func (w *walker) bundle(d *programDocs, prog, letters, text string, words []string, nodes []*syntax.Word, i int, bare bool) int {
	for j := 0; j < len(letters); j++ {
		c := letters[j : j+1]
		key := "-" + c
		e, k, src, ok := d.lookup(key)
		if !ok && c[0] >= '0' && c[0] <= '9' && !bare {
			e, k, src, ok = d.lookup("-#") // gzip -9v
		}
		p := Part{Text: key, Kind: KindFlag, Program: prog}
		if bare {
			// Old-style letters (tar xzf, ps aux) are shown as written; ps
			// documents its BSD options without the dash.
			p.Text = c
			if e2, k2, src2, ok2 := d.lookup(c); ok2 {
				e, k, src, ok = e2, k2, src2, ok2
			}
		}
		if len(letters) == 1 {
			p.Text = text
		}
		w.describe(&p, e, k, src, ok, key)
		w.add(p)
		if ok && e.arg && e.optional && !bare {
			// -i[SUFFIX]: an optional value is only ever attached.
			rest := letters[j+1:]
			if e.digits && rest != "" && (rest[0] < '0' || rest[0] > '9') {
				continue // perl -lane: -l's value is a number
			}
			if rest != "" {
				w.add(valuePart(attachedText(text, letters[:j+1], rest), rest, prog, key))
			}
			return i
		}
		if ok && e.arg && !e.optional || !ok && !bare && translate.WrapperTakesValue(prog, key) {
			if rest := letters[j+1:]; rest != "" {
				w.add(w.value(attachedText(text, letters[:j+1], rest), rest, prog, key, e, src))
			} else if i+1 < len(words) {
				i++
				w.add(w.value(w.text(nodes[i]), words[i], prog, key, e, src))
			}
			return i
		}
	}
	return i
}

// attachedText is a value attached to letters as the command line
// spells it: cut -d' ' shows ' ', not a blank.
func attachedText(text, letters, value string) string {
	if t, ok := strings.CutPrefix(text, "-"+letters); ok && t != "" {
		return t
	}
	return value
}

// findExec explains the command find runs, up to its ; or +.
func (w *walker) findExec(prog string, words []string, nodes []*syntax.Word, i int) int {
	j := i
	for j < len(words) && words[j] != ";" && words[j] != "+" {
		j++
	}
	w.depth++
	from := len(w.parts)
	w.program(words[:j], nodes[:j], i)
	for k := from; k < len(w.parts); k++ {
		if p := &w.parts[k]; p.Depth == w.depth && strings.Trim(p.Text, `'"`) == "{}" {
			found := "the path of the file found (find puts it here)"
			if words[j-1] == "{}" && j < len(words) && words[j] == "+" {
				found = "the paths of the files found (find puts as many as fit here)"
			}
			if p.Kind == KindArgument && p.Doc != "argument" {
				found = p.Doc + ": " + found // mv {} /tmp: what to move
			}
			p.Doc, p.Source, p.Known = found, "", true
		}
	}
	w.depth--
	if j < len(words) {
		doc := "ends the command, run once per file"
		if words[j] == "+" {
			doc = "ends the command, run with many files at once"
		}
		w.add(Part{Text: w.text(nodes[j]), Kind: KindOperator, Program: prog, Doc: doc, Known: true})
	}
	return j
}

func valuePart(text, word, prog, opt string) Part {
	if text == "" {
		text = word
	}
	return Part{Text: text, Kind: KindArgument, Program: prog, Doc: "the value of " + opt, Known: true, value: true}
}

// value is valuePart for option opt, documented by e in src, with the
// value's own meaning where one is documented: set -o pipefail from the
// list in set's help, zsh's set -o from zshoptions(1).
func (w *walker) value(text, word, prog, opt string, e entry, src *page) Part {
	p := valuePart(text, word, prog, opt)
	if doc := valueNotation(prog, opt, word); doc != "" {
		p.Doc += ": " + doc // ssh -L 8080:localhost:80, sort -k2,2n, cut -f1,3
		return p
	}
	if prog == "su" && (opt == "-c" || opt == "--command") {
		if nested := w.commandLine(word, "bash"); nested != nil {
			p.Doc += ": the commands to run, read by the user's shell:"
			w.after = nested
			return p
		}
	}
	if prog == "sed" && (opt == "-e" || opt == "--expression") {
		if doc := sedDoc(word); doc != "" {
			p.Doc += ": " + doc // sed -e 's/a/b/'
			return p
		}
	}
	if prog == "find" {
		if doc := findValueDoc(opt, word); doc != "" {
			p.Doc += ": " + doc // -size +100M, -mtime -7
			return p
		}
	}
	if (opt == "-m" || opt == "--mode") && (prog == "install" || prog == "mkdir" || prog == "mkfifo" || prog == "mknod") && isMode(word) {
		// install -m 0644: what the mode allows.
		p.Doc += ", the mode " + modeDoc(word)
		return p
	}
	if doc, source := w.paramDoc(text); doc != "" {
		// ps -p $$: the value, and what the parameter holds.
		p.Doc, p.Source = p.Doc+", "+strings.Trim(text, `"`)+": "+doc, source
		return p
	}
	if w.shell == "zsh" && prog == "set" && (opt == "-o" || opt == "+o") {
		if doc, source := w.l.zshOption(w.ctx, word); doc != "" {
			p.Doc, p.Source = doc, source
		}
		return p
	}
	if doc, source := w.l.configOption(w.ctx, prog, opt, word); doc != "" {
		p.Doc, p.Source = doc, source
		return p
	}
	if doc := itemsDoc(word, src); doc != "" && e.values == nil {
		// mount -o ro,noatime: each option is an entry of mount(8).
		p.Doc, p.Source = doc, src.name
		return p
	}
	if doc, source := w.formatDoc(src, word); doc != "" && e.values[word] == "" {
		// stat -c '%s %n', find -printf '%f\n'.
		p.Doc, p.Source = p.Doc+", a format: "+doc, source
		return p
	}
	if doc, ok := e.values[word]; ok && src != nil {
		// "allexport  same as -a": the letter's meaning says more.
		if rest, ok := strings.CutPrefix(strings.ToLower(doc), "same as "); ok {
			letter := doc[len(doc)-len(rest):]
			if o, ok := src.entries[strings.TrimRight(firstField(letter), ".,")]; ok && o.doc != "" {
				doc = strings.TrimRight(doc, " .") + ": " + o.doc
			}
		}
		p.Doc, p.Source = doc, src.name
	}
	return p
}

// formatDoc reads the % sequences of value from src, the page of the
// option it is given to; a +FORMAT that page leaves to date(1) (ls and
// du --time-style=+%F) from date's.
func (w *walker) formatDoc(src *page, value string) (doc, source string) {
	if doc := src.formatDoc(value); doc != "" {
		return doc, src.name
	}
	if rest, ok := strings.CutPrefix(value, "+"); ok && strings.Contains(rest, "%") {
		if d := w.l.page(w.ctx, "date"); d != nil {
			if doc := d.formatDoc(rest); doc != "" {
				return doc, d.name
			}
		}
	}
	return "", ""
}

// plus explains +x, which shell builtins read as the opposite of -x
// (set +e, set +o pipefail, typeset +x), with the value of the last
// letter where it takes one.
func (w *walker) plus(d *programDocs, prog, word, text string, words []string, nodes []*syntax.Word, i int) int {
	for j := 1; j < len(word); j++ {
		p, e, src, ok := w.signedLetter(d, prog, '+', word[j])
		if len(word) == 2 {
			p.Text = text
		}
		w.add(p)
		if ok && e.arg && !e.optional && j == len(word)-1 && i+1 < len(words) {
			i++
			w.add(w.value(w.text(nodes[i]), words[i], prog, "+"+word[j:j+1], e, src))
		}
	}
	return i
}

// signedLetter explains the letter c of a bundle written after sign:
// -x as documented, +x as its opposite.
func (w *walker) signedLetter(d *programDocs, prog string, sign, c byte) (Part, entry, *page, bool) {
	key := "-" + string(c)
	e, k, src, ok := d.lookup(key)
	p := Part{Text: string(sign) + string(c), Kind: KindFlag, Program: prog}
	w.describe(&p, e, k, src, ok, p.Text)
	if ok && sign == '+' {
		p.Doc = "the opposite of " + key + ": " + p.Doc
	}
	return p, e, src, ok
}

// takesPlus reports whether word is +x for a shell builtin that
// documents -x: elsewhere a leading + is an argument (date +%s).
func takesPlus(d *programDocs, word string) bool {
	return len(word) > 1 && word[0] == '+' && isLetters(word[1:]) && d.main != nil && d.main.builtin && d.documents("-"+word[1:2])
}

// describe fills p from a lookup result, saying plainly when there is no
// documentation for the option.
func (w *walker) describe(p *Part, e entry, key string, src *page, ok bool, asked string) {
	switch {
	case ok:
		p.Doc, p.Source, p.Known = e.doc, src.name, true
		if p.Doc == "" {
			p.Doc = "documented without a description"
		}
		if key != asked && strings.HasPrefix(key, "--") && strings.HasPrefix(asked, "--") {
			p.Doc = key + ": " + p.Doc
		}
	case src != nil:
		p.Doc = fmt.Sprintf("no documentation found for %s in %s", asked, src.name)
	default:
		p.Doc = fmt.Sprintf("no documentation found for %s (%s has no manual here)", asked, p.Program)
	}
}

// programDocs are the pages that document one program: its own, and its
// subcommand's once one is seen.
type programDocs struct {
	main    *page
	subPage *page
	// subName is the subcommand's words so far ("container ls"); subDoc
	// and subSrc are the last one's meaning and where it was found.
	subName, subDoc, subSrc string
	// root is the manual tree main came from when it is not the
	// system's: fish's own, whose string(1) has string-replace(1) beside it.
	root string
	// also documents what main leaves in prose: for a zsh builtin, bash's
	// help where both shells have it (cd -P), and the program's page where
	// zsh's is "like the system version" ([ -f, test -d).
	also []*page
	// ref is the builtin whose options main's take, of the same shell
	// (zsh's local, typeset's), documenting them before also does.
	ref *page
	// help asks the program itself for the options its manual page
	// leaves out (Library.optionHelp), once for the program and once for
	// each subcommand path (helped); nil where it is not asked.
	help   func(sub string) *page
	helped map[string]bool
}

// awks are the awk programs, which read one-line programs alike.
var awks = map[string]bool{"awk": true, "gawk": true, "mawk": true, "nawk": true}

// scriptDoc reads sed's script or awk's program, in each one's word for
// it, or "".
func scriptDoc(prog, word string) string {
	if awks[prog] {
		if doc := awkDoc(word); doc != "" {
			return "the program: " + doc
		}
		return ""
	}
	if doc := sedDoc(word); doc != "" {
		return "the script: " + doc
	}
	return ""
}

// scriptOption tells whether option word of sed or awk gives the script
// itself (sed -e, -f, -ne; awk -f, gawk -e), so that no operand is one.
func scriptOption(prog, word string) bool {
	if prog == "sed" {
		// sed's letters bundle: -ne is -n -e.
		return word[1] != '-' && strings.ContainsAny(word, "ef") || strings.HasPrefix(word, "--e") || strings.HasPrefix(word, "--f")
	}
	// awk's -v and -F take values of any letters (-vfoo=1).
	return strings.HasPrefix(word, "-f") || strings.HasPrefix(word, "-e") || strings.HasPrefix(word, "--file") ||
		strings.HasPrefix(word, "--source") || strings.HasPrefix(word, "--exec")
}

// operandDoc is the meaning of a key=value operand the page documents
// by its key (dd's bs=4M), and the page's name.
func (d *programDocs) operandDoc(word string) (string, string) {
	key, value, ok := strings.Cut(word, "=")
	if !ok {
		return "", ""
	}
	for _, p := range d.pages() {
		doc, ok := p.operands[key]
		if !ok {
			continue
		}
		// dd's conv=notrunc,fsync: each symbol is an entry of the page.
		var items []string
		for _, v := range strings.Split(value, ",") {
			if e, ok := p.entries[v]; ok && e.doc != "" && v != key && !p.again[v] {
				items = append(items, v+": "+e.doc)
			} else {
				items = nil
				break
			}
		}
		if len(items) > 0 {
			doc += "; " + strings.Join(items, "; ")
		}
		return doc, p.name
	}
	return "", ""
}

// firstPage is the first of the program's pages to read something in
// a word (read returns it, or ""), and that page's name.
func (d *programDocs) firstPage(read func(*page) string) (doc, source string) {
	for _, p := range d.pages() {
		if doc := read(p); doc != "" {
			return doc, p.name
		}
	}
	return "", ""
}

// formatDoc is the first page's reading of the % sequences in word,
// and its name.
func (d *programDocs) formatDoc(word string) (string, string) {
	return d.firstPage(func(p *page) string { return p.formatDoc(word) })
}

// documents tells whether the program's documentation has an entry
// for key.
func (d *programDocs) documents(key string) bool {
	_, _, _, ok := d.lookup(key)
	return ok
}

func (d *programDocs) pages() []*page {
	var out []*page
	if d.subPage != nil {
		out = append(out, d.subPage)
	}
	if d.main != nil {
		out = append(out, d.main)
	}
	if d.ref != nil {
		out = append(out, d.ref)
	}
	return append(out, d.also...)
}

func (d *programDocs) lookup(key string) (entry, string, *page, bool) {
	// A page's prose before the next page's list: zsh's own pages (the
	// builtin's, and the one it refers to for its options) speak for the
	// builtin before bash's help or the program's page (functions -x is
	// not typeset -x, and says so only in prose).
	own, rest := d.pages(), []*page(nil)
	if n := len(own) - len(d.also); n < len(own) {
		own, rest = own[:n], own[n:]
	}
	for _, p := range own {
		if e, ok := p.entries[key]; ok {
			return e, key, p, true
		}
		if e, ok := p.prose[key]; ok {
			// Whether it takes a value, a list elsewhere may say (zsh's
			// set -o, in bash's help).
			for _, q := range rest {
				if l, ok := q.entries[key]; ok {
					e.arg, e.optional, e.values = l.arg, l.optional, l.values
					break
				}
			}
			return e, key, p, true
		}
	}
	for _, p := range rest {
		if e, ok := p.entries[key]; ok {
			return e, key, p, true
		}
	}
	for _, p := range rest {
		if e, ok := p.prose[key]; ok {
			return e, key, p, true
		}
	}
	if d.help != nil && !d.helped[d.subName] {
		if d.helped == nil {
			d.helped = map[string]bool{}
		}
		d.helped[d.subName] = true
		if p := d.help(d.subName); p != nil {
			d.also = append(d.also, p)
			return d.lookup(key)
		}
	}
	if d.main == nil {
		return entry{}, "", nil, false
	}
	return entry{}, "", d.pages()[0], false
}

// attached finds the longest documented option of a dash and two or more
// letters that word starts with and that takes a value, which the rest
// of word is then (-Xmx2g for "-Xmx size").
func (d *programDocs) attached(word string) (entry, string, *page, bool) {
	var best entry
	var src *page
	key := ""
	for _, p := range d.pages() {
		for name, e := range p.entries {
			if len(name) > 2 && name[1] != '-' && e.arg && len(word) > len(name) && len(name) > len(key) && strings.HasPrefix(word, name) &&
				!(isASCIILetter(name[len(name)-1]) && isASCIILetter(word[len(name)])) {
				// Not gcc's -Wall for -Wa,<options>: a value joined to
				// a name ending in a letter starts otherwise (-Xmx2g,
				// -Xlog:gc, -std=c11).
				best, key, src = e, name, p
			}
		}
	}
	return best, key, src, key != ""
}

// numberTagged finds the entry of word, a letter and a number (-O2),
// where the page tags it with a word for the number (-Olevel); the first
// such name in order, where a page has more than one.
func (d *programDocs) numberTagged(word string) (entry, string, *page, bool) {
	if len(word) < 3 || word[0] != '-' || !isASCIILetter(word[1]) || strings.Trim(word[2:], "0123456789") != "" {
		return entry{}, "", nil, false
	}
	for _, p := range d.pages() {
		key := ""
		for name := range p.entries {
			if ph, ok := strings.CutPrefix(name, word[:2]); ok && len(ph) > 1 && strings.Trim(ph, "abcdefghijklmnopqrstuvwxyz") == "" &&
				numberPlaceholder(ph) && (key == "" || name < key) {
				key = name
			}
		}
		if key != "" {
			return p.entries[key], key, p, true
		}
	}
	return entry{}, "", nil, false
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// abbrev resolves a unique prefix of a long option (GNU getopt accepts
// --ext for --extract).
func (d *programDocs) abbrev(name string) (entry, string, *page, bool) {
	for _, p := range d.pages() {
		match := ""
		for _, l := range p.longs {
			if strings.HasPrefix(l, name) {
				if match != "" {
					match = ""
					break
				}
				match = l
			}
		}
		if match != "" {
			return p.entries[match], match, p, true
		}
	}
	return d.lookup(name)
}

// sub reports whether word is a subcommand of prog: a page of its own
// (git-commit), a command entry in prog's page (systemctl restart), or
// one listed in its --help, whose own --help then documents the options
// that follow (docker run -v is not docker -v), asked the way prog's help
// says to ask; and then a command of the subcommand's (git stash pop,
// docker container ls). It sets nested when the subcommand brought a
// page of its own that lists commands, so the next word may be one of
// them; a command read from the page already in use ends the nesting,
// so an argument is not taken for another.
func (d *programDocs) sub(l *Library, ctx context.Context, prog, word string, nested *bool) bool {
	// An option after the end of options is an argument (python -m
	// pytest -x), and a shell's operand a script or its commands (bash
	// -c 'echo'), never one of the builtins its page lists.
	if !isCommandName(word) || strings.HasPrefix(word, "-") || translate.CommandShell(prog) != "" {
		return false
	}
	if on := cmp.Or(d.subPage, d.main); abbreviates[prog] && on.hasCommands && !slices.Contains(on.commands, word) {
		// The first command the word begins, in the page's order, as
		// the program itself matches them: ip a s is ip address show.
		commands := on.commands
		if prog == "ip" && d.subName == "" {
			commands = ipObjects
		} else if len(on.pathCommands) > 0 {
			commands = on.pathCommands
		}
		if i := slices.IndexFunc(commands, func(c string) bool { return strings.HasPrefix(c, word) }); i >= 0 {
			word = commands[i]
		}
	}
	if d.subName == "" {
		if p := l.pageIn(ctx, prog+"-"+word, d.root); p != nil {
			d.subPage, d.subName, d.subDoc, d.subSrc = p, word, p.summary, p.name
			*nested = p.hasCommands
			return true
		}
	}
	parent := d.main
	if d.subPage != nil {
		parent = d.subPage
	}
	e, ok := parent.entries[word]
	if !ok || e.doc == "" || !parent.isCommand(word) {
		return false
	}
	d.subName = strings.TrimSpace(d.subName + " " + word)
	d.subDoc, d.subSrc = e.doc, parent.name
	*nested = false
	if p := l.subcommandHelp(ctx, prog, parent.subHelp, d.subName); p != nil {
		d.subPage = p
		*nested = p.hasCommands
	}
	return true
}

func isCommandName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !isCommandRune(r) {
			return false
		}
	}
	return true
}

// fishManDirs hold fish's pages for its builtins (set, string, math):
// fish installs them outside the system's manual path.
var fishManDirs = []string{"/usr/share/fish/man", "/usr/local/share/fish/man"}

// envAssignment matches a NAME=VALUE word, which env and sudo put in the
// environment of the command they run.
var envAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// passesOptions names the program whose options a wrapper hands on,
// which its own page leaves to that program's ("zgrep [grep_options]"),
// or that documents them for it (apt's are apt-get's, perl's perlrun's).
var passesOptions = map[string]string{"apt": "apt-get", "perl": "perlrun", "zipgrep": "grep",
	"zgrep": "grep", "zegrep": "grep", "zfgrep": "grep", "bzgrep": "grep", "xzgrep": "grep", "lzgrep": "grep", "zstdgrep": "grep",
	"zdiff": "diff", "bzdiff": "diff", "xzdiff": "diff", "zcmp": "cmp", "bzcmp": "cmp", "xzcmp": "cmp",
	"zless": "less", "bzless": "less", "xzless": "less", "zstdless": "less", "zmore": "more", "bzmore": "more", "xzmore": "more",
}

// docsFor finds the documentation of a program: its manual page, the
// shell's help for a builtin, or its --help output. fish's builtins come
// from fish's own pages, before the system's (fish's set is not bash's).
func (l *Library) docsFor(ctx context.Context, name, shell string) *programDocs {
	d := &programDocs{}
	if shell == "fish" {
		for _, root := range fishManDirs {
			if p := l.pageIn(ctx, name, root); p != nil {
				d.main, d.root = p, root
				return d
			}
		}
	}
	if shell == "zsh" {
		// A module's builtin (stat, setcap) is zsh's only once the module
		// is loaded; without it the name runs the program.
		if p := l.zshBuiltin(ctx, name); p != nil && !(p.module && l.page(ctx, name) != nil) {
			d.main = p
			if p.ref != "" && p.ref != name {
				d.ref = l.zshBuiltin(ctx, p.ref)
			}
			for _, q := range []*page{l.builtinHelp(ctx, name), l.page(ctx, name)} {
				if q != nil {
					d.also = append(d.also, q)
				}
			}
			return d
		}
	}
	if p := l.page(ctx, name); p != nil {
		d.main = p
		d.help = func(sub string) *page { return l.optionHelp(ctx, name, sub) }
		if other := passesOptions[name]; other != "" {
			if q := l.page(ctx, other); q != nil {
				d.also = append(d.also, q)
			}
		}
		if shell == "bash" && bashShadows[name] {
			// bash runs its own printf: printf -v is the builtin's.
			for _, q := range []*page{l.builtinHelp(ctx, name), l.bashBuiltin(ctx, name)} {
				if q != nil {
					d.also = append(d.also, q)
				}
			}
		}
		return d
	}
	if shell == "zsh" {
		// After the programs: a function zsh ships (compinit, zmv) has
		// no page, and a program of the same name is what runs until a
		// .zshrc autoloads the function.
		if p := l.zshFunction(ctx, name); p != nil {
			d.main = p
			return d
		}
	}
	if shell != "fish" {
		// bash's help stands in for zsh's builtins too: the common ones
		// (cd, export, alias, source) share their options.
		if p := l.builtinHelp(ctx, name); p != nil {
			d.main = p
			entry := l.bashBuiltin(ctx, name)
			ref := p.ref
			if entry != nil {
				d.also = append(d.also, entry)
				if ref == "" {
					ref = entry.ref
				}
			}
			if ref != "" && ref != name {
				d.ref = l.builtinHelp(ctx, ref)
				if q := l.bashBuiltin(ctx, ref); q != nil {
					d.also = append(d.also, q)
				}
			}
			return d
		}
	}
	if p := l.helpPage(ctx, name); p != nil {
		d.main = p
		d.help = func(sub string) *page {
			// Where the help read last sends its reader (kubectl get
			// --help to kubectl options).
			if sub != "" && d.subPage != nil {
				return l.fullHelp(ctx, name, d.subPage)
			}
			return l.fullHelp(ctx, name, p)
		}
	}
	return d
}

// bashShadows are bash's builtins that have a program of the same name,
// whose page documents them first.
var bashShadows = map[string]bool{"echo": true, "printf": true, "kill": true, "test": true, "[": true, "pwd": true, "true": true, "false": true}

// page returns the parsed manual page name from sections 1, 8 or 6,
// re-reading it when the file changed.
func (l *Library) page(ctx context.Context, name string) *page { return l.pageIn(ctx, name, "") }

// pageIn is page in one manual tree ("" for all of the system's).
func (l *Library) pageIn(ctx context.Context, name, root string) *page {
	if name == "" || strings.ContainsAny(name, "/ ") || ctx.Err() != nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := root + "\x00" + name
	c := l.pages[key]
	if c != nil {
		if c.p == nil {
			return nil
		}
		if st, err := os.Stat(c.path); err == nil && st.ModTime().Equal(c.mod) && st.Size() == c.size {
			return c.p
		}
	}
	roots := l.roots
	if root != "" {
		roots = []string{root}
	}
	path, root := find(roots, name)
	if path == "" {
		l.pages[key] = &cachedPage{}
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	sec := ""
	if m := strings.TrimSuffix(filepath.Base(path), ".gz"); strings.HasPrefix(m, name+".") {
		sec = strings.TrimPrefix(m, name+".")
	}
	p, err := readPage(path, root, fmt.Sprintf("%s(%s)", name, sec))
	if err != nil {
		l.pages[key] = &cachedPage{}
		return nil
	}
	l.pages[key] = &cachedPage{p: p, path: path, mod: st.ModTime(), size: st.Size()}
	return p
}

// find locates a page file in the manual trees, commands' sections first.
func find(roots []string, name string) (string, string) {
	return findIn(roots, name, commandSections...)
}

// commandSections are the manual's sections of commands, in the order
// they are looked in.
var commandSections = []string{"1", "8", "6"}

// findIn is find in the sections given, in their order.
func findIn(roots []string, name string, sections ...string) (string, string) {
	for _, root := range roots {
		for _, sec := range sections {
			dir := filepath.Join(root, "man"+sec)
			// Suffixed sections too (openssl's pages are name.1ssl.gz),
			// by name: a glob would read a 20,000-entry directory for
			// every unknown program.
			for _, suffix := range sectionSuffixes {
				for _, f := range []string{name + "." + sec + suffix + ".gz", name + "." + sec + suffix} {
					if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
						return filepath.Join(dir, f), root
					}
				}
			}
		}
	}
	return "", ""
}

// sectionSuffixes are the section suffixes packages use for commands.
var sectionSuffixes = []string{"", "ssl", "p", "x", "posix", "perl", "snap"}
