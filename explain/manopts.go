package explain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// page is what explain keeps of one manual page: its summary and the
// entries of its tagged paragraphs, keyed by each name a tag gives (an
// option's short and long forms, a subcommand, a find primary).
type page struct {
	name    string // "tar(1)"
	summary string
	entries map[string]entry
	// longs lists the long options, for GNU-style unique abbreviations.
	longs []string
	// hasCommands: the page has a COMMANDS section, so a first operand
	// that is one of its entries is a subcommand (systemctl restart).
	hasCommands bool
	// synopsis holds the words of the SYNOPSIS section: a command entry
	// named there is a subcommand too, where a page documents its
	// commands in another section (apt's "{list | search | update}").
	synopsis map[string]bool
	// builtin: the page documents a shell builtin, which reads +x as
	// the opposite of -x.
	builtin bool
	// prose holds options the page describes only in running text
	// (zsh's autoload -U): any list entry, on any page, comes first.
	prose map[string]entry
	// optionWords are the words the page documents in a section of
	// options that are no options themselves: the values listed under
	// one (mount(8)'s ro, noatime; pg_dump's -F c), as opposed to its
	// exit statuses or output fields.
	optionWords map[string]bool
	// plusForms are the forms of a word starting with + that the page
	// documents as an argument of its own: vim's +[num], +/{pat} and
	// +{command}, less's +, more's +number.
	plusForms []plusForm
	// again holds the names tagged more than once (see addTagValues).
	again map[string]bool
	// operands are the key=value words the page documents by key (dd's
	// bs=BYTES, count=N).
	operands map[string]string
	// sets are the forms of a set of characters the page documents, by
	// form: tr's [:lower:], \n, CHAR1-CHAR2.
	sets map[string]string
	// directives are the % sequences of the format the page's program
	// reads (date's %Y, stat's %s, find -printf's %Ak, git log's %h),
	// with their meanings; the first list that names one wins (stat's
	// for files, not its file systems').
	directives map[string]string
	// module: a zsh builtin that exists once its module is loaded (stat,
	// setcap), which without it is the program of the same name.
	module bool
	// ref is the builtin whose options this one takes, where its
	// documentation says so and lists none of its own: local takes
	// declare's (bash), typeset's (zsh).
	ref string
	// subHelp: how a --help page says its subcommands' help is asked
	// for ("flag", "help"), "" when it does not.
	subHelp string
	// moreHelp: the arguments a --help page says list the options it
	// leaves out (gcc's -v --help).
	moreHelp []string
	// commands are its command entries in the page's order, for the
	// programs that take any abbreviation of one (ip a is ip address).
	commands []string
	// pathCommands are the commands the page names with its own command
	// path (iproute2's "ip route add", ".SS ip address show - ..."), in
	// its order: the ones an abbreviation stands for, where the page
	// also tags its parameters (ip-address(8)'s scope).
	pathCommands []string
	// inExamples is set while parsing reads an EXAMPLES section, whose
	// "ip neigh" or "git push origin" names no command of the page.
	inExamples bool
}

// entry is one documented option or command.
type entry struct {
	doc string
	// arg: the option takes a value (-f FILE, --file=FILE); optional:
	// only when attached (--color[=WHEN]).
	arg, optional bool
	// digits: the optional value is a number (perl's -l[octal]), so the
	// letters after the option in a bundle are options of their own
	// (perl -lane).
	digits bool
	// values documents the option's values by name, where its
	// documentation lists them (set -o pipefail).
	values map[string]string
}

// maxPageBytes bounds what is read of one page; the largest installed
// pages (bash, zshall) would otherwise cost more than they give.
const maxPageBytes = 2 << 20

// readPage parses the page at path in the manual tree root.
func readPage(path, root, name string) (*page, error) {
	lines, err := roff.ReadLines(path, root, maxPageBytes)
	if err != nil {
		return nil, err
	}
	p := parsePage(lines, name)
	if !slices.Contains(fishManDirs, root) {
		// Other pages mention options in their running text for all
		// sorts of reasons (perl's -e in a sentence on compilation
		// errors, arp's -s under -f: found comparing tldr's commands);
		// fish's pages, one documentation set, describe an option where
		// they name it.
		p.usageOptions(lines)
		prog, _, _ := strings.Cut(name, "(")
		p.modeParagraphs(lines, prog)
		return p, nil
	}
	p.subcommandSections(lines)
	prog, _, _ := strings.Cut(name, "(")
	p.prose = proseOptions(withoutSections(lines, "NAME", "SYNOPSIS", "EXAMPLES", "EXAMPLE", "SEE ALSO"), prog, true)
	// Usage lines: the synopsis, and fish's in the sections of its
	// subcommands ("abbr [-a | --add] NAME").
	p.proseAliases(withoutSections(lines, "NAME", "EXAMPLES", "EXAMPLE", "SEE ALSO"))
	return p, nil
}

// usageOptions adds the options of a usage message set verbatim in the
// page's synopsis or a section of options, as --help prints it:
// shasum's page is its help ("  -c, --check   read SHA sums..."), and
// lists its options nowhere else. A tagged paragraph comes first; a
// block of fewer than three options is an example, not a usage message.
func (p *page) usageOptions(lines []string) {
	var b strings.Builder
	section, verbatim := "", false
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		switch macro {
		case "SH":
			section, verbatim = strings.ToUpper(strings.Trim(roff.Plain(rest), `" `)), false
			continue
		case "Vb", "nf", "EX":
			verbatim = true
			continue
		case "Ve", "fi", "EE":
			verbatim = false
			p.addUsage(b.String())
			b.Reset()
			continue
		}
		if !verbatim || macro != "" || section != "SYNOPSIS" && !strings.Contains(section, "OPTION") {
			continue
		}
		// The indent sets options apart from the text around them, and
		// Plain drops it.
		raw := strings.TrimPrefix(line, `\&`)
		t := strings.TrimLeft(raw, " ")
		b.WriteString(strings.Repeat(" ", len(raw)-len(t)) + roff.Plain(t) + "\n")
	}
	p.addUsage(b.String())
}

