package main

import (
	"strconv"
	"strings"
	"testing"
)

// row is the terminal rows the fish hook's indicator lives on (one, but
// for a line that wraps), with just the controls partDrawer and the hook
// send. Anything else fails the test, so the drawer cannot start relying
// on more without a test here (TestStreamRightOfCursor in shell/ draws on
// a real terminal, tmux).
type row struct {
	t            *testing.T
	rows         [][]byte
	y, cur       int // the cursor's row and column
	sy, saved    int
	wrapsPending bool // the last column was written: the next character would wrap
}

func newRow(t *testing.T, width int, typed string) *row {
	return newRows(t, width, 1, typed)
}

// newRows lays typed out over height rows of width columns, as the shell
// draws a line that wraps; the cursor is left at its end.
func newRows(t *testing.T, width, height int, typed string) *row {
	r := &row{t: t}
	for range height {
		r.rows = append(r.rows, []byte(strings.Repeat(" ", width)))
	}
	for i := 0; i < len(typed); i++ {
		r.y, r.cur = i/width, i%width
		r.rows[r.y][r.cur] = typed[i]
	}
	r.y, r.cur = len(typed)/width, len(typed)%width
	return r
}

func (r *row) write(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		cells := r.rows[r.y]
		if c == '\r' {
			r.cur, r.wrapsPending = 0, false
			continue
		}
		if c != 0x1b {
			if r.wrapsPending {
				r.t.Fatalf("a character after the last column would wrap the row: %q", s)
			}
			cells[r.cur] = c
			if r.cur == len(cells)-1 {
				r.wrapsPending = true
			} else {
				r.cur++
			}
			continue
		}
		i++
		switch s[i] {
		case '7':
			r.sy, r.saved = r.y, r.cur
			continue
		case '8':
			r.y, r.cur, r.wrapsPending = r.sy, r.saved, false
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
		case 'B':
			r.y = min(r.y+n, len(r.rows)-1)
		case 'C':
			r.cur = min(r.cur+n, len(cells)-1)
		case 'P':
			copy(cells[r.cur:], cells[r.cur+n:])
			for k := len(cells) - n; k < len(cells); k++ {
				cells[k] = ' '
			}
		case 'K':
			for k := r.cur; k < len(cells); k++ {
				cells[k] = ' '
			}
		default:
			r.t.Fatalf("unexpected control %q in %q", s[i:j+1], s)
		}
		r.wrapsPending = false
		i = j
	}
}

func (r *row) String() string {
	rows := make([]string, len(r.rows))
	for i, cells := range r.rows {
		rows[i] = string(cells)
	}
	return strings.Join(rows, "\n")
}

func TestPartDrawer(t *testing.T) {
	const typed = "~> # find go files"
	r := newRow(t, 60, typed)
	r.write("\x1b7 cmdr: thinking...\x1b8") // the hook's indicator
	var w strings.Builder
	d := newPartDrawer(&w, 60, 0, 0)
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
	d = newPartDrawer(&w, 10, 0, 0)
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
	d := newPartDrawer(&w, 60, 0, after)
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

// A line that wraps, the cursor on a row above its end: the hook says
// how many rows down the end is and its column there; the drawing goes
// after the line's end on its last row, and every row of the typed line
// stays whole.
func TestPartDrawerWrapped(t *testing.T) {
	typed := "~> # find go files " + strings.Repeat("y", 50) // 69 columns: 60 on the first row, 9 on the second
	r := newRows(t, 60, 3, typed)
	r.y, r.cur = 0, 40 // the user moved left onto the first row
	down, after := 1, len(typed)-60
	r.write("\x1b7\x1b[" + strconv.Itoa(down) + "B\r\x1b[" + strconv.Itoa(after) + "C cmdr: thinking...\x1b8")
	rows := func(last string) string {
		return typed[:60] + "\n" + typed[60:] + strings.Repeat(" ", 60-len(typed[60:])-len(last)) + last + "\n" + strings.Repeat(" ", 60)
	}
	if want := rows(" cmdr: thinking..." + strings.Repeat(" ", 60-9-len(" cmdr: thinking..."))); r.String() != want {
		t.Fatalf("the hook's indicator: the rows read\n%s\nwant\n%s", r, want)
	}
	var w strings.Builder
	d := newPartDrawer(&w, 60, down, after)
	for _, part := range []string{"find", "find . -name", "grep -rl TODO ."} {
		w.Reset()
		d.draw(part)
		r.write(w.String())
		if want := rows("cmdr: " + part); r.String() != want {
			t.Errorf("after %q the rows read\n%s\nwant\n%s", part, r, want)
		}
		if r.y != 0 || r.cur != 40 {
			t.Errorf("after %q the cursor is at row %d column %d, want 0 and 40 (where fish left it)", part, r.y, r.cur)
		}
	}
}
