// Package model finds, downloads and describes GGUF models. It pulls from
// Hugging Face (or any hub-compatible HTTP server), and reuses the models
// people already have: the Ollama store, the Hugging Face cache, LM
// Studio's folder, and files added by path. Nothing is copied; a model is
// known by a name that resolves to its file.
package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cmdr-sh/cmdr/gguf"
	"github.com/cmdr-sh/cmdr/internal/config"
)

// Sources of models.
const (
	SourcePulled   = "cmdr"     // downloaded by `cmdr model pull`
	SourceAdded    = "added"    // registered with `cmdr model add PATH`
	SourceOllama   = "ollama"   // the Ollama store
	SourceHF       = "hf-cache" // the Hugging Face hub cache
	SourceLMStudio = "lmstudio" // LM Studio's models folder
)

// Model is one GGUF file cmdr knows by name.
type Model struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Source string `json:"source"`
	Size   int64  `json:"size"`
}

// Dir is where pulled models live: $XDG_DATA_HOME/cmdr/models.
func Dir() string { return filepath.Join(config.DataDir(), "models") }

func addedFile() string { return filepath.Join(Dir(), "added.json") }

// List finds every model on this machine: pulled, added, and discovered
// in other tools' stores. Unreadable stores are skipped.
func List() []Model {
	var out []Model
	out = append(out, pulled()...)
	out = append(out, added()...)
	out = append(out, ollama()...)
	out = append(out, hfCache()...)
	out = append(out, lmStudio()...)
	return out
}

// pulled lists Dir/OWNER/REPO/FILE.gguf as OWNER/REPO/FILE.gguf.
func pulled() []Model {
	var out []Model
	root := Dir()
	matches, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.gguf"))
	sort.Strings(matches)
	for _, p := range matches {
		rel, _ := filepath.Rel(root, p)
		out = appendFile(out, filepath.ToSlash(rel), p, SourcePulled)
	}
	return out
}

// appendFile adds the model at path, unless it is missing or a later
// part of a split model, which is the first part's model; a split
// model's size is that of the parts present.
func appendFile(out []Model, name, path, source string) []Model {
	if _, i, _, ok := gguf.ParseSplitPath(path); ok && i > 0 {
		return out
	}
	var size int64
	for i, p := range gguf.SplitParts(path) {
		st, err := os.Stat(p)
		if err == nil && st.Mode().IsRegular() {
			size += st.Size()
		} else if i == 0 {
			return out
		}
	}
	return append(out, Model{Name: name, Path: path, Source: source, Size: size})
}

func readAdded() []string {
	b, err := os.ReadFile(addedFile())
	if err != nil {
		return nil
	}
	var paths []string
	json.Unmarshal(b, &paths)
	return paths
}

func added() []Model {
	var out []Model
	for _, p := range readAdded() {
		out = appendFile(out, p, p, SourceAdded)
	}
	return out
}

// Add registers a GGUF file by path; it is validated first.
func Add(path string) (Model, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Model{}, err
	}
	if _, err := Inspect(abs); err != nil {
		return Model{}, err
	}
	paths := readAdded()
	for _, p := range paths {
		if p == abs {
			return Model{Name: abs, Path: abs, Source: SourceAdded}, nil
		}
	}
	if err := writeAdded(append(paths, abs)); err != nil {
		return Model{}, err
	}
	st, _ := os.Stat(abs)
	return Model{Name: abs, Path: abs, Source: SourceAdded, Size: st.Size()}, nil
}

func writeAdded(paths []string) error {
	if err := os.MkdirAll(Dir(), 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(paths, "", "  ")
	tmp := addedFile() + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, addedFile())
}

// ollamaDir is $OLLAMA_MODELS or ~/.ollama/models.
func ollamaDir() string {
	if d := os.Getenv("OLLAMA_MODELS"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".ollama", "models")
}

