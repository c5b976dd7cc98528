package main

import (
	"strconv"
	"strings"
	"testing"
)

// row is the one terminal row the fish hook's indicator lives on, with
// just the controls partDrawer and the hook send. Anything else fails the
// test, so the drawer cannot start relying on more without a test here
// (TestStreamRightOfCursor in shell/ draws on a real terminal, tmux).
type row struct {
	t            *testing.T
	cells        []byte
	cur, saved   int
	wrapsPending bool // the last column was written: the next character would wrap
}

func newRow(t *testing.T, width int, typed string) *row {
	r := &row{t: t, cells: []byte(strings.Repeat(" ", width))}
	r.write(typed)
	return r
}

func (r *row) write(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != 0x1b {
			if r.wrapsPending {
				r.t.Fatalf("a character after the last column would wrap the row: %q", s)
			}
			r.cells[r.cur] = c
			if r.cur == len(r.cells)-1 {
				r.wrapsPending = true
			} else {
				r.cur++
			}
			continue
		}
		i++
		switch s[i] {
		case '7':
			r.saved = r.cur
			continue
		case '8':
			r.cur, r.wrapsPending = r.saved, false
			continue
		case '[':
		default:
			r.t.Fatalf("unexpected escape %q in %q", s[i], s)
		}
		j := i + 1
		for s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n := 1
		if j > i+1 {
			n, _ = strconv.Atoi(s[i+1 : j])
		}
		switch s[j] {
		case 'C':
			r.cur = min(r.cur+n, len(r.cells)-1)
		case 'P':
			copy(r.cells[r.cur:], r.cells[r.cur+n:])
			for k := len(r.cells) - n; k < len(r.cells); k++ {
				r.cells[k] = ' '
			}
		case 'K':
			for k := r.cur; k < len(r.cells); k++ {
				r.cells[k] = ' '
			}
		default:
			r.t.Fatalf("unexpected control %q in %q", s[i:j+1], s)
		}
		r.wrapsPending = false
		i = j
	}
}

func (r *row) String() string { return string(r.cells) }

func TestPartDrawer(t *testing.T) {
	const typed = "~> # find go files"
	r := newRow(t, 60, typed)
	r.write("\x1b7 cmdr: thinking...\x1b8") // the hook's indicator
	var w strings.Builder
	d := newPartDrawer(&w, 60, 0)
	step := func(part, want string) {
		t.Helper()
		w.Reset()
		d.draw(part)
		r.write(w.String())
		if r.String() != want {
			t.Errorf("after %q the row reads\n%q, want\n%q", part, r.String(), want)
		}
		if r.cur != len(typed) {
			t.Errorf("after %q the cursor is in column %d, want %d (where the hook saved it)", part, r.cur, len(typed))
		}
	}
	pad := func(s string) string { return typed + strings.Repeat(" ", 60-len(typed)-len(s)) + s }
	step("find", pad("cmdr: find"))
	step("find . -name", pad("cmdr: find . -name"))
	if n := strings.Count(w.String(), "\x1b[P"); n != len(" . -name") {
		t.Errorf("an extended part drew %d characters, want only the %d new ones", n, len(" . -name"))
	}
	// Longer than the room: the end stays in view, the typed line whole,
	// a space between them.
	long := "find . -name '*.go' -newer go.mod -exec grep -l TODO {} +"
	step(long, typed+" "+long[len(long)-(60-len(typed)-1):])
	// A part that does not extend the one shown (the model's answer read
	// differently once more came) starts again.
	step("grep -rl TODO --include=*.go .", pad("cmdr: grep -rl TODO --include=*.go ."))
	// Escapes and control characters never reach the terminal; wide
	// characters would wrap the last column.
	step("echo \x1b]0;title\x07é\tx", pad("cmdr: echo ? x"))
	// More text than the terminal is wide: only what can show is sent.
	w.Reset()
	d = newPartDrawer(&w, 10, 0)
	d.draw(strings.Repeat("a", 100))
	if n := strings.Count(w.String(), "a"); n != 10 {
		t.Errorf("drew %d characters on a 10-column terminal", n)
	}
}

// With the cursor mid-line the hook saves it there and says how far the
// line's end is: the drawing goes after the whole line, and the cursor
// comes back to where fish left it, as fish's next redraw expects.
func TestPartDrawerMidLine(t *testing.T) {
	const typed = "~> # find go files"
	r := newRow(t, 60, typed)
	r.cur = len("~> # find") // the user moved left over " go files"
	after := len(typed) - r.cur
	r.write("\x1b7\x1b[" + strconv.Itoa(after) + "C cmdr: thinking...\x1b8")
	if want := typed + " cmdr: thinking..."; strings.TrimRight(r.String(), " ") != want {
		t.Fatalf("the hook's indicator: the row reads %q, want %q", r.String(), want)
	}
	var w strings.Builder
	d := newPartDrawer(&w, 60, after)
	pad := func(s string) string { return typed + strings.Repeat(" ", 60-len(typed)-len(s)) + s }
	for _, part := range []string{"find", "find . -name", "grep -rl TODO ."} {
		w.Reset()
		d.draw(part)
		r.write(w.String())
		if want := pad("cmdr: " + part); r.String() != want {
			t.Errorf("after %q the row reads\n%q, want\n%q", part, r.String(), want)
		}
		if r.cur != len("~> # find") {
			t.Errorf("after %q the cursor is in column %d, want %d (where fish left it)", part, r.cur, len("~> # find"))
		}
	}
}
