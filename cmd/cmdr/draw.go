package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/cmdr-sh/cmdr/translate"
)

// partDrawer draws the command so far on the terminal itself, for the
// fish hook: fish reads a binding's command substitution only when it
// ends, so it cannot draw the parts the way bash and zsh do.
//
// The hook has saved the cursor (DECSC) and drawn its "thinking"
// indicator after the typed line's end, `after` columns right of it (0
// but for a cursor mid-line), or, for a line that wraps below the cursor,
// `down` rows below it and `after` columns from that row's start. Where
// the end is on the row is otherwise unknown: the prompt's width is known
// only to fish. So the text is drawn
// right-aligned against the row's end, one character at a time: each
// deletes a cell just right of the line's end (DCH, shifting the rest of
// the row left by one) and is written in the last column. A text longer
// than the room scrolls its start off to the left, so the newest words
// stay in view at any prompt width, and nothing of the typed line is ever
// touched. Each batch ends with the cursor restored (DECRC) where fish
// left it, so fish's next redraw starts from where it believes it is.
type partDrawer struct {
	w      io.Writer
	width  int    // the terminal's columns: more characters than this would scroll off anyway
	anchor string // to the typed line's end: restore the cursor, then down by `down` to that row's start, right by `after`
	shown  string
}

func newPartDrawer(w io.Writer, width, down, after int) *partDrawer {
	anchor := "\x1b8"
	if down > 0 {
		// CUD stops at the screen's last row rather than scrolling it,
		// and a carriage return is a move that no output mode rewrites.
		anchor += fmt.Sprintf("\x1b[%dB\r", down)
	}
	if after > 0 {
		anchor += fmt.Sprintf("\x1b[%dC", after)
	}
	return &partDrawer{w: w, width: width, anchor: anchor}
}

// ttyDrawer opens the controlling terminal for a partDrawer, or returns
// nil where there is none (the parts are then simply not drawn).
func ttyDrawer(down, after int) (*partDrawer, func()) {
	f, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return nil, func() {}
	}
	width := termColumns(f)
	if width == 0 {
		width = 512
	}
	return newPartDrawer(f, width, down, after), func() { f.Close() }
}

// termColumns is f's terminal's width, or 0 where f is not a terminal
// (the size request fails there) or reports none.
func termColumns(f *os.File) int {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}

// drawLabel starts the drawn text, as it starts the other hooks' indicators.
const drawLabel = "cmdr: "

// draw shows part, the whole command so far. A part that extends the one
// shown costs only its new characters; any other starts the row again.
func (d *partDrawer) draw(part string) {
	text := drawLabel + displayable(part)
	var b strings.Builder
	add := text
	if d.shown == "" || !strings.HasPrefix(text, d.shown) {
		// To the line's end, then clear the rest of the row: the
		// indicator, or an earlier text this one does not extend.
		b.WriteString(d.anchor + "\x1b[K")
	} else {
		add = text[len(d.shown):]
	}
	if n := len(add); n > d.width {
		add = add[n-d.width:]
	}
	for i := 0; i < len(add); i++ {
		// To the line's end, one right (a space after the typed line),
		// delete a cell there, to the last column, the character. Writing
		// the last column leaves the terminal's wrap pending; the next
		// restore clears it, so the row never wraps or scrolls.
		b.WriteString(d.anchor + "\x1b[C\x1b[P\x1b[999C")
		b.WriteByte(add[i])
	}
	b.WriteString("\x1b8")
	d.shown = text
	// A failed write only leaves the indicator: nothing to report.
	_, _ = io.WriteString(d.w, b.String())
}

// displayable is s as single-width cells, one byte each: control
// characters become spaces and anything not ASCII a '?', since a
// double-width or combining character in the last column would wrap the
// row or merge with its neighbour. Only the drawing is changed; the
// command the hook receives is intact.
func displayable(s string) string {
	s = translate.StripEscapes(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r < ' ' || r == 0x7f:
			return ' '
		case r < 0x7f:
			return r
		default:
			return '?'
		}
	}, s)
}
