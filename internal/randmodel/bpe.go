package randmodel

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BPE is a trained byte-level BPE tokenizer (GPT-2 style: tokens spelled
// in its byte-to-unicode alphabet, merges in rank order), as
// encoder.json and vocab.bpe hold it.
//
// Why models of the real shapes use one: the generated SentencePiece
// vocabulary spells most words in three- and four-letter pieces, so
// cmdr's prompts came out ~1.6 times as many tokens as a trained
// tokenizer makes of them (measured against Llama 3's on the public dev
// set), and every benchmark paid for prompt tokens a real model would
// not have. The ollama module, which the build needs anyway, carries
// Llama 3.2's tokenizer as test data (tokenizer/testdata/llama3.2);
// Qwen2.5's is of the same kind and size.
type BPE struct {
	Tokens []string // by id
	Merges []string // "a b", highest priority first
}

// LoadBPE reads encoder.json (token → id) and vocab.bpe (merges) from dir.
func LoadBPE(dir string) (*BPE, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "encoder.json"))
	if err != nil {
		return nil, err
	}
	var ids map[string]int
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "encoder.json"), err)
	}
	b := &BPE{Tokens: make([]string, len(ids))}
	for tok, id := range ids {
		if id < 0 || id >= len(ids) || b.Tokens[id] != "" {
			return nil, fmt.Errorf("%s: token ids are not 0..%d, each once", filepath.Join(dir, "encoder.json"), len(ids)-1)
		}
		b.Tokens[id] = tok
	}
	f, err := os.Open(filepath.Join(dir, "vocab.bpe"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		// Only a first "#version" line is a header: "# #" is a merge.
		if first && strings.HasPrefix(line, "#version") || line == "" {
			continue
		}
		if strings.Count(line, " ") != 1 {
			return nil, fmt.Errorf("%s: merge %q is not two tokens", filepath.Join(dir, "vocab.bpe"), line)
		}
		b.Merges = append(b.Merges, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(b.Merges) == 0 {
		return nil, fmt.Errorf("%s: no merges", filepath.Join(dir, "vocab.bpe"))
	}
	return b, nil
}

// bpeVocab lays b out as a Qwen-style vocabulary of n tokens: b's tokens,
// then the control tokens (<|endoftext|>, ChatML's two), then fillers up
// to n, so that the embedding and output matrices have the shape's real
// width. Fillers are ordinary tokens no merge produces; a random model
// may still sample them, as it may any token.
func bpeVocab(b *BPE, n int) (vocab, error) {
	const controls = 3
	if len(b.Tokens)+controls > n {
		return vocab{}, fmt.Errorf("the tokenizer has %d tokens; the shape has room for %d", len(b.Tokens), n-controls)
	}
	// No scores: a BPE vocabulary ranks its merges, not its tokens.
	v := vocab{tokens: make([]string, 0, n), types: make([]int32, 0, n)}
	seen := make(map[string]bool, n)
	add := func(tok string, typ int32) {
		if !seen[tok] {
			seen[tok] = true
			v.tokens = append(v.tokens, tok)
			v.types = append(v.types, typ)
		}
	}
	for _, t := range b.Tokens {
		add(t, tokNormal)
	}
	v.bos = len(v.tokens)
	add("<|endoftext|>", tokControl)
	add("<|im_start|>", tokControl)
	v.imEnd = len(v.tokens)
	add("<|im_end|>", tokControl)
	if len(v.tokens) != len(b.Tokens)+controls {
		return vocab{}, fmt.Errorf("the tokenizer already has a ChatML or end-of-text token")
	}
	// "Ġ" is the byte-level alphabet's space.
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for i := 0; len(v.tokens) < n; i++ {
		q := string([]byte{letters[i%26], letters[i/26%26], letters[i/676%26], letters[i/17576%26], letters[i/456976%26]})
		add("Ġ"+q, tokNormal)
		add(q, tokNormal)
	}
	v.tokens, v.types = v.tokens[:n], v.types[:n]
	v.merges = b.Merges
	return v, nil
}