// ollama reads the store's manifests (manifests/HOST/NAMESPACE/NAME/TAG):
// each names its GGUF layer, a blob stored as blobs/sha256-HEX.
func ollama() []Model {
	root := ollamaDir()
	manifests, _ := filepath.Glob(filepath.Join(root, "manifests", "*", "*", "*", "*"))
	sort.Strings(manifests)
	var out []Model
	for _, m := range manifests {
		b, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		var man struct {
			Layers []struct {
				MediaType string `json:"mediaType"`
				Digest    string `json:"digest"`
			} `json:"layers"`
		}
		if json.Unmarshal(b, &man) != nil {
			continue
		}
		parts := strings.Split(filepath.ToSlash(m), "/")
		host, ns, name, tag := parts[len(parts)-4], parts[len(parts)-3], parts[len(parts)-2], parts[len(parts)-1]
		full := name
		if ns != "library" || host != "registry.ollama.ai" {
			full = ns + "/" + name
		}
		for _, l := range man.Layers {
			if l.MediaType != "application/vnd.ollama.image.model" {
				continue
			}
			blob := filepath.Join(root, "blobs", strings.Replace(l.Digest, ":", "-", 1))
			out = appendFile(out, "ollama:"+full+":"+tag, blob, SourceOllama)
		}
	}
	return out
}

// hfHubDir is the Hugging Face hub cache: $HF_HUB_CACHE, $HF_HOME/hub or
// ~/.cache/huggingface/hub.
func hfHubDir() string {
	if d := os.Getenv("HF_HUB_CACHE"); d != "" {
		return d
	}
	return filepath.Join(hfHome(), "hub")
}

// hfHome is where the Hugging Face tools keep their files: $HF_HOME or
// ~/.cache/huggingface.
func hfHome() string {
	if d := os.Getenv("HF_HOME"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if !filepath.IsAbs(cache) {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "huggingface")
}

// hfCache lists models--OWNER--REPO/snapshots/REV/FILE.gguf (symlinks
// into blobs/) as hf:OWNER/REPO/FILE.gguf.
func hfCache() []Model {
	matches, _ := filepath.Glob(filepath.Join(hfHubDir(), "models--*", "snapshots", "*", "*.gguf"))
	sort.Strings(matches)
	seen := map[string]bool{}
	var out []Model
	for _, p := range matches {
		repoDir := filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(p))))
		repo := strings.Replace(strings.TrimPrefix(repoDir, "models--"), "--", "/", 1)
		name := "hf:" + repo + "/" + filepath.Base(p)
		if seen[name] {
			continue // the same file in an older snapshot
		}
		seen[name] = true
		out = appendFile(out, name, p, SourceHF)
	}
	return out
}

// lmStudioDirs are LM Studio's models folders, newer first.
func lmStudioDirs() []string {
	home, _ := os.UserHomeDir()
	return []string{filepath.Join(home, ".lmstudio", "models"), filepath.Join(home, ".cache", "lm-studio", "models")}
}

func lmStudio() []Model {
	var out []Model
	for _, d := range lmStudioDirs() {
		matches, _ := filepath.Glob(filepath.Join(d, "*", "*", "*.gguf"))
		sort.Strings(matches)
		for _, p := range matches {
			rel, _ := filepath.Rel(d, p)
			out = appendFile(out, "lmstudio:"+filepath.ToSlash(rel), p, SourceLMStudio)
		}
	}
	return out
}

// ErrNoModel says that no model is configured; its text says what to do.
var ErrNoModel = errors.New("no model configured")

// Resolve turns a reference into a file: a path, a name from List, or
// OWNER/REPO:QUANT for a pulled model. The empty reference explains how
// to get a model, naming the ones found on this machine.
func Resolve(ref string) (string, error) {
	path, _, err := ResolveName(ref)
	return path, err
}

