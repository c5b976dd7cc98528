package explain

import (
	"regexp"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// Options described in running text rather than in a list: zsh's and
// bash's builtin entries, and fish's pages, say many of theirs in
// sentences ("With the -U flag, ...", "If --regex or -r is given, ...").

// proseOptions finds the options an entry describes only in its running
// text, as zsh's do for autoload, emulate, setopt and vared ("With the
// -U flag, alias expansion is suppressed when the function is loaded."):
// an option set in bold on its own, in the first sentence that speaks of
// it as a flag, option or switch, or that starts "With" it. Examples
// (.nf) are not running text; "\fBfunctions \-t\fP" names another
// builtin's option. prog is the page's program (its options may be set
// in bold with it); self is for fish's pages, whose sentences that start
// with the program or an option define it.
func proseOptions(lines []string, prog string, self bool) map[string]entry {
	bold := boldOption
	if prog != "" {
		// fish's "\fBabbr \-\-add\fP creates a new abbreviation".
		bold = regexp.MustCompile(`\\fB(?:` + regexp.QuoteMeta(prog) + ` )?(` + optionPattern + `)(?:=([^\\ ]*))?\\f[PR]`)
	}
	subject := strings.ReplaceAll(prog, "-", " ") // string-repeat(1) is "string repeat"
	// Paragraphs, lists and examples end a sentence as a full stop does.
	// A block that shows one usage line of the program's ("abbr [-e |
	// --erase] NAME", fish's other subcommands) is described by the
	// paragraph after it.
	type para struct {
		lines, usage []string
	}
	var paras []para
	var cur, block, usage []string
	example := false
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		switch macro {
		case "nf":
			example, block = true, nil
		case "fi":
			example, usage = false, nil
			if len(block) == 1 && prog != "" && strings.HasPrefix(block[0], prog+" ") && usageLine.MatchString(block[0]) {
				for _, m := range usageOption.FindAllStringSubmatch(block[0], -1) {
					usage = append(usage, m[1])
				}
			}
		case "PP", "LP", "P", "TP", "TQ", "IP", "HP", "RS", "RE", "sp", "SH", "SS":
		default:
			if example {
				if t := roff.Plain(line); macro == "" && t != "" {
					block = append(block, t)
				}
				continue
			}
			// bash(1) sets words in bold with .B mid-sentence.
			if macro != "" && isFontMacro(macro) {
				line = inlineFont(macro, rest)
			}
			if macro == "" || isFontMacro(macro) {
				cur = append(cur, line)
			}
			continue
		}
		if len(cur) > 0 {
			paras = append(paras, para{cur, usage})
			cur, usage = nil, nil
		}
	}
	paras = append(paras, para{cur, usage})
	out := map[string]entry{}
	for _, para := range paras {
		for i, s := range sentences(strings.Join(para.lines, " ")) {
			plain := strings.Join(strings.Fields(roff.Plain(s)), " ")
			doc := strings.TrimSuffix(firstSentence(plain), ":")
			if i == 0 {
				for _, key := range para.usage {
					if _, seen := out[key]; !seen && plain != "" {
						out[key] = entry{doc: doc}
					}
				}
			}
			opts := bold.FindAllStringSubmatch(s, -1)
			if short := shortFor(s, bold); short != nil {
				// "-d, -f and -l are short for --type=dir, --type=file and
				// --type=link, respectively" (fish's path filter).
				for key, long := range short {
					if _, seen := out[key]; !seen {
						out[key] = entry{doc: "short for " + long}
					}
				}
				continue
			}
			// A list of options ("with the exception of the -c, -x, -M
			// and -W options") or a heading ("The -M and +M flags") says
			// what none of them does; "If the -n flag is not present,
			// print a newline" describes the option by its absence, which
			// bash's help or the program's page says better. fish's pages
			// also define an option by starting a sentence with the
			// program or the option: "abbr --add creates a new
			// abbreviation", "string repeat repeats the STRING -n or
			// --count times", "--style=url ensures..." (zsh's "kill -l
			// will only list the preferred form" is a remark).
			defines := self && len(opts) > 0 && (strings.HasPrefix(plain, subject+" ") || strings.HasPrefix(strings.TrimSpace(s), opts[0][0]))
			// (One option with its values, "--key=dirname ..., --key=path",
			// is not a list.)
			names := map[string]bool{}
			for _, m := range opts {
				names[m[1]] = true
			}
			if !defines && !proseCue.MatchString(plain) || proseAbsent.MatchString(plain) || len(names) > 3 || len(strings.Fields(plain)) < 6 {
				continue
			}
			for _, m := range opts {
				key := strings.ReplaceAll(m[1], `\-`, "-")
				e, seen := out[key]
				if !seen {
					e.doc = doc
				}
				// "--style=var ensures...", "--style=url ensures...": the
				// values' meanings.
				if m[2] != "" {
					if e.values == nil {
						e.values = map[string]string{}
					}
					if _, ok := e.values[m[2]]; !ok {
						e.values[m[2]] = doc
					}
					e.arg = true
				}
				out[key] = e
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// shortFor reads a sentence that says some options are short for
// others, one for one, as short → what it stands for.
func shortFor(s string, bold *regexp.Regexp) map[string]string {
	before, after, ok := strings.Cut(s, " short for ")
	if !ok {
		return nil
	}
	left, right := bold.FindAllStringSubmatch(before, -1), bold.FindAllStringSubmatch(after, -1)
	if len(left) == 0 || len(left) != len(right) {
		return nil
	}
	out := map[string]string{}
	for i, m := range left {
		long := strings.ReplaceAll(right[i][1], `\-`, "-")
		if right[i][2] != "" {
			long += "=" + right[i][2]
		}
		out[strings.ReplaceAll(m[1], `\-`, "-")] = long
	}
	return out
}

// inlineFont writes a font macro's line as text with inline font
// changes: ".B \-g" is "\fB\-g\fP", ".BR \-g ," is "\fB\-g\fP,".
func inlineFont(macro, rest string) string {
	args := roff.Args(rest)
	switch macro {
	case "SM": // smaller, not another font
		return strings.Join(args, " ")
	case "SB":
		macro = "B"
	}
	if len(macro) == 1 {
		return `\f` + macro + strings.Join(args, " ") + `\fP`
	}
	var b strings.Builder
	for i, a := range args {
		b.WriteString(`\f` + macro[i%2:i%2+1] + a + `\fP`)
	}
	return b.String()
}

// sentences splits roff text after each full stop that ends a
// sentence: zsh's pages write one as "\&.", and the next sentence
// starts with a capital, a font change or a quote (an abbreviation's
// "i\&.e\&. at" goes on in small letters).
func sentences(text string) []string {
	var out []string
	start := 0
	for _, m := range fullStop.FindAllStringIndex(text, -1) {
		next := strings.TrimPrefix(text[m[1]:], `\&`)
		// "(i.e. $ZDOTDIR or $HOME)" goes on.
		if abbreviated(strings.ReplaceAll(text[start:m[0]], `\&`, "")) {
			continue
		}
		if next != "" && (next[0] >= 'A' && next[0] <= 'Z' || next[0] == '`' || strings.HasPrefix(next, `\f`)) {
			out = append(out, text[start:m[1]])
			start = m[1]
		}
	}
	return append(out, text[start:])
}

var (
	fullStop = regexp.MustCompile(`\.\s+`)
	// optionPattern is an option as roff writes it: -x, +x, --long-name,
	// find's -name.
	optionPattern = `\\-\\-[A-Za-z0-9]\w*(?:\\-\w+)*|\\-[A-Za-z]\w*|\+[A-Za-z]`
	boldOption    = regexp.MustCompile(`\\fB(` + optionPattern + `)(?:=([^\\ ]*))?\\f[PR]`)
	// usageLine is a usage, not an example: it shows what may be given
	// ("[-e | --erase] NAME", "-q or --query").
	usageLine   = regexp.MustCompile(`\[|\s\|\s|\sor\s|\s[A-Z][A-Z_]+\b`)
	usageOption = regexp.MustCompile(`(?:^|[\s\[(|])(--?[A-Za-z][\w-]*)`)
	proseCue    = regexp.MustCompile(`(?i)\b(?:flags?|options?|switch(?:es)?|(?:is|are|be) (?:given|used|specified|supplied|present))\b|^With\b|\b(?:with|using) (?:the )?[-+]`)
	proseAbsent = regexp.MustCompile(`(?i)\bnot (?:present|given|specified|used)\b|^Without\b`)
)
