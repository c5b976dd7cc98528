package randmodel

import (
	"fmt"
	"strings"
)

// SentencePiece token types, as llama.cpp numbers them.
const (
	tokNormal  = 1
	tokUnknown = 2
	tokControl = 3
	tokByte    = 6
)

// space is SentencePiece's marker for a word boundary.
const space = "▁"

type vocab struct {
	tokens []string
	scores []float32
	types  []int32
	bos    int
	imEnd  int
	merges []string // a BPE vocabulary's; nil for SentencePiece
}

// seedWords are common words of shell requests and commands. Their
// prefixes become pieces too, so SentencePiece's pairwise merges can build
// each word from single characters.
var seedWords = strings.Fields(`
the a an and or of to in on for with from by at as is are be this that all
list show find print count delete remove copy move rename make create open
file files dir directory directories folder folders name names line lines
word words size sizes disk space free memory process processes port ports
user users group permission permissions owner recursive recursively
current home root path paths hidden empty large larger small newest oldest
last first modified changed days hours minutes older than more less
text string pattern match matching search replace sort unique duplicate
duplicates compress extract archive download upload server remote host
network connection kill running service status log logs error errors
git commit branch push pull merge diff clone checkout stash tag
ls cd cp mv rm mkdir rmdir touch cat less head tail grep egrep sed awk cut
tr wc sort uniq xargs find locate du df ps top kill pkill chmod chown ln
tar gzip gunzip zip unzip curl wget ssh scp rsync echo printf date env
export sudo apt docker systemctl journalctl which man history tee diff
md5sum sha256sum file stat mount umount ping ip ss netstat lsof
name type mtime size exec print delete maxdepth mindepth newer perm
bin usr etc var tmp dev proc log home local share lib opt
txt log conf json yaml md py go sh csv tgz gz zip tar
`)

// buildVocab makes a vocabulary of exactly n tokens: specials, the 256
// byte-fallback tokens (so any UTF-8 text round-trips), single characters,
// seed words with all their prefixes, letter pairs, then generated letter
// triples and quads up to n. Earlier pieces score higher, as frequent
// pieces do in a trained SentencePiece model.
func buildVocab(n int) vocab {
	var v vocab
	seen := map[string]bool{}
	add := func(tok string, typ int32) bool {
		if len(v.tokens) >= n || seen[tok] {
			return false
		}
		seen[tok] = true
		v.tokens = append(v.tokens, tok)
		v.types = append(v.types, typ)
		v.scores = append(v.scores, -float32(len(v.tokens)))
		return true
	}
	add("<unk>", tokUnknown)
	v.bos = len(v.tokens)
	add("<s>", tokControl)
	add("</s>", tokControl)
	add("<|im_start|>", tokControl)
	v.imEnd = len(v.tokens)
	add("<|im_end|>", tokControl)
	for b := 0; b < 256; b++ {
		add(fmt.Sprintf("<0x%02X>", b), tokByte)
	}
	add(space, tokNormal)
	for c := byte(33); c < 127; c++ {
		add(string(c), tokNormal)
		add(space+string(c), tokNormal)
	}
	for _, w := range seedWords {
		for i := 2; i <= len(w); i++ {
			add(w[:i], tokNormal)
			add(space+w[:i], tokNormal)
		}
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for _, a := range letters {
		for _, b := range letters {
			add(string(a)+string(b), tokNormal)
		}
	}
	// Pad to n with generated pieces, so the output layer has the real
	// vocabulary's width (it dominates a 0.5B model's decode time).
	for _, a := range letters {
		for _, b := range letters {
			for _, c := range letters {
				add(space+string(a)+string(b)+string(c), tokNormal)
				add(string(a)+string(b)+string(c), tokNormal)
			}
		}
	}
	for i := 0; len(v.tokens) < n; i++ {
		q := []byte{letters[i%26], letters[i/26%26], letters[i/676%26], letters[i/17576%26]}
		add(string(q), tokNormal)
		add(space+string(q), tokNormal)
	}
	return v
}