// modeParagraphs reads the paragraphs that open with the program and
// one option in bold, then its operands, then what that does: arp(8)'s
// MODES, ".B arp -d", ".I address", "will delete a ARP table entry." An
// option listed elsewhere on the page keeps that meaning.
func (p *page) modeParagraphs(lines []string, prog string) {
	for i := 0; i+1 < len(lines); i++ {
		macro, rest := roff.SplitRequest(lines[i])
		if macro != "B" {
			continue
		}
		words := strings.Fields(roff.Plain(strings.Trim(rest, `"`)))
		if len(words) != 2 || words[0] != prog || !usageName.MatchString(words[1]) || i == 0 {
			continue
		}
		// A paragraph's start, not a sentence's middle.
		if prev := strings.TrimSpace(lines[i-1]); prev != "" && !strings.HasPrefix(prev, ".") && !strings.HasSuffix(prev, ".") && !strings.HasSuffix(prev, ":") {
			continue
		}
		name, arg, j := words[1], false, i+1
		for ; j < len(lines); j++ {
			m, _ := roff.SplitRequest(lines[j])
			if m != "I" {
				break
			}
			arg = true
		}
		if j >= len(lines) || strings.HasPrefix(lines[j], ".") || strings.HasPrefix(lines[j], "'") {
			continue
		}
		text := roff.Plain(lines[j])
		if first, _, _ := strings.Cut(text, " "); first == "" || !unicode.IsLower(rune(first[0])) {
			continue // a sentence of its own, not what the form does
		}
		if _, ok := p.entries[name]; ok {
			continue
		}
		var b strings.Builder
		for ; j < len(lines) && !strings.HasPrefix(lines[j], ".") && strings.TrimSpace(lines[j]) != ""; j++ {
			b.WriteString(roff.Plain(lines[j]) + " ")
		}
		if p.prose == nil {
			p.prose = map[string]entry{}
		}
		if _, ok := p.prose[name]; !ok {
			p.prose[name] = entry{doc: firstSentence(strings.TrimSpace(b.String())), arg: arg}
		}
	}
}

// addUsage adds the options of one verbatim block (see usageOptions).
func (p *page) addUsage(text string) {
	if text == "" {
		return
	}
	found := map[string]entry{}
	for n, e := range parseHelp(text, p.name, "", false).entries {
		// An example among the options is no usage line (ld's
		// "-Wl,--start-group foo.o", git log's graphs, PEM armour): a
		// letter or a long name, with a meaning.
		if _, ok := p.entries[n]; !ok && e.doc != "" && usageName.MatchString(n) {
			found[n] = e
		}
	}
	if len(found) < 3 {
		return
	}
	for n, e := range found {
		p.entries[n] = e
		if strings.HasPrefix(n, "--") {
			p.longs = append(p.longs, n)
		}
	}
}

var usageName = regexp.MustCompile(`^(-[A-Za-z0-9?]|--[a-z0-9]+(-[a-z0-9]+)*)$`)

// subcommandSections reads fish's `.SH "BASENAME" SUBCOMMAND` (path's,
// abbr's): a subcommand whose meaning is the first paragraph after its
// usage block.
func (p *page) subcommandSections(lines []string) {
	name, example := "", false
	var text []string
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		if len(text) > 0 && (macro == "SH" || macro == "sp" || macro == "PP" || macro == "SS") {
			p.addTag(name, strings.Join(text, " "))
			name, text = "", nil
		}
		switch {
		case macro == "SH":
			name = ""
			// abbr's "ADD" SUBCOMMAND is its --add: a subcommand is one
			// the synopsis names.
			if args := roff.Args(rest); len(args) == 2 && args[1] == "SUBCOMMAND" && p.synopsis[strings.ToLower(args[0])] {
				name = strings.ToLower(args[0])
			}
		case name == "":
		case macro == "nf":
			example = true
		case macro == "fi":
			example = false
		case macro == "" && !example:
			text = append(text, roff.Plain(line))
		}
	}
	if len(text) > 0 {
		p.addTag(name, strings.Join(text, " "))
	}
}

// withoutSections is lines less the sections titled so (.SH, or .SS
// within one: fish's pages have "Examples" subsections).
func withoutSections(lines []string, titles ...string) []string {
	var out []string
	skip, skipSub := false, false
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		title := strings.ToUpper(strings.Trim(roff.Plain(rest), `" `))
		switch macro {
		case "SH":
			skip, skipSub = slices.Contains(titles, title), false
		case "SS":
			skipSub = slices.Contains(titles, title)
		}
		if !skip && !skipSub {
			out = append(out, line)
		}
	}
	return out
}

// proseAliases gives an option a usage line pairs with another ("[-a |
// --add]", "(-q | --query)") the other's meaning, where the page
// describes only one of them, in a list or in prose.
//
// It also says which options described in prose take a value: a usage
// shows one after them ("[-m | --max MAX]"). A short option
// described nowhere is at least the short form of its long one (fish's
// string replace -a, "[-a | --all]").
func (p *page) proseAliases(usage []string) {
	var lines []string
	for _, line := range usage {
		lines = append(lines, roff.Plain(line))
	}
	text := strings.Join(lines, " ")
	documented := func(name string) (entry, bool) {
		if e, ok := p.entries[name]; ok {
			return e, true
		}
		e, ok := p.prose[name]
		return e, ok
	}
	setProse := func(name string, e entry) {
		if p.prose == nil {
			p.prose = map[string]entry{}
		}
		p.prose[name] = e
	}
	for _, m := range synopsisPair.FindAllStringSubmatch(text, -1) {
		a, b := m[1], m[2]
		for _, pair := range [][2]string{{a, b}, {b, a}} {
			from, to := pair[0], pair[1]
			if _, ok := documented(to); ok {
				continue
			}
			if e, ok := documented(from); ok {
				setProse(to, e)
			} else if !strings.HasPrefix(to, "--") && strings.HasPrefix(from, "--") {
				setProse(to, entry{doc: "the short form of " + from + " (described nowhere else)"})
			}
		}
	}
	valued := map[string]bool{}
	for _, m := range synopsisValue.FindAllStringSubmatch(text, -1) {
		for _, name := range m[1:3] {
			valued[name] = name != ""
			if e, ok := p.prose[name]; ok && name != "" {
				e.arg = true
				p.prose[name] = e
			}
		}
	}
	// A pair closed at once and followed by another group, "(-q |
	// --query) (-e | --erase) [-flgU]", takes no value, whatever the
	// list's tag shows after it: fish's set tags "-q or --query
	// NAME[INDEX]", the variables it asks about (not complete's "((-c |
	// --command) | (-p | --path)) COMMAND").
	for _, ix := range synopsisFlag.FindAllStringSubmatchIndex(text, -1) {
		if after := text[ix[1]:]; !strings.HasPrefix(after, " (") && !strings.HasPrefix(after, " [") {
			continue
		}
		for _, name := range []string{text[ix[2]:ix[3]], text[ix[4]:ix[5]]} {
			if e, ok := p.entries[name]; ok && e.arg && !valued[name] {
				e.arg = false
				p.entries[name] = e
			}
		}
	}
}

