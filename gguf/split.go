package gguf

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
)

// The metadata keys of a model split across files (llama-arch.cpp).
const (
	KeySplitNo      = "split.no"
	KeySplitCount   = "split.count"
	KeySplitTensors = "split.tensors.count"
)

// maxSplits is what a file name's five digits can number.
const maxSplits = 99999

var splitName = regexp.MustCompile(`^(.+)-(\d{5})-of-(\d{5})\.gguf$`)

// SplitPath names part i (0-based) of n of a split model whose names
// start with prefix, as llama.cpp looks for them: PREFIX-00002-of-00003.gguf.
func SplitPath(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.gguf", prefix, i+1, n)
}

// ParseSplitPath reads a split part's name: its prefix, its index
// (0-based) and the number of parts. ok is false for any other name.
func ParseSplitPath(path string) (prefix string, i, n int, ok bool) {
	m := splitName.FindStringSubmatch(path)
	if m == nil {
		return "", 0, 0, false
	}
	no, _ := strconv.Atoi(m[2])
	n, _ = strconv.Atoi(m[3])
	if no < 1 || no > n {
		return "", 0, 0, false
	}
	return m[1], no - 1, n, true
}

// SplitParts lists the files of the model at path: path alone, or for
// the first part of a split model (by its name) every part. A file named
// as a later part is a model only together with its first part, which
// OpenModel asks for.
func SplitParts(path string) []string {
	prefix, i, n, ok := ParseSplitPath(path)
	if !ok || i != 0 || n < 2 {
		return []string{path}
	}
	parts := make([]string, n)
	for j := range parts {
		parts[j] = SplitPath(prefix, j, n)
	}
	return parts
}

// OpenModel opens the model at path: one GGUF file, or the first part of
// a model split across files, in which case every other part is found
// beside it, as llama.cpp will look for it, and checked the same way.
// The File it returns has the first part's metadata, the tensors of all
// parts and their total size, and Parts lists the files. Errors do not
// repeat path, which callers name.
func OpenModel(path string) (*File, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	n, _ := f.Uint(KeySplitCount)
	if n < 2 {
		return f, nil
	}
	no, _ := f.Uint(KeySplitNo)
	prefix, i, count, named := ParseSplitPath(path)
	switch {
	case no != 0 && named && uint64(count) == n:
		return nil, fmt.Errorf("part %d of %d of a split model: use its first part, %s", no+1, n, filepath.Base(SplitPath(prefix, 0, count)))
	case no != 0:
		return nil, fmt.Errorf("part %d of %d of a split model: use its first part", no+1, n)
	case !named || i != 0 || uint64(count) != n:
		// llama.cpp finds the other parts by this name only.
		return nil, fmt.Errorf("the first of %d parts of a split model, but not named PREFIX-00001-of-%05d.gguf, so its other parts cannot be found", n, n)
	}
	return openParts(f, SplitParts(path))
}

// OpenParts opens a split model from its parts' files, in order, whatever
// their names (a download's temporary files).
func OpenParts(paths []string) (*File, error) {
	f, err := Open(paths[0])
	if err != nil {
		return nil, err
	}
	return openParts(f, paths)
}

func openParts(first *File, paths []string) (*File, error) {
	n, _ := first.Uint(KeySplitCount)
	if no, _ := first.Uint(KeySplitNo); no != 0 || n != uint64(len(paths)) {
		return nil, fmt.Errorf("%s is not the first of %d parts (split.no %d, split.count %d)", filepath.Base(paths[0]), len(paths), no, n)
	}
	merged := *first
	merged.Tensors = append([]TensorInfo(nil), first.Tensors...)
	merged.Parts = paths
	for i, p := range paths[1:] {
		part, err := Open(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("part %d of %d (%s) is missing", i+2, n, filepath.Base(p))
		case err != nil:
			return nil, fmt.Errorf("part %d of %d (%s): %v", i+2, n, filepath.Base(p), err)
		}
		if no, ok := part.Uint(KeySplitNo); !ok || no != uint64(i+1) {
			return nil, fmt.Errorf("%s is not part %d of the split model (split.no %d)", filepath.Base(p), i+2, no)
		}
		merged.Tensors = append(merged.Tensors, part.Tensors...)
		merged.FileSize += part.FileSize
	}
	if want, ok := first.Uint(KeySplitTensors); ok && want != uint64(len(merged.Tensors)) {
		return nil, fmt.Errorf("the split model's %d parts hold %d tensors, its first part says %d", n, len(merged.Tensors), want)
	}
	return &merged, nil
}
