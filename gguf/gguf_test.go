package gguf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sample writes a small valid file with two tensors.
func sample(t testing.TB) []byte {
	t.Helper()
	var w Writer
	w.AddKV("general.architecture", "llama")
	w.AddKV("llama.context_length", uint32(2048))
	w.AddKV("general.flag", true)
	w.AddKV("tokenizer.ggml.tokens", []string{"a", "b", "c"})
	w.AddKV("tokenizer.ggml.scores", []float32{0, -1, -2})
	w.AddKV("big", make([]int32, 5000))
	zeros := func(n int) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(make([]byte, n)); return err }
	}
	if err := w.AddTensor("a.weight", TypeF32, []uint64{8, 2}, zeros(64)); err != nil {
		t.Fatal(err)
	}
	if err := w.AddTensor("b.weight", TypeQ8_0, []uint64{64, 3}, zeros(2*34*3)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	data := sample(t)
	f, err := Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != 3 || f.Architecture() != "llama" {
		t.Fatalf("version %d arch %q", f.Version, f.Architecture())
	}
	if n, ok := f.Uint("llama.context_length"); !ok || n != 2048 {
		t.Fatalf("context_length = %d, %v", n, ok)
	}
	if v, _ := f.Get("general.flag"); v.Scalar != true {
		t.Fatalf("flag = %v", v.Scalar)
	}
	if v, _ := f.Get("tokenizer.ggml.tokens"); v.Len != 3 || v.Items[2] != "c" {
		t.Fatalf("tokens = %+v", v)
	}
	if v, _ := f.Get("big"); v.Len != 5000 || v.Items != nil {
		t.Fatalf("long arrays keep only their length: %+v", v.Len)
	}
	if len(f.Tensors) != 2 || f.Tensors[1].Type != TypeQ8_0 || f.Tensors[1].Size != 204 {
		t.Fatalf("tensors = %+v", f.Tensors)
	}
	if f.ParamCount() != 16+192 {
		t.Fatalf("params = %d", f.ParamCount())
	}
	if f.DataOffset%DefaultAlignment != 0 {
		t.Fatalf("data offset %d not aligned", f.DataOffset)
	}
}

func TestTruncatedEverywhere(t *testing.T) {
	data := sample(t)
	full, _ := Parse(bytes.NewReader(data), int64(len(data)))
	last := full.Tensors[len(full.Tensors)-1]
	end := int(full.DataOffset) + int(last.Offset+last.Size)
	// Every prefix that cuts into the header or tensor data must be
	// rejected, never accepted or panicking. (Trailing padding may go.)
	for n := 0; n < end; n += 7 {
		_, err := Parse(bytes.NewReader(data[:n]), int64(n))
		if err == nil {
			t.Fatalf("prefix of %d/%d bytes accepted", n, len(data))
		}
	}
	// Cutting into the tensor data names the truncation.
	n := len(data) - 50
	_, err := Parse(bytes.NewReader(data[:n]), int64(n))
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err = %v", err)
	}
}

func TestNotGGUF(t *testing.T) {
	for _, s := range []string{"", "GGU", "hello world, not a model", "\x7fELF\x02\x01\x01"} {
		if _, err := Parse(strings.NewReader(s), int64(len(s))); !errors.Is(err, ErrNotGGUF) {
			t.Errorf("%q: err = %v", s, err)
		}
	}
}

func TestCorruptHeaders(t *testing.T) {
	base := sample(t)
	patch := func(off int, v uint64, size int) []byte {
		d := append([]byte(nil), base...)
		if size == 4 {
			binary.LittleEndian.PutUint32(d[off:], uint32(v))
		} else {
			binary.LittleEndian.PutUint64(d[off:], v)
		}
		return d
	}
	cases := map[string][]byte{
		"version 1":        patch(4, 1, 4),
		"version 99":       patch(4, 99, 4),
		"huge tensors":     patch(8, 1<<40, 8),
		"huge kv":          patch(16, 1<<40, 8),
		"huge key length":  patch(24, 1<<50, 8),
		"kv count too big": patch(16, 7, 8),
	}
	for name, d := range cases {
		if _, err := Parse(bytes.NewReader(d), int64(len(d))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.gguf")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("dir: %v", err)
	}
}

func TestRowSize(t *testing.T) {
	if n, ok := TypeQ4_K.RowSize(512); !ok || n != 288 {
		t.Fatalf("q4_k 512 = %d %v", n, ok)
	}
	if _, ok := TypeQ4_K.RowSize(100); ok {
		t.Fatal("partial block accepted")
	}
	if TensorType(77).Known() || TensorType(77).String() != "type(77)" {
		t.Fatal("unknown type")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample(f))
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, tn := range file.Tensors {
			if uint64(file.DataOffset)+tn.Offset+tn.Size > uint64(len(data)) {
				t.Fatalf("tensor %s outside the file", tn.Name)
			}
		}
	})
}

