// Command mkmodel writes random-weight GGUF models for cmdr's tests and
// benchmarks. It is a developer tool: `make build` puts it in bin/.
//
//	mkmodel -o PATH [-shape tiny|0.5b|1.5b|3b] [-quant f16|q8_0|q4_k_m|q4_0] [-seed N] [-bpe DIR] [-split N]
//
// -bpe gives the model a trained tokenizer's vocabulary instead of the
// generated one, so that text comes out as many tokens as with a real
// model (`make models` passes Llama 3.2's, from the ollama module).
//
// -split N writes an F16 model as N files the way llama.cpp's gguf-split
// does (PATH's name without .gguf, then -00001-of-0000N.gguf and on), as
// big models come from the hub.
//
// Quantized models are written as F16 first and converted by llama.cpp's
// own quantizer, so their tensor layouts are exactly what real quantized
// GGUFs have.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/randmodel"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkmodel:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkmodel", flag.ContinueOnError)
	out := fs.String("o", "", "output `path` (required)")
	shape := fs.String("shape", "tiny", "model shape: "+strings.Join(shapeNames(), ", "))
	quant := fs.String("quant", "f16", "quantization: f16, q8_0, q4_k_m, q4_0, q5_k_m, q6_k")
	seed := fs.Uint64("seed", 1, "weight seed; the same seed writes the same model")
	bpeDir := fs.String("bpe", "", "`dir`ectory with a byte-level BPE tokenizer (encoder.json, vocab.bpe) to use instead of the generated vocabulary")
	split := fs.Int("split", 0, "write the model as `n` files, as gguf-split does (f16 only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-o PATH is required and no other arguments are taken")
	}
	s, ok := randmodel.Shapes[*shape]
	if !ok {
		return fmt.Errorf("unknown shape %q (known: %s)", *shape, strings.Join(shapeNames(), ", "))
	}
	var tok *randmodel.BPE
	if *bpeDir != "" {
		var err error
		if tok, err = randmodel.LoadBPE(*bpeDir); err != nil {
			return err
		}
	}
	q := strings.ToLower(*quant)
	start := time.Now()
	if *split != 0 {
		if q != "f16" {
			return errors.New("-split writes f16 models only")
		}
		paths, err := randmodel.WriteF16Split(strings.TrimSuffix(*out, ".gguf"), *split, s, *seed, tok)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "mkmodel: wrote %s and %d more parts (%s f16) in %s\n", paths[0], len(paths)-1, s.Name, time.Since(start).Round(time.Millisecond))
		return nil
	}
	if q == "f16" {
		if err := randmodel.WriteF16With(*out, s, *seed, tok); err != nil {
			return err
		}
	} else {
		if _, ok := llamacpp.Quantizations[q]; !ok {
			return fmt.Errorf("unknown quantization %q", *quant)
		}
		if !llamacpp.Available {
			return errors.New("quantizing needs llama.cpp; this mkmodel was built without cgo (only -quant f16 works)")
		}
		tmp := filepath.Join(filepath.Dir(*out), fmt.Sprintf(".%s.f16.tmp", filepath.Base(*out)))
		defer os.Remove(tmp)
		if err := randmodel.WriteF16With(tmp, s, *seed, tok); err != nil {
			return err
		}
		threads := engine.PhysicalCores()
		part := *out + ".part"
		defer os.Remove(part)
		if err := llamacpp.Quantize(tmp, part, q, threads); err != nil {
			return err
		}
		if err := os.Rename(part, *out); err != nil {
			return err
		}
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "mkmodel: wrote %s (%s %s, %.1f MB) in %s\n", *out, s.Name, q,
		float64(st.Size())/1e6, time.Since(start).Round(time.Millisecond))
	return nil
}

func shapeNames() []string {
	var n []string
	for k := range randmodel.Shapes {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}