// enDashOption is an option whose two hyphens became an en dash.
var enDashOption = regexp.MustCompile(`(^|[\s,|\[])\x{2013}([A-Za-z])`)

// alsoSpecified is a value's other spelling, as an option of its own.
var alsoSpecified = regexp.MustCompile(`(?:^|\.\s+)May also be specified as (-[A-Za-z])\.?\s*$`)

var (
	synopsisPair = regexp.MustCompile(`(--?[A-Za-z][\w-]*) \| (--?[A-Za-z][\w-]*)\b`)
	// "[(-m | --max) MAX]": in one bracket, a value; "--erase NAME" an
	// operand.
	synopsisFlag  = regexp.MustCompile(`[\[(](--?[A-Za-z][\w-]*) \| (--?[A-Za-z][\w-]*)[\])]`)
	synopsisValue = regexp.MustCompile(`\[\(?(?:(--?[A-Za-z][\w-]*) \| )?(--?[A-Za-z][\w-]*)\)? [A-Z][A-Z_]*\]`)
)

// parsePage reads the tagged paragraphs of man(7) pages (.TP, .IP "tag",
// .PP + .RS as DocBook writes them) and mdoc(7) pages (.It Fl x).
func parsePage(lines []string, name string) *page {
	p := &page{name: name, entries: map[string]entry{}}
	section := ""
	var tag string           // the current paragraph's tag, "" in running text
	var desc []string        // its description so far
	pendingTP := false       // .TP seen: the next text line is a tag
	var afterPP string       // a text line right after .PP: a tag if .RS follows
	ppBreak := false         // .br after it: DocBook's next form of the tag
	bullet := false          // .IP with a bullet: "-x, --foo: meaning" follows
	var carried []string     // tags without a description yet: aliases of the next
	var carriedPlus []string // vim's "+{command}" before "-c {command}"
	inXo := false            // mdoc's ".It ... Xo" tag goes on until ".Xc"
	// An option that takes a value, whose meaning ends in a colon and
	// goes on with a list nested under it, has that list's words as its
	// values (bash(1)'s
	// "complete -A action: The action may be one of the following:",
	// then alias, function...): owner is the option while its .RS is
	// open, at ownerDepth; listFor is the option an .RS opened under.
	depth, ownerDepth := 0, 0
	var owner []string
	listFor := ""
	flush := func() {
		if m := operandTag.FindStringSubmatch(tag); m != nil && len(desc) > 0 {
			// dd's "bs=BYTES": an operand given as key=value.
			if p.operands == nil {
				p.operands = map[string]string{}
			}
			if _, ok := p.operands[m[1]]; !ok {
				p.operands[m[1]] = firstSentence(strings.Join(desc, " "))
			}
		}
		if setForm.MatchString(tag) && len(desc) > 0 {
			if p.sets == nil {
				p.sets = map[string]string{}
			}
			if _, ok := p.sets[tag]; !ok {
				p.sets[tag] = firstSentence(strings.Join(desc, " "))
			}
		}
		if isDirective(tag) && len(desc) > 0 {
			if p.directives == nil {
				p.directives = map[string]string{}
			}
			if _, ok := p.directives[tag]; !ok {
				p.directives[tag] = firstSentence(strings.Join(desc, " "))
			}
		}
		if tag != "" && owner != nil && depth == ownerDepth && !strings.HasPrefix(tag, "-") && len(strings.Fields(tag)) == 1 && len(desc) > 0 {
			text := strings.Join(desc, " ")
			// bash(1)'s "file File names. May also be specified as -f.":
			// complete -f is complete -A file.
			short := ""
			if m := alsoSpecified.FindStringSubmatchIndex(text); m != nil {
				short, text = text[m[2]:m[3]], strings.TrimSpace(text[:m[0]])
			}
			doc := firstSentence(text)
			if _, ok := p.entries[short]; short != "" && !ok {
				p.entries[short] = entry{doc: "the same as " + owner[0] + " " + tag + ": " + doc}
			}
			for _, n := range owner {
				e := p.entries[n]
				if e.values == nil {
					e.values = map[string]string{}
				}
				if _, ok := e.values[tag]; !ok {
					e.values[tag] = doc
				}
				p.entries[n] = e
			}
			tag, desc = "", nil
			return
		}
		if tag != "" {
			if len(desc) == 0 {
				// zip writes ".TP .B -sf .TP .B --show-files meaning";
				// ssh tags -L four times, once per form of its value:
				// the first form of a name is enough.
				if strings.HasPrefix(tag, "-") && (len(carried) == 0 || firstField(carried[len(carried)-1]) != firstField(tag)) {
					carried = append(carried, tag)
				}
				if strings.HasPrefix(tag, "+") {
					carriedPlus = append(carriedPlus, tag)
				}
			} else {
				// vim's "+{command}" goes with "-c {command}", whose
				// meaning it shares (but is no name of it). Only a section
				// of options has them: date's "+" flag for its format is
				// none.
				for _, t := range append(carriedPlus, tag) {
					if strings.HasPrefix(t, "+") && !strings.Contains(t, ",") && strings.Contains(section, "OPTION") {
						// lsof's "+|-c c" is +c (and -c).
						form := strings.Replace(firstField(t), "+|-", "+", 1)
						p.plusForms = append(p.plusForms, plusForm{tag: form, doc: firstSentence(strings.Join(desc, " "))})
					}
				}
				names := p.addTag(strings.Join(append(carried, tag), ", "), strings.Join(desc, " "))
				carried, carriedPlus = nil, nil
				if strings.Contains(section, "OPTION") {
					for _, n := range names {
						if !strings.HasPrefix(n, "-") {
							if p.optionWords == nil {
								p.optionWords = map[string]bool{}
							}
							p.optionWords[n] = true
						}
					}
				}
				// Only an option that takes a value: objdump -t's nested
				// list is of its output's flag letters.
				if tag == listFor && len(names) > 0 && p.entries[names[0]].arg && strings.HasSuffix(strings.TrimSpace(desc[len(desc)-1]), ":") {
					owner, ownerDepth = names, depth
					for _, n := range names {
						e := p.entries[n]
						e.doc = strings.TrimSuffix(e.doc, ":")
						p.entries[n] = e
					}
				}
			}
		}
		tag, desc, listFor = "", nil, ""
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		macro, rest := roff.SplitRequest(line)
		// docutils' pages (LLVM's) define these for an indented block:
		// ".sp", "\fB–prefix\fP", ".INDENT 0.0", ".INDENT 3.5", its meaning.
		switch macro {
		case "INDENT":
			macro = "RS"
		case "UNINDENT":
			macro = "RE"
		}
		if inXo {
			switch macro {
			case "Xc":
				inXo = false
				continue
			case "It", "Sh", "Ss", "El", "Pp", "Bl":
				inXo = false // a page that never closes its tag
			case "":
				tag += " " + roff.Plain(line)
				continue
			case "Sm", `\"`:
				continue
			default:
				tag += " " + mdocTag(rest)
				continue
			}
		}
		if macro == "" || isFontMacro(macro) {
			t := roff.Plain(rest)
			if macro == "" {
				t = roff.Plain(line)
			}
			if t == "" {
				continue
			}
			if section == "SYNOPSIS" {
				for _, w := range strings.FieldsFunc(literalText(macro, rest), func(r rune) bool { return !isCommandRune(r) }) {
					if p.synopsis == nil {
						p.synopsis = map[string]bool{}
					}
					p.synopsis[w] = true
				}
			}
			switch {
			case section == "NAME" && p.summary == "":
				if _, s, ok := roff.CutDash(t); ok {
					p.summary = strings.TrimSuffix(s, ".")
				} else if s, ok := strings.CutPrefix(t, "- "); ok {
					// gpg's ".B gpg" then "\- OpenPGP encryption and signing tool".
					p.summary = strings.TrimSuffix(s, ".")
				}
			case pendingTP:
				flush()
				tag, pendingTP = t, false
				raw := rest
				if macro == "" {
					raw = line
				}
				// tput's "\fB\-T\fItype\fR": a letter with its value's
				// name set against it in italics, -Ttype; -T is the option.
				if m := italicValue.FindStringSubmatch(raw); m != nil {
					tag = "-" + m[1] + " " + m[2]
				}
				// LLVM's ".HP --disassemble      - Disassemble strings":
				// the meaning on the tag's own line.
				if m := inlineMeaning.FindStringSubmatch(t); m != nil {
					tag, desc = m[1], []string{m[2]}
				}
			case bullet:
				bullet = false
				a, b, ok := strings.Cut(t, ": ")
				if ok && len(a) > 2 && (a[0] == '{' && a[len(a)-1] == '}' || a[0] == '[' && a[len(a)-1] == ']') {
					// The JDK's pages (keytool's): "{-alias alias}: Alias
					// name", "[-v]: Verbose output": the option with its
					// value, grouped as the command's synopsis writes it.
					a = a[1 : len(a)-1]
				}
				if ok && strings.HasPrefix(a, "-") {
					tag, desc = a, []string{b}
				} else if m := bulletVerb.FindStringSubmatch(t); m != nil {
					tag, desc = m[1], []string{m[2]} // jps's "-l displays the full package name"
				}
			case afterPP == "" && tag == "" && len(desc) == 0 && prevIsPP(lines, i):
				afterPP = t
			case afterPP != "" && ppBreak:
				// PostgreSQL's pages: ".PP -U username .br
				// --username=username .RS".
				afterPP += ", " + t
				ppBreak = false
			default:
				if afterPP != "" {
					desc = append(desc, afterPP)
					afterPP = ""
				}
				desc = append(desc, t)
			}
			continue
		}
		if macro != "br" {
			ppBreak = false
		}
		switch macro {
		case "br":
			ppBreak = afterPP != ""
		case "SH", "Sh":
			flush()
			afterPP, pendingTP = "", false
			section = strings.ToUpper(strings.Trim(roff.Plain(rest), `" `))
			p.inExamples = strings.Contains(section, "EXAMPLE")
			p.hasCommands = p.hasCommands || commandsSection(section)
		case "SS", "Ss":
			flush()
			afterPP, pendingTP = "", false
			// netstat's options are subsection titles: .SS "--route, -r".
			if t := strings.Trim(roff.Plain(rest), `" `); strings.HasPrefix(t, "-") {
				tag = t
			} else if cmd, doc, ok := p.subsectionCommand(t); ok {
				p.addTagValues(cmd, doc, nil)
				p.addPathCommand(cmd)
			}
		case "TP", "TQ":
			// .TQ adds a tag to the paragraph (gpg's --receive-keys, then
			// --recv-keys): the first, without a meaning, is carried to it.
			flush()
			// A bullet .IP before it is over (zip's "-#" follows one).
			afterPP, pendingTP, bullet = "", true, false
		case "HP": // a hanging paragraph: coreutils' older pages tag with it
			flush()
			afterPP, pendingTP, bullet = "", true, false
		case "IP":
			if tag != "" && len(desc) == 0 && strings.TrimSpace(rest) == "" {
				continue // ".HP tag .IP meaning": the meaning starts here
			}
			flush()
			afterPP, pendingTP, bullet = "", false, false
			if t := roff.Plain(roff.FirstArg(rest)); t != "" && t != "*" && t != "•" && t != "-" {
				tag = t
			} else {
				bullet = true
			}
		case "PP", "P", "LP":
			flush()
			afterPP, pendingTP = "", false
		case "RS":
			if afterPP != "" {
				flush()
				tag, afterPP = afterPP, ""
			}
			depth++
			if strings.HasPrefix(tag, "-") {
				listFor = tag
			}
		case "sp":
			// A blank line: running text before it was not a tag.
			afterPP = ""
			if tag == "" {
				desc = nil
			}
		case "RE":
			// The end of an indented description (DocBook, asciidoctor).
			if tag != "" && len(desc) > 0 {
				flush()
			}
			if depth = max(depth-1, 0); depth < ownerDepth {
				owner = nil
			}
		case "It": // mdoc
			flush()
			afterPP, pendingTP = "", false
			tag = mdocTag(rest)
			inXo = slices.Contains(strings.Fields(rest), "Xo")
		case "Nd":
			if p.summary == "" {
				p.summary = roff.Plain(rest)
			}
		case "Fl", "Ar", "Cm", "Nm", "Pa", "Xr", "Em", "Sy", "Li", "Dq", "Qq", "Sq", "Ql", "Ev", "Va":
			if t := mdocTag(rest); t != "" && (tag != "" || len(desc) > 0) {
				desc = append(desc, t)
			}
		}
	}
	flush()
	return p
}