// writeSplit writes the sample's tensors (plus a third) as a model split
// into n files named as llama.cpp names them, and returns their paths.
func writeSplit(t *testing.T, dir string, n int) []string {
	t.Helper()
	var w Writer
	w.AddKV("general.architecture", "llama")
	w.AddKV("llama.context_length", uint32(2048))
	zeros := func(n int) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(make([]byte, n)); return err }
	}
	for i, name := range []string{"a.weight", "b.weight", "c.weight"} {
		if err := w.AddTensor(name, TypeF32, []uint64{8, uint64(i + 1)}, zeros(32*(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := w.Split(n)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i, p := range parts {
		path := SplitPath(filepath.Join(dir, "m"), i, n)
		var buf bytes.Buffer
		if _, err := p.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

func TestSplitModel(t *testing.T) {
	dir := t.TempDir()
	paths := writeSplit(t, dir, 2)
	if filepath.Base(paths[1]) != "m-00002-of-00002.gguf" {
		t.Fatalf("named %s", paths[1])
	}
	if got := SplitParts(paths[0]); !slices.Equal(got, paths) {
		t.Fatalf("parts of the first: %q", got)
	}
	if got := SplitParts(paths[1]); !slices.Equal(got, paths[1:]) {
		t.Fatalf("parts of the second: %q", got)
	}
	f, err := OpenModel(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, p := range paths {
		st, _ := os.Stat(p)
		size += st.Size()
	}
	// The first part's metadata, every part's tensors.
	if f.Architecture() != "llama" || len(f.Tensors) != 3 || f.ParamCount() != 8*(1+2+3) || f.FileSize != size || !slices.Equal(f.Parts, paths) {
		t.Fatalf("merged: %d tensors, %d params, %d bytes of %d, parts %q", len(f.Tensors), f.ParamCount(), f.FileSize, size, f.Parts)
	}
	// Each part alone is what llama.cpp checks: its index and the count.
	second, err := Open(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	if no, _ := second.Uint(KeySplitNo); no != 1 || second.Architecture() != "" || len(second.Tensors) != 1 {
		t.Fatalf("second part: no %d, %d tensors", no, len(second.Tensors))
	}
	// One file stays one file.
	single := filepath.Join(dir, "one.gguf")
	os.WriteFile(single, sample(t), 0o644)
	if f, err := OpenModel(single); err != nil || f.Parts != nil || len(f.Tensors) != 2 {
		t.Fatalf("single: %v", err)
	}
}

func TestSplitModelErrors(t *testing.T) {
	dir := t.TempDir()
	paths := writeSplit(t, dir, 3)
	if _, err := OpenModel(paths[1]); err == nil || err.Error() != "part 2 of 3 of a split model: use its first part, m-00001-of-00003.gguf" {
		t.Errorf("a later part: %v", err)
	}
	renamed := filepath.Join(dir, "renamed.gguf")
	b, _ := os.ReadFile(paths[0])
	os.WriteFile(renamed, b, 0o644)
	if _, err := OpenModel(renamed); err == nil || !strings.Contains(err.Error(), "not named PREFIX-00001-of-00003.gguf") {
		t.Errorf("renamed first part: %v", err)
	}
	// A truncated part fails like a truncated file, not when llama.cpp reads it.
	b, _ = os.ReadFile(paths[2])
	os.WriteFile(paths[2], b[:len(b)-8], 0o644)
	if _, err := OpenModel(paths[0]); err == nil || !strings.Contains(err.Error(), "part 3 of 3 (m-00003-of-00003.gguf): corrupt GGUF") {
		t.Errorf("truncated part: %v", err)
	}
	os.Remove(paths[2])
	if _, err := OpenModel(paths[0]); err == nil || err.Error() != "part 3 of 3 (m-00003-of-00003.gguf) is missing" {
		t.Errorf("missing part: %v", err)
	}
	// Parts out of order, as a download's temporary files could be given.
	if _, err := OpenParts([]string{paths[0], paths[0]}); err == nil {
		t.Error("a part given twice was accepted")
	}
	if _, err := (&Writer{}).Split(2); err == nil {
		t.Error("split of no tensors")
	}
}

func TestParseSplitPath(t *testing.T) {
	for _, c := range []struct {
		path   string
		prefix string
		i, n   int
		ok     bool
	}{
		{"/m/qwen-q4_k_m-00001-of-00002.gguf", "/m/qwen-q4_k_m", 0, 2, true},
		{"x-00003-of-00003.gguf", "x", 2, 3, true},
		{"x-00004-of-00003.gguf", "", 0, 0, false},
		{"x-00000-of-00003.gguf", "", 0, 0, false},
		{"x-0001-of-0003.gguf", "", 0, 0, false},
		{"x.gguf", "", 0, 0, false},
	} {
		prefix, i, n, ok := ParseSplitPath(c.path)
		if prefix != c.prefix || i != c.i || n != c.n || ok != c.ok {
			t.Errorf("%s: %q %d %d %v", c.path, prefix, i, n, ok)
		}
	}
}
