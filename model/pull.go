package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/gguf"
)

// DefaultRef is what `cmdr model pull` fetches with no reference: a
// 1.5B-parameter code-instruct model, trained on shell among other code,
// whose Q4_K_M file (about 1 GiB) loads in a second and answers at
// interactive speed on a laptop CPU. Qwen2.5-Coder-1.5B is also the
// smallest model that, with output parsing, scores near GPT-4o on
// NL2SH-ALFA (see docs); smaller ones lose too much.
const DefaultRef = "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M"

// Ref names a model on a hub: a repository and either a file or a
// quantization to pick a file by.
type Ref struct {
	Repo, File, Quant string
}

var repoPart = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ParseRef reads OWNER/REPO:QUANT or OWNER/REPO/FILE.gguf.
func ParseRef(s string) (Ref, error) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "hf.co/"))
	bad := fmt.Errorf("bad model reference %q: want OWNER/REPO:QUANT (like %s) or OWNER/REPO/FILE.gguf", s, DefaultRef)
	var r Ref
	rest := s
	if i := strings.LastIndexByte(s, ':'); i > 0 {
		rest, r.Quant = s[:i], s[i+1:]
		if r.Quant == "" {
			return Ref{}, bad
		}
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && r.Quant != "":
	case len(parts) >= 3 && r.Quant == "" && strings.HasSuffix(strings.ToLower(rest), ".gguf"):
		r.File = strings.Join(parts[2:], "/")
	default:
		return Ref{}, bad
	}
	for _, p := range parts[:2] {
		if !repoPart.MatchString(p) {
			return Ref{}, bad
		}
	}
	r.Repo = parts[0] + "/" + parts[1]
	return r, nil
}

// Puller downloads models from a Hugging Face compatible hub.
type Puller struct {
	// Endpoint is the hub: $HF_ENDPOINT, or https://huggingface.co.
	Endpoint string
	// Token authorizes gated and private repositories ($HF_TOKEN). It is
	// sent to the hub only, never to the storage a download redirects to,
	// and never written anywhere.
	Token string
	// Dir receives the models (Dir()).
	Dir string
	// Progress, when set, is told the bytes done and total as they come.
	Progress func(done, total int64)
	// Retries is how many times a broken transfer is resumed.
	Retries int
	Client  *http.Client

	authDownload bool // the hub serves the bytes itself: send the token
}