// inlineMeaning splits an option from its meaning on one line, set
// apart by spaces and a dash.
var inlineMeaning = regexp.MustCompile(`^(-\S.*?)\s{2,}-\s+(\S.*)$`)

// italicValue is a tag of a bold one-letter option and, against it, an
// italic value name and nothing more.
var italicValue = regexp.MustCompile(`^\\fB\\-([A-Za-z0-9])(?:\\f[RP])?\\fI([a-z][a-z_]*)\\f[RP]\s*$`)

func firstField(s string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	return f
}

func prevIsPP(lines []string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		m, _ := roff.SplitRequest(lines[j])
		if m == `\"` {
			continue
		}
		return m == "PP" || m == "P" || m == "LP" || m == "sp"
	}
	return false
}

func isFontMacro(m string) bool {
	switch m {
	case "B", "I", "BR", "RB", "BI", "IB", "IR", "RI", "SM", "SB":
		return true
	case "FN":
		// bash(1)'s own macro for a file name, set in italics.
		return true
	}
	return false
}

// mdocTag turns ".It Fl b Ar bind_address" into "-b bind_address".
func mdocTag(rest string) string {
	var out []string
	flag := false
	for _, w := range strings.Fields(rest) {
		switch w {
		case "Fl":
			flag = true
			continue
		case "Ar", "Cm", "Op", "Oo", "Oc", "Ns", "Pa", "Ic", "Li", "Xo", "Xc", "Ek", "Bk", "Ql", "Ev", "Va", "No":
			continue
		}
		w = roff.Plain(w)
		if flag {
			w = "-" + w
			flag = false
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// addTag records a tagged paragraph under each name its tag gives:
// "-x, --extract, --get", "-f, --file=ARCHIVE", "-c --stdout",
// "-name pattern", "-m <msg>, --message=<msg>", "restart PATTERN...", "a".
// A word after an option name is its value; when one form of an option
// takes a value, all do (help2man shows it on the long form only).
func (p *page) addTag(tag, desc string) []string { return p.addTagValues(tag, desc, nil) }

// addTagValues is addTag for an option whose values are documented one
// by one (set -o's option names): values maps each to its meaning. It
// returns the names the tag documents.
func (p *page) addTagValues(tag, desc string, values map[string]string) []string {
	tag = strings.TrimSpace(tag)
	// ip-route(8) tags its commands with the whole path, "ip route add",
	// a command its synopsis names (not an example's "git push origin",
	// nor man(1)'s "man -k printf").
	if rest, ok := strings.CutPrefix(tag, p.commandPath()+" "); ok && !p.inExamples {
		if f := strings.Fields(rest); len(f) > 0 && f[0][0] != '-' && p.synopsis[f[0]] {
			tag = rest
			p.addPathCommand(f[0])
		}
	}
	// unzip tags its optional operands as its synopsis writes them:
	// "[-d exdir]" (not help2man's usage lines: "[--no-defaults]" then
	// "[--complete-arguments ...]").
	if strings.HasPrefix(tag, "[-") && strings.HasSuffix(tag, "]") && strings.Count(tag, "[") == 1 && !strings.HasPrefix(strings.TrimSpace(desc), "[") {
		tag = tag[1 : len(tag)-1]
	}
	// Pages made by docutils (LLVM's) may have "--prefix" typeset as an
	// en dash: "–prefix".
	tag = enDashOption.ReplaceAllString(tag, "$1--$2")
	desc = enDashOption.ReplaceAllString(desc, "$1--$2")
	fields := strings.FieldsFunc(tag, func(r rune) bool { return r == ',' || r == ' ' || r == '|' })
	// A command with its synopsis: git-stash's "pop [--index] [-q|--quiet]
	// [<stash>]", however long.
	synopsis := len(fields) > 1 && !strings.HasPrefix(fields[0], "-") && strings.ContainsAny(fields[1][:1], "[<")
	if len(fields) == 0 || len(tag) > 120 && !synopsis {
		return nil
	}
	var names, bare, valued, attachedOnly, numbers, separate []string
	arg, optional := false, false
	if len(fields) == 3 && strings.HasPrefix(fields[1], "-") && validName(fields[1]) && !strings.HasPrefix(fields[0], "-") &&
		strings.TrimRight(fields[0], "0123456789") == strings.TrimRight(fields[2], "0123456789") {
		// An operator between two operands of a kind: find's "expr1 -o
		// expr2" (not an example's "kill -9 -1").
		names = []string{fields[1]}
	} else if list := commandList(tag); list != nil {
		names = list
	} else if aliases := commandOptions(tag, fields); aliases != nil {
		names = aliases
	} else if !strings.HasPrefix(fields[0], "-") {
		// Not an option: a command word, alone or with its arguments
		// ("restart PATTERN...") or synopsis, or zshzle(1)'s widget with
		// its bindings ("history-incremental-search-backward (^R ^Xr)
		// (unbound) (unbound)"), never a sentence.
		// Widgets' names run long (history-incremental-search-backward).
		bindings := keyBindings.MatchString(strings.TrimPrefix(tag, fields[0])) && unicode.IsLower(rune(fields[0][0]))
		if bindings {
			if !validName(fields[0]) {
				return nil
			}
		} else if len(fields) > 4 && !synopsis || !validName(fields[0]) || !isCommandWord(fields[0]) || strings.Contains(tag, ",") {
			return nil
		}
		names = []string{fields[0]}
	} else {
		for k := 0; k < len(fields); k++ {
			// bzip2's "-1 (or --fast) to -9 (or --best)", zip's "(-0, -1,
			// ..., -9)", ptargrep's "--basename (alias -b)": the brackets
			// only group (not ld's "-( archives -)").
			f := fields[k]
			if t := strings.TrimSuffix(strings.TrimPrefix(f, "("), ")"); t != "-" && t != "" {
				f = t
			}
			if f == "or" || f == "alias" && strings.HasPrefix(fields[k], "(") {
				continue // fish's pages: "-g or --global"
			}
			if (f == "to" || f == "..." || f == "…") && len(names) > 0 && k+1 < len(fields) {
				// A range of digit options: xz's "-0 ... -9" is every
				// preset between, not -0 with a value.
				from, to := -1, digitOption(strings.Trim(fields[k+1], "()"))
				for _, n := range names {
					from = max(from, digitOption(n))
				}
				if from >= 0 && to > from {
					for n := from + 1; n < to; n++ {
						names = append(names, fmt.Sprintf("-%d", n))
					}
					continue
				}
			}
			if f == "-" && len(names) == 0 && tag[0] == '-' && len(fields) > 1 {
				// su's "-, -l, --login": a lone dash is an option there.
				names = append(names, f)
				continue
			}
			if f == "[" && len(names) > 0 && !arg {
				// zsh's "-E [ n ]", "-d [ pattern ]": an operand that may
				// follow, not a value the option always takes; what
				// follows the bracket is not one either.
				break
			}
			if strings.HasPrefix(f, "[=") && len(names) > 0 && !arg {
				// strace's "--syscall-times [=precision]": an optional
				// value (not dpkg's "--info archive [control-file...]",
				// more operands after the value).
				arg, optional = true, true
				continue
			}
			if !strings.HasPrefix(f, "-") || f == "-" {
				// The value of the name before it; find's "-not expr"
				// is an operator on the test after it, not a value
				// (strace's "-e expr" takes one).
				if len(names) > 0 && !(names[len(names)-1] == "-not" && (f == "expr" || f == "expression")) {
					arg = true
					// diff's "-U NUM, --unified[=NUM]": -U's value is
					// required, though --unified's is not (nor strace's
					// "--syscall-times [= precision ]", nor one inside
					// brackets: git log's "--decorate[=short|full]", git
					// push's "--signed=(true|false)").
					before := strings.Join(fields[:k], " ")
					if strings.Count(before, "[") == strings.Count(before, "]") && strings.Count(before, "(") == strings.Count(before, ")") &&
						!strings.ContainsAny(fields[k], "[]()") {
						separate = append(separate, names[len(names)-1])
					}
				}
				continue
			}
			n := f
			if len(n) == 3 && n[2] == '#' && n[1] != '-' && n[1] != '#' {
				// zstd's "-T#": the letter with a number attached, as
				// -T0; never the next word (that is a file), though
				// "--threads=#" beside it may take one.
				arg = true
				n = n[:2]
				attachedOnly = append(attachedOnly, n)
			} else if i := strings.IndexByte(n, '<'); i == 2 && n[1] != '-' && strings.HasSuffix(n, ">") {
				// gcc's "-O<number>": the value attached to the letter.
				arg = true
				n = n[:i]
				attachedOnly = append(attachedOnly, n)
			} else if i := strings.IndexAny(n, "=[:"); i > 0 && (n[i] != ':' || n[1] != '-') {
				// java's "-agentlib:libname[=options]" is -agentlib with a value.
				arg = true
				// --color[=WHEN] takes an optional value; --lines=[-]NUM a
				// required one that may have a sign.
				optional = optional || n[i] == '['
				if n[i] == '[' && numberPlaceholder(n[i:]) {
					numbers = append(numbers, n[:i])
				}
				n = n[:i]
				valued = append(valued, n)
			} else {
				bare = append(bare, n)
			}
			if validName(n) && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		// objdump's "-d, --disassemble, --disassemble=symbol": a name
		// given both alone and with a value takes it only attached.
		for _, n := range valued {
			optional = optional || slices.Contains(bare, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	// ip(8) writes "address - protocol (IP or IPv6) address on a device".
	doc := firstSentence(strings.TrimPrefix(strings.TrimSpace(desc), "- "))
	for _, n := range names {
		if _, ok := p.entries[n]; ok {
			// The first paragraph for a name is its definition; one that
			// comes again may mean another thing in another list (dd's
			// sync, a conv symbol and an iflag one).
			if p.again == nil {
				p.again = map[string]bool{}
			}
			p.again[n] = true
			continue
		}
		if !strings.HasPrefix(n, "-") {
			p.commands = append(p.commands, n)
		}
		p.entries[n] = entry{doc: doc, arg: arg || values != nil,
			optional: optional && !slices.Contains(separate, n) || slices.Contains(attachedOnly, n),
			digits:   slices.Contains(numbers, n), values: values}
		if strings.HasPrefix(n, "--") {
			p.longs = append(p.longs, n)
		}
	}
	return names
}

// keyBindings matches what follows a widget's name in zshzle(1): its
// keys in the emacs, vi command and vi insert keymaps, in brackets.
var keyBindings = regexp.MustCompile(`^(\s+\([^()]*\)){1,3}$`)

// bulletVerb matches a bullet that names an option and then says what
// it does, with no colon between: "-m displays the arguments".
var bulletVerb = regexp.MustCompile(`^(-{1,2}[A-Za-z][A-Za-z0-9-]*) ([a-z]+s\b.*)$`)

// numberPlaceholder tells whether an optional value's placeholder,
// "[octnum]", "[octal/hexadecimal]", "[=NUM]", stands for a number only
// (not "[number/list]").
func numberPlaceholder(ph string) bool {
	for _, w := range strings.Split(strings.ToLower(strings.Trim(ph, "[]=")), "/") {
		if w != "n" && !strings.Contains(w, "num") && !strings.Contains(w, "oct") && !strings.Contains(w, "hex") &&
			!strings.Contains(w, "digit") && !strings.Contains(w, "level") && !strings.Contains(w, "count") {
			return false
		}
	}
	return true
}

// commandPath is the command a page documents, as typed: "ip address"
// for ip-address(8).
func (p *page) commandPath() string {
	name, _, _ := strings.Cut(p.name, "(")
	return strings.ReplaceAll(name, "-", " ")
}

// addPathCommand records cmd as one of the commands the page names with
// its own command path (see pathCommands).
func (p *page) addPathCommand(cmd string) {
	p.hasCommands = true
	if !slices.Contains(p.pathCommands, cmd) {
		p.pathCommands = append(p.pathCommands, cmd)
	}
}

// subsectionCommand reads a subsection titled with a command of the
// page's: iproute2's ".SS ip address show - look at protocol addresses"
// in ip-address(8) is its show.
func (p *page) subsectionCommand(title string) (cmd, doc string, ok bool) {
	rest, ok := strings.CutPrefix(title, p.commandPath()+" ")
	if !ok {
		return "", "", false
	}
	cmd, doc, ok = strings.Cut(rest, " - ")
	if !ok || !isCommandName(cmd) {
		return "", "", false
	}
	return cmd, doc, true
}

// commandsSection tells whether a section's title may list the
// program's commands (COMMANDS, pyenv's COMMAND LINE OPTIONS and
// Command Reference): not xz's COMMAND ALIASES, which names programs,
// while xz's ROBOT MODE lists "file" lines that would then read as
// commands (xz -0 file), nor the commands of a script or key file (sed's
// COMMAND SYNOPSIS: its h is no subcommand in sed -f s.sed h; lesskey's
// COMMAND SECTION).
func commandsSection(title string) bool {
	return strings.Contains(title, "COMMAND") && !strings.Contains(title, "COMMAND ALIASES") &&
		title != "COMMAND SYNOPSIS" && title != "COMMAND SECTION"
}

// plusForm is one documented form of a +argument.
type plusForm struct{ tag, doc string }

// plusDoc is the meaning of word, a +argument, from the page's forms:
// the one it is (lsof's +D), or the one for a line number (+10, and a
// bare +), a search (+/pat) or a command (+G, +set\ nu), or a bare "+"
// that covers them all.
func (p *page) plusDoc(word string) string {
	if p == nil || len(word) == 0 || word[0] != '+' {
		return ""
	}
	arg := word[1:]
	number := strings.Trim(arg, "0123456789") == ""
	best, bestScore := "", 0
	for _, f := range p.plusForms {
		form, score := strings.ToLower(f.tag[1:]), 0
		numeric := strings.Contains(form, "num") || strings.Contains(form, "line") || form == "#"
		command := strings.Contains(form, "cmd") || strings.Contains(form, "command")
		switch {
		case f.tag == word, len(f.tag) == 2 && unicode.IsLetter(rune(f.tag[1])) && strings.HasPrefix(word, f.tag):
			score = 4 // lsof +D, +L1 (+L with its value)
		case strings.HasPrefix(arg, "/") && strings.HasPrefix(form, "/"), number && numeric:
			score = 3
		case arg != "" && !number && !strings.HasPrefix(arg, "/") && command:
			score = 2
		case form == "":
			score = 1
		default:
			continue
		}
		if score > bestScore {
			best, bestScore = f.doc, score
		}
	}
	return best
}

// setForm matches a tag of a form in a set of characters: tr's
// "[:lower:]", "\n", "\NNN", "CHAR1-CHAR2".
var setForm = regexp.MustCompile(`^(\[:[a-z]+:\]|\\.|\\NNN|CHAR1-CHAR2)$`)

// operandTag matches a tag of a key=value operand: "bs=BYTES",
// "status=LEVEL", not an option (--color=WHEN).
var operandTag = regexp.MustCompile(`^([a-z][a-z0-9_]*)=[A-Z][A-Z0-9_]*$`)

// isDirective tells whether a tag is a format's % sequence: %Y, %%,
// %::z, find's %Ak (k for a letter of another list).
func isDirective(tag string) bool {
	if len(tag) < 2 || len(tag) > 5 || tag[0] != '%' {
		return false
	}
	last := rune(tag[len(tag)-1])
	return !strings.ContainsAny(tag, " \t") && (unicode.IsLetter(last) || strings.ContainsRune("%+@", last))
}

// digitOption is n of an option -n of one digit (a compression level),
// or -1.
func digitOption(name string) int {
	if len(name) == 2 && name[0] == '-' && name[1] >= '0' && name[1] <= '9' {
		return int(name[1] - '0')
	}
	return -1
}

// commandOptions reads fish's "is-interactive, -i or --is-interactive":
// a subcommand and the options that do the same, all one entry (not an
// example's "kill -9 -1": the comma says so).
func commandOptions(tag string, fields []string) []string {
	if len(fields) < 2 || strings.HasPrefix(fields[0], "-") || !validName(fields[0]) || !isCommandWord(fields[0]) ||
		!strings.HasPrefix(tag, fields[0]+",") {
		return nil
	}
	names := []string{fields[0]}
	for _, f := range fields[1:] {
		if f == "or" {
			continue
		}
		if !strings.HasPrefix(f, "-") || !validName(f) {
			return nil
		}
		names = append(names, f)
	}
	return names
}

func validName(n string) bool {
	if n == "" || n == "-" || n == "--" {
		return false
	}
	for _, r := range n {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.+#?@!", r)) {
			return false
		}
	}
	return true
}

// literalText is a line's plain text without its italic words, which
// are placeholders (createuser's "[username]"), not commands: the whole
// line for .I, every other argument of .IR and the like, and the spans
// in \fI.
func literalText(macro, rest string) string {
	switch macro {
	case "I":
		return ""
	case "IR", "RI", "IB", "BI":
		args := roff.Args(rest)
		var keep []string
		for i, a := range args {
			if italic := (i%2 == 0) == (macro[0] == 'I'); !italic {
				keep = append(keep, a)
			}
		}
		rest = strings.Join(keep, " ")
	}
	var b strings.Builder
	italic := false
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\\' && i+2 < len(rest) && rest[i+1] == 'f' {
			font := rest[i+2 : i+3]
			switch font {
			case "(":
				font = rest[i+3 : min(i+5, len(rest))]
				i += 2
			case "[":
				if j := strings.IndexByte(rest[i:], ']'); j > 0 {
					font = rest[i+3 : i+j]
					i += j - 2
				}
			}
			italic = font == "I" || font == "2" || font == "CI" || font == "BI"
			i += 2
			continue
		}
		if !italic {
			b.WriteByte(rest[i])
		}
	}
	return roff.Plain(b.String())
}

// commandList reads a tag that names several commands of one meaning,
// and a reference after them: apt's "install, reinstall, remove, purge
// (apt-get(8))"; each may come with its operands, systemctl's "enable
// UNIT..., enable PATH...", loginctl's "lock-session [ID...],
// unlock-session [ID...]".
func commandList(tag string) []string {
	if i := strings.LastIndex(tag, " ("); i > 0 && strings.HasSuffix(tag, ")") {
		tag = tag[:i]
	}
	if !strings.Contains(tag, ", ") {
		return nil
	}
	var names []string
	for _, form := range strings.Split(tag, ", ") {
		f := strings.Fields(form)
		if len(f) == 0 || form != strings.Join(f, " ") || !validName(f[0]) || !isCommandWord(f[0]) {
			return nil
		}
		for _, operand := range f[1:] {
			if o := strings.Trim(operand, "[]."); o == "" || strings.Trim(o, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != "" {
				return nil
			}
		}
		if !slices.Contains(names, f[0]) {
			names = append(names, f[0])
		}
	}
	return names
}

// isCommandRune: what a subcommand's name is made of (isCommandName).
func isCommandRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

// isCommand tells whether word is one of the page's commands: an entry
// of a COMMANDS section, or one its synopsis names.
func (p *page) isCommand(word string) bool {
	return p.hasCommands || p.synopsis[word]
}

func isCommandWord(n string) bool {
	if len(n) > 30 || !unicode.IsLower(rune(n[0])) && !unicode.IsDigit(rune(n[0])) {
		return false
	}
	return !strings.ContainsAny(n, ".?!")
}

var seeRef = regexp.MustCompile(`(\w) \(([1-9][a-z]*)\)`)

// abbreviated reports whether text before a full stop ends in "e.g" or
// "i.e", or is an ellipsis (bzip2's "100 k, 200 k ... 900 k"): the stop
// is the abbreviation's, not the sentence's.
func abbreviated(before string) bool {
	// "renamed to $1 ...." is an ellipsis and a full stop.
	ellipsis := strings.HasSuffix(before, "..") && !strings.HasSuffix(before, "...")
	return strings.HasSuffix(before, "e.g") || strings.HasSuffix(before, "i.e") || ellipsis
}

// firstSentence is the one-line meaning of a paragraph: up to its first
// full stop, or 160 characters.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && i > 10 && !abbreviated(s[:i]) {
			s = s[:i]
			break
		}
	}
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, " .") && !strings.HasSuffix(s, "...") {
		s = strings.TrimSuffix(s, ".")
	}
	// "Travel the directory structure recursively; for example:" leads
	// into an example the line cannot show: the clause before it is the
	// meaning.
	if strings.HasSuffix(s, ":") {
		if i := max(strings.LastIndex(s, "; "), strings.LastIndex(s, ", ")); i > 10 && len(s)-i < 30 {
			s = s[:i]
		}
	}
	// "gzip (1)", as .BR writes a reference, reads better as gzip(1);
	// "Like -name , but", as .B writes a name before a comma, as
	// "Like -name, but"; "of type c :" before a list, without the colon.
	s = seeRef.ReplaceAllString(s, "$1($2)")
	s = strings.TrimSuffix(strings.ReplaceAll(s, " , ", ", "), " :")
	// tail -f's "output appended data as the file grows;" goes on in a
	// paragraph of its own.
	s = strings.TrimSuffix(s, ";")
	if r := []rune(s); len(r) > 160 {
		s = strings.TrimSpace(string(r[:157])) + "..."
	}
	return s
}

// formatDoc reads the % sequences of a format the page documents (date
// +%Y-%m-%d, stat -c '%s %n', find -printf '%f\n'): each with its
// meaning, or "" when a sequence in word is one the page does not list
// (printf's %s is C's, not the page's, and "50%" holds none).
func (p *page) formatDoc(word string) string {
	if p == nil || p.directives == nil || !strings.Contains(word, "%") {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for i := 0; i < len(word); i++ {
		if word[i] != '%' {
			continue
		}
		written, doc := p.directiveAt(word[i:])
		if written == "" {
			if strings.HasPrefix(word[i:], "%%") {
				i++ // a literal %, whether or not the page says so
				continue
			}
			return ""
		}
		if !seen[written] {
			seen[written] = true
			parts = append(parts, written+" "+doc)
		}
		i += len(written) - 1
	}
	return strings.Join(parts, "; ")
}

// directiveAt finds the sequence s starts with among the page's: the
// longest that is one (%::z before %:z), then one with date's flags and
// width between the % and its letter (%-d, %_5H, as %d, %H), then find's
// %Ak for %AY. It returns the sequence as written and its meaning.
func (p *page) directiveAt(s string) (written, doc string) {
	for n := min(5, len(s)); n >= 2; n-- {
		if d, ok := p.directives[s[:n]]; ok {
			return s[:n], d
		}
	}
	j := 1
	for j < len(s) && strings.IndexByte("-_0^#123456789", s[j]) >= 0 {
		j++
	}
	if j > 1 {
		for n := min(len(s)-j, 4); n >= 1; n-- {
			if d, ok := p.directives["%"+s[j:j+n]]; ok {
				return s[:j+n], d
			}
		}
	}
	if len(s) >= 3 {
		if d, ok := p.directives[s[:2]+"k"]; ok {
			return s[:3], d
		}
	}
	return "", ""
}
