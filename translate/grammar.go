package translate

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// CommandGrammar is a GBNF grammar for one line of valid shell syntax in
// shell: simple commands with arguments, quotes, variables, command
// substitution and redirections, joined by pipes, && || and ;, plus the
// common compound forms (for, while, if, groups). A local model decoding
// under it cannot produce an unbalanced quote, a stray parenthesis or a
// reserved word where a command must stand, so its answer always parses,
// while the first token stays free to be any command.
func CommandGrammar(shell string) string {
	grammarOnce.Do(func() {
		for _, sh := range Shells {
			grammars[sh] = buildGrammar(sh)
		}
	})
	if g, ok := grammars[shell]; ok {
		return g
	}
	return grammars["bash"]
}

var (
	grammarOnce sync.Once
	grammars    = map[string]string{}
)

func buildGrammar(shell string) string {
	fish := shell == "fish"
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	w(`root ::= list`)
	w(`list ::= pipeline (sep pipeline)*`)
	if fish {
		w(`sep ::= "; " | " && " | " || " | "; and " | "; or "`)
	} else {
		w(`sep ::= "; " | " && " | " || "`)
	}
	w(`pipeline ::= command (" | " command)*`)
	w(`command ::= compound | simple`)
	if fish {
		w(`compound ::= "for " name " in " word (" " word)* "; " list "; end" | "while " list "; " list "; end" | "if " list "; " list ("; else " list)? "; end" | "begin; " list "; end"`)
		w(`simple ::= cmdword (" " arg)*`)
		w(`var ::= "$" name`)
		w(`subst ::= "(" list ")" | "$(" list ")"`)
	} else {
		w(`compound ::= "for " name " in " word (" " word)* "; do " list "; done" | "while " list "; do " list "; done" | "if " list "; then " list ("; else " list)? "; fi" | "{ " list "; }" | "( " list " )"`)
		w(`simple ::= (assign " ")* cmdword (" " arg)*`)
		w(`assign ::= name "=" word?`)
		w(`var ::= "$" name | "${" name "}" | "$" [0-9?#@*$!]`)
		w(`subst ::= "$(" list ")"`)
	}
	w(`name ::= [A-Za-z_] [A-Za-z0-9_]*`)
	w(`arg ::= redirect | word`)
	w(`redirect ::= "2>&1" | ("2" | "&")? (">" | ">>") " "? word | "<" " "? word`)
	w(`word ::= part+`)
	// Characters that may stand bare in an argument. fish treats { } [ ]
	// and ( ) specially, so they are left to quotes there.
	if fish {
		w(`plain ::= [A-Za-z0-9_./~+,:@%^=*?-]`)
	} else {
		w(`plain ::= [A-Za-z0-9_./~+,:@%^=*?[\]{}-]`)
	}
	// One bare character per part keeps the grammar unambiguous, so the
	// sampler tracks one parse, not one per way of splitting a word.
	w(`part ::= plain | squote | dquote | var | subst`)
	w(`squote ::= "'" [^'\x00-\x1F\x7F]* "'"`)
	if fish {
		w(`dquote ::= "\"" ([^"\\$\x00-\x1F\x7F] | "\\" [^\x00-\x1F\x7F] | var)* "\""`)
	} else {
		w(`dquote ::= "\"" ([^"\\$` + "`" + `\x00-\x1F\x7F] | "\\" [^\x00-\x1F\x7F] | var | subst)* "\""`)
	}
	// A command word is any word that is not a reserved word: either it
	// holds a character other than a-z, or it is a lowercase word outside
	// the reserved set (spelled out as the complement of a trie).
	w(`cmdword ::= lowerok | [a-z]* [A-Z0-9_./~+-] [A-Za-z0-9_./~+-]* | squote [A-Za-z0-9_./~+-]*`)
	reserved := []string{"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "coproc", "time"}
	if shell == "zsh" {
		reserved = append(reserved, "repeat", "foreach", "end", "nocorrect")
	}
	if fish {
		reserved = []string{"if", "else", "end", "case", "switch", "for", "while", "function", "begin", "in", "not", "and", "or", "time"}
	}
	b.WriteString(complementRules("lowerok", reserved))
	return b.String()
}

// complementRules writes GBNF rules named start… that match every
// non-empty string over a-z except those in words.
func complementRules(start string, words []string) string {
	type node struct {
		end      bool
		children map[byte]*node
	}
	root := &node{children: map[byte]*node{}}
	for _, wd := range words {
		n := root
		for i := 0; i < len(wd); i++ {
			c := wd[i]
			if n.children[c] == nil {
				n.children[c] = &node{children: map[byte]*node{}}
			}
			n = n.children[c]
		}
		n.end = true
	}
	var b strings.Builder
	var emit func(name string, n *node, mustGrow bool)
	emit = func(name string, n *node, mustGrow bool) {
		var kids []byte
		for c := range n.children {
			kids = append(kids, c)
		}
		sort.Slice(kids, func(i, j int) bool { return kids[i] < kids[j] })
		var alts []string
		for _, c := range kids {
			alts = append(alts, fmt.Sprintf("%q %s-%c", string(c), name, c))
		}
		var others strings.Builder
		for c := byte('a'); c <= 'z'; c++ {
			if n.children[c] == nil {
				others.WriteByte(c)
			}
		}
		if others.Len() > 0 {
			alts = append(alts, fmt.Sprintf("[%s] [a-z]*", others.String()))
		}
		body := strings.Join(alts, " | ")
		if !mustGrow {
			// This prefix is itself not reserved: it may end here.
			body = "(" + body + ")?"
		}
		fmt.Fprintf(&b, "%s ::= %s\n", name, body)
		for _, c := range kids {
			child := n.children[c]
			emit(fmt.Sprintf("%s-%c", name, c), child, child.end)
		}
	}
	emit(start, root, true)
	return b.String()
}