// NewPuller configures a Puller from the environment.
func NewPuller() *Puller {
	ep := strings.TrimRight(os.Getenv("HF_ENDPOINT"), "/")
	if ep == "" {
		ep = "https://huggingface.co"
	}
	tok := os.Getenv("HF_TOKEN")
	if tok == "" {
		tok = os.Getenv("HUGGING_FACE_HUB_TOKEN")
	}
	if tok == "" {
		tok = savedToken()
	}
	return &Puller{Endpoint: ep, Token: tok, Dir: Dir(), Retries: 5, Client: &http.Client{
		// Redirects are followed by hand: the first response carries the
		// file's checksum, and the token must not follow to a CDN.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// savedToken is the token `hf auth login` (huggingface-cli login) saved:
// $HF_TOKEN_PATH, or $HF_HOME/token, or ~/.cache/huggingface/token.
func savedToken() string {
	path := os.Getenv("HF_TOKEN_PATH")
	if path == "" {
		path = filepath.Join(hfHome(), "token")
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 4096 {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// freeSpace reports the bytes available to this user in dir.
var freeSpace = func(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

type treeEntry struct {
	Type string `json:"type"`
	Path string `json:"path"`
	Size int64  `json:"size"`
	LFS  *struct {
		Oid  string `json:"oid"`
		Size int64  `json:"size"`
	} `json:"lfs"`
}

// Pull downloads ref (DefaultRef when empty) unless it is already here,
// and returns the installed model.
func (p *Puller) Pull(ctx context.Context, ref string) (Model, error) {
	if ref == "" {
		ref = DefaultRef
	}
	r, err := ParseRef(ref)
	if err != nil {
		return Model{}, err
	}
	if offline() {
		if m, ok := p.installed(r); ok {
			return m, nil
		}
		return Model{}, fmt.Errorf("%s is not here, and HF_HUB_OFFLINE is set: nothing is downloaded", ref)
	}
	files, err := p.listFiles(ctx, r.Repo)
	if errors.As(err, new(unreachableError)) {
		// What was pulled before needs no hub.
		if m, ok := p.installed(r); ok {
			return m, nil
		}
	}
	if err != nil {
		return Model{}, err
	}
	parts, err := pickFiles(r, files)
	if err != nil {
		return Model{}, err
	}
	// A split model's parts are installed side by side under the names
	// llama.cpp looks for them by; the model is its first part.
	dir := filepath.Join(p.Dir, filepath.FromSlash(r.Repo))
	targets := make([]string, len(parts))
	here := make([]bool, len(parts))
	var total, need int64
	for i, f := range parts {
		targets[i] = filepath.Join(dir, path.Base(f.Path))
		total += fileSizeOf(f)
		// Installed files were verified when they were installed.
		if st, err := os.Stat(targets[i]); err == nil && st.Size() == fileSizeOf(f) {
			here[i] = true
			continue
		}
		need += fileSizeOf(f)
		if st, err := os.Stat(targets[i] + ".part"); err == nil && st.Size() <= fileSizeOf(f) {
			need -= st.Size()
		}
	}
	m := Model{Name: r.Repo + "/" + path.Base(parts[0].Path), Path: targets[0], Source: SourcePulled, Size: total}
	if !slices.Contains(here, false) {
		return m, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Model{}, err
	}
	if free, err := freeSpace(dir); err == nil && uint64(need)+spaceMargin > free {
		return Model{}, fmt.Errorf("not enough disk space in %s: the model needs %s more, %s is free", dir, Bytes(need), Bytes(int64(free)))
	}
	got := make([]string, len(parts)) // where each part's verified bytes are now
	var done int64
	for i, f := range parts {
		got[i] = targets[i]
		if here[i] {
			done += fileSizeOf(f)
			continue
		}
		got[i] = targets[i] + ".part"
		base := done
		var report func(int64, int64)
		if p.Progress != nil {
			report = func(d, _ int64) { p.Progress(base+d, total) }
		}
		if err := p.fetchFile(ctx, r.Repo, f, got[i], report); err != nil {
			return Model{}, err
		}
		done += fileSizeOf(f)
	}
	if _, err := p.check(got); err != nil {
		for i, g := range got {
			if !here[i] {
				os.Remove(g)
			}
		}
		return Model{}, fmt.Errorf("downloaded %s is not a usable model (%v); nothing was installed", path.Base(parts[0].Path), err)
	}
	// The first part last, so that the model is listed only when whole.
	for i := len(parts) - 1; i >= 0; i-- {
		if here[i] {
			continue
		}
		if err := os.Rename(got[i], targets[i]); err != nil {
			return Model{}, err
		}
	}
	return m, nil
}

// check inspects a download's files before they are installed.
func (p *Puller) check(files []string) (Info, error) {
	if len(files) == 1 {
		return Inspect(files[0])
	}
	f, err := gguf.OpenParts(files)
	return inspect(files[0], f, err)
}

// spaceMargin is left free on the disk a model is downloaded to.
const spaceMargin = 64 << 20

// fetchFile downloads one file of the repository into part, resuming
// what part holds, and verifies it against the checksum the hub announces.
func (p *Puller) fetchFile(ctx context.Context, repo string, f treeEntry, part string, report func(done, total int64)) error {
	u := p.Endpoint + "/" + repo + "/resolve/main/" + escapePath(f.Path)
	loc, etag, size, err := p.resolve(ctx, u)
	p.authDownload = loc == u
	if err != nil {
		return err
	}
	want := ""
	if f.LFS != nil {
		want = strings.ToLower(f.LFS.Oid)
	}
	switch {
	case want == "" && isSHA256(etag):
		want = etag
	case want != "" && isSHA256(etag) && etag != want:
		return fmt.Errorf("the hub announces two checksums for %s (%s in the listing, %s at download); refusing it", f.Path, want, etag)
	case want == "":
		return fmt.Errorf("the hub announced no sha256 for %s; refusing to install an unverified file", f.Path)
	}
	if size <= 0 {
		size = fileSizeOf(f)
	}
	sum, err := p.download(ctx, loc, part, size, report)
	if err != nil {
		return err
	}
	if sum != want {
		os.Remove(part)
		return fmt.Errorf("checksum mismatch for %s: got sha256 %s, the hub announced %s; nothing was installed", f.Path, sum, want)
	}
	return nil
}

func fileSizeOf(f treeEntry) int64 {
	if f.LFS != nil && f.LFS.Size > 0 {
		return f.LFS.Size
	}
	return f.Size
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// request builds a request; auth adds the token, which goes only to the
// hub's own URLs, never to where it redirects (storage, a CDN).
func (p *Puller) request(ctx context.Context, method, u string, auth bool) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if ep, err := url.Parse(p.Endpoint); err == nil && auth && p.Token != "" && req.URL.Host == ep.Host {
		req.Header.Set("Authorization", "Bearer "+p.Token)
	}
	req.Header.Set("User-Agent", "cmdr")
	return req, nil
}

// hubError turns a hub's refusal into a sentence.
func (p *Puller) hubError(resp *http.Response, what string) error {
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		if p.Token == "" {
			return fmt.Errorf("%s is gated or private: accept its license on the hub and set HF_TOKEN", what)
		}
		return fmt.Errorf("%s refused HF_TOKEN (%s): check the token and that you accepted the repository's license", what, resp.Status)
	case http.StatusNotFound:
		return fmt.Errorf("%s was not found on %s", what, p.Endpoint)
	}
	return fmt.Errorf("%s: the hub answered %s", what, resp.Status)
}

// unreachableError is a hub that could not be reached at all.
type unreachableError struct{ error }

func (e unreachableError) Unwrap() error { return e.error }

// unreachable says what to do when the hub cannot be reached at all: a
// machine offline can still use a file it has.
func (p *Puller) unreachable(err error) error {
	return unreachableError{fmt.Errorf("cannot reach the model hub %s: %w (offline? HF_ENDPOINT names a mirror, and `cmdr model add PATH` takes a GGUF file you have)", p.Endpoint, err)}
}

// offline reports HF_HUB_OFFLINE, the Hugging Face tools' switch for
// using only what is already downloaded.
func offline() bool {
	switch strings.ToLower(os.Getenv("HF_HUB_OFFLINE")) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// installed finds the model r names among those pulled before, whole,
// for a pull that cannot ask the hub: offline, or with the hub out of
// reach.
func (p *Puller) installed(r Ref) (Model, bool) {
	dir := filepath.Join(p.Dir, filepath.FromSlash(r.Repo))
	entries, _ := os.ReadDir(dir)
	// What is here stands in for the hub's listing, so the choice is the
	// one pickFiles makes online; a file's folder on the hub is not kept.
	var here []treeEntry
	for _, e := range entries {
		if e.Type().IsRegular() {
			here = append(here, treeEntry{Type: "file", Path: e.Name()})
		}
	}
	local := Ref{Repo: r.Repo, Quant: r.Quant}
	if r.File != "" {
		local.File = path.Base(r.File)
	}
	for {
		parts, err := pickFiles(local, here)
		if err != nil {
			return Model{}, false
		}
		full := filepath.Join(dir, parts[0].Path)
		if in, err := Inspect(full); err == nil {
			return Model{Name: r.Repo + "/" + parts[0].Path, Path: full, Source: SourcePulled, Size: in.FileSize}, true
		}
		// Damaged, or a split model without all its parts: the next choice.
		here = slices.DeleteFunc(here, func(f treeEntry) bool { return f.Path == parts[0].Path })
	}
}

func (p *Puller) listFiles(ctx context.Context, repo string) ([]treeEntry, error) {
	req, err := p.request(ctx, "GET", p.Endpoint+"/api/models/"+repo+"/tree/main?recursive=true", true)
	if err != nil {
		return nil, err
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return nil, p.unreachable(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, p.hubError(resp, "repository "+repo)
	}
	var files []treeEntry
	if err := json.NewDecoder(io.LimitReader(resp.Body, 32<<20)).Decode(&files); err != nil {
		return nil, fmt.Errorf("the hub's file list for %s is unreadable: %v", repo, err)
	}
	return files, nil
}

// pickFiles finds the file of r: by name, or the one GGUF of its
// quantization; for a model split across files, all its parts in order.
func pickFiles(r Ref, files []treeEntry) ([]treeEntry, error) {
	ggufs := map[string]treeEntry{}
	var names []string
	for _, f := range files {
		if f.Type == "file" && strings.HasSuffix(strings.ToLower(f.Path), ".gguf") {
			ggufs[f.Path] = f
			names = append(names, f.Path)
		}
	}
	if r.File != "" {
		if _, ok := ggufs[r.File]; !ok {
			return nil, fmt.Errorf("%s has no file %s", r.Repo, r.File)
		}
		return splitSet(r, r.File, ggufs)
	}
	var match []string
	quants := map[string]bool{}
	for _, name := range names {
		q := quantOf(path.Base(name))
		if q != "" {
			quants[q] = true
		}
		// A split model is matched by its first part.
		if _, i, _, split := gguf.ParseSplitPath(name); strings.EqualFold(q, r.Quant) && (!split || i == 0) {
			match = append(match, name)
		}
	}
	if len(match) == 0 {
		var qs []string
		for q := range quants {
			qs = append(qs, q)
		}
		sort.Strings(qs)
		if len(qs) == 0 {
			return nil, fmt.Errorf("%s has no GGUF files", r.Repo)
		}
		return nil, fmt.Errorf("%s has no %s file; it has %s", r.Repo, r.Quant, strings.Join(qs, ", "))
	}
	// The shortest name is the plain one (not -imatrix, not a variant);
	// one file before a split model of the same name.
	bare := func(name string) string {
		if prefix, _, _, ok := gguf.ParseSplitPath(name); ok {
			return prefix + "-split"
		}
		return name
	}
	sort.SliceStable(match, func(i, j int) bool { return len(bare(match[i])) < len(bare(match[j])) })
	return splitSet(r, match[0], ggufs)
}

// splitSet is the file name alone, or every part of the split model
// that name is part of, all of which the repository must have.
func splitSet(r Ref, name string, ggufs map[string]treeEntry) ([]treeEntry, error) {
	prefix, _, n, ok := gguf.ParseSplitPath(name)
	if !ok {
		return []treeEntry{ggufs[name]}, nil
	}
	parts := make([]treeEntry, n)
	for i := range parts {
		f, ok := ggufs[gguf.SplitPath(prefix, i, n)]
		if !ok {
			return nil, fmt.Errorf("%s has no %s: the model %s is split into %d files and one is missing", r.Repo, path.Base(gguf.SplitPath(prefix, i, n)), path.Base(name), n)
		}
		parts[i] = f
	}
	return parts, nil
}

var quantRe = regexp.MustCompile(`(?i)(?:^|[-_.])((?:I?Q\d+(?:_[A-Z0-9]+)*)|F16|BF16|F32)(?:[-_.]|$)`)

func quantOf(name string) string {
	m := quantRe.FindAllStringSubmatch(strings.TrimSuffix(name, ".gguf"), -1)
	if len(m) == 0 {
		return ""
	}
	return strings.ToUpper(m[len(m)-1][1])
}

func matchesQuant(name, quant string) bool {
	return quant != "" && strings.EqualFold(quantOf(name), quant)
}

// resolve asks the hub where the file's bytes are, and for the checksum
// and size it announces for them.
func (p *Puller) resolve(ctx context.Context, u string) (loc, etag string, size int64, err error) {
	for hops := 0; hops < 5; hops++ {
		req, err := p.request(ctx, "HEAD", u, hops == 0)
		if err != nil {
			return "", "", 0, err
		}
		resp, err := p.Client.Do(req)
		if err != nil {
			return "", "", 0, p.unreachable(err)
		}
		resp.Body.Close()
		if e := resp.Header.Get("X-Linked-Etag"); e != "" && etag == "" {
			etag = strings.ToLower(strings.Trim(strings.TrimPrefix(e, "W/"), `"`))
		}
		if s := resp.Header.Get("X-Linked-Size"); s != "" && size == 0 {
			fmt.Sscan(s, &size)
		}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			next, err := req.URL.Parse(resp.Header.Get("Location"))
			if err != nil {
				return "", "", 0, err
			}
			u = next.String()
		case resp.StatusCode == http.StatusOK:
			if size == 0 {
				size = resp.ContentLength
			}
			return u, etag, size, nil
		default:
			return "", "", 0, p.hubError(resp, "file "+path.Base(req.URL.Path))
		}
	}
	return "", "", 0, errors.New("the hub redirected too many times")
}

// download fetches u into part, resuming what part already holds, and
// resuming again when the transfer breaks. It returns the file's sha256,
// computed as it is written: reading a model of gigabytes again to check
// it would cost as long as a fast download.
func (p *Puller) download(ctx context.Context, u, part string, size int64, report func(done, total int64)) (string, error) {
	// What an earlier run left is hashed once, then only new bytes; a part
	// longer than the file is not of it.
	h := sha256.New()
	if st, err := os.Stat(part); err == nil && size > 0 && st.Size() > size {
		os.Remove(part)
	} else if err == nil && st.Size() > 0 {
		f, err := os.Open(part)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	var lastErr error
	for attempt := 0; attempt <= p.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
			}
		}
		err := p.fetch(ctx, u, part, size, &h, report)
		if err == nil {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		lastErr = err
		var perm permanentError
		if errors.As(err, &perm) {
			return "", err
		}
	}
	return "", fmt.Errorf("download failed after %d tries: %w (run the same pull again to resume)", p.Retries+1, lastErr)
}

type permanentError struct{ error }

// fetch appends to part from where it ends; *h has hashed everything part
// holds and goes on with what is written (a fresh one when part restarts).
func (p *Puller) fetch(ctx context.Context, u, part string, size int64, h *hash.Hash, report func(done, total int64)) error {
	f, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return permanentError{err}
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return permanentError{err}
	}
	if size > 0 && have == size {
		return nil
	}
	req, err := p.request(ctx, "GET", u, p.authDownload)
	if err != nil {
		return permanentError{err}
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusOK:
		// The whole file: the server ignored the range, so start over.
		if have > 0 {
			if err := f.Truncate(0); err != nil {
				return permanentError{err}
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return permanentError{err}
			}
			have = 0
			*h = sha256.New()
		}
	case http.StatusRequestedRangeNotSatisfiable:
		f.Truncate(0)
		*h = sha256.New()
		return errors.New("the server refused to resume; starting over")
	default:
		if resp.StatusCode >= 500 {
			return fmt.Errorf("the server answered %s", resp.Status)
		}
		return permanentError{p.hubError(resp, "file "+path.Base(req.URL.Path))}
	}
	w := &progressWriter{w: f, h: *h, done: have, total: size, report: report}
	_, err = io.Copy(w, resp.Body)
	if errors.Is(err, syscall.ENOSPC) {
		// Retrying cannot help; the .part file keeps what was written.
		return permanentError{fmt.Errorf("the disk is full (%s written to %s); free some space and run the same pull again to resume", Bytes(w.done), part)}
	}
	if err != nil {
		return fmt.Errorf("transfer broken at %s: %w", Bytes(w.done), err)
	}
	if size > 0 && w.done < size {
		return fmt.Errorf("transfer ended early at %s of %s", Bytes(w.done), Bytes(size))
	}
	return nil
}

// progressWriter writes to w and hashes exactly what w took, so the hash
// matches the file even when a write fails part-way (a full disk).
type progressWriter struct {
	w           io.Writer
	h           hash.Hash
	done, total int64
	report      func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.h.Write(b[:n])
	p.done += int64(n)
	if p.report != nil {
		p.report(p.done, p.total)
	}
	return n, err
}