// ResolveName is Resolve, also returning the name a configuration should
// hold for ref: a short name's full name from List (a short name can come
// to name several models as more arrive), a file's absolute path (the
// agent reads a relative one from another directory), or ref itself.
func ResolveName(ref string) (path, name string, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", "", noModelError(List())
	}
	if strings.HasPrefix(ref, "~/") {
		home, _ := os.UserHomeDir()
		ref = filepath.Join(home, ref[2:])
	}
	if st, err := os.Stat(ref); err == nil && st.Mode().IsRegular() {
		if abs, err := filepath.Abs(ref); err == nil {
			return ref, abs, nil
		}
		return ref, ref, nil
	}
	models := List()
	for _, m := range models {
		if m.Name == ref {
			return m.Path, ref, nil
		}
	}
	if m, err := resolveShort(ref, models); m.Path != "" || err != nil {
		return m.Path, m.Name, err
	}
	r, refErr := ParseRef(ref)
	if refErr == nil && r.Quant != "" {
		prefix := r.Repo + "/"
		for _, m := range models {
			if m.Source == SourcePulled && strings.HasPrefix(m.Name, prefix) && matchesQuant(filepath.Base(m.Path), r.Quant) {
				return m.Path, ref, nil
			}
		}
	}
	if strings.ContainsRune(ref, filepath.Separator) && !strings.Contains(ref, ":") && strings.HasSuffix(ref, ".gguf") {
		return "", "", fmt.Errorf("model file %s does not exist", ref)
	}
	if refErr == nil {
		return "", "", fmt.Errorf("unknown model %q: `cmdr model list` shows the models here, `cmdr model pull %s` downloads it", ref, ref)
	}
	return "", "", fmt.Errorf("unknown model %q: `cmdr model list` shows the models here (a name, a file's name or a path)", ref)
}

// resolveShort finds the one model that ref names for short: its file's
// name, with or without .gguf (an added model's name is its whole path),
// or its name without the other tool's prefix (qwen2.5-coder:1.5b for
// ollama:qwen2.5-coder:1.5b). Several files answering to it is an error,
// naming them; none, the zero Model.
func resolveShort(ref string, models []Model) (Model, error) {
	var found []Model
	for _, m := range models {
		base := filepath.Base(m.Path)
		_, bare, prefixed := strings.Cut(m.Name, ":")
		if ref != base && ref != strings.TrimSuffix(base, ".gguf") && !(prefixed && m.Source != SourcePulled && m.Source != SourceAdded && ref == bare) {
			continue
		}
		if !slices.ContainsFunc(found, func(f Model) bool { return f.Path == m.Path }) {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 0:
		return Model{}, nil
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, m := range found {
		names[i] = m.Name
	}
	return Model{}, fmt.Errorf("%q could be any of %d models (%s): give its full name from `cmdr model list`", ref, len(found), strings.Join(names, ", "))
}

func noModelError(found []Model) error {
	if len(found) == 0 {
		return fmt.Errorf("%w: run `cmdr model pull` to download the recommended model (%s), `cmdr model add PATH` for a GGUF file you have, or set CMDR_ENGINE=openai and CMDR_OPENAI_URL for a server", ErrNoModel, DefaultRef)
	}
	return fmt.Errorf("%w: %d found on this machine (`cmdr model list`); pick one with `cmdr model use %s`", ErrNoModel, len(found), found[0].Name)
}

// Remove deletes a model cmdr pulled, or forgets one that was added; the
// files of other tools are never touched.
func Remove(ref string) (Model, error) {
	path, err := Resolve(ref)
	if err != nil {
		return Model{}, err
	}
	for _, m := range List() {
		if m.Path != path {
			continue
		}
		switch m.Source {
		case SourcePulled:
			// The first part last: a model half removed is not listed.
			parts := gguf.SplitParts(m.Path)
			for _, p := range slices.Backward(parts[1:]) {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return m, err
				}
			}
			return m, os.Remove(m.Path)
		case SourceAdded:
			var keep []string
			for _, p := range readAdded() {
				if p != m.Path {
					keep = append(keep, p)
				}
			}
			return m, writeAdded(keep)
		default:
			return m, fmt.Errorf("%s belongs to %s, not cmdr; remove it there", m.Name, m.Source)
		}
	}
	return Model{}, fmt.Errorf("%s was not pulled or added by cmdr; it is left alone", path)
}
