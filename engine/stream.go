package engine

import (
	"strings"
	"unicode/utf8"
)

// Stream turns raw generated pieces into what a user may see: it ends the
// text at the first stop string and holds back any tail that could still
// become a stop string or is an unfinished UTF-8 sequence, so a streamed
// answer never shows half a stop string or a broken character.
type Stream struct {
	stops   []string
	text    []byte
	emitted int
	done    bool
}

// NewStream returns a Stream that ends at any of stops.
func NewStream(stops []string) *Stream {
	s := &Stream{}
	for _, st := range stops {
		if st != "" {
			s.stops = append(s.stops, st)
		}
	}
	return s
}

// Push adds a generated piece and returns the text now safe to show, and
// whether a stop string was reached (after which Push must not be called).
func (s *Stream) Push(piece string) (emit string, stopped bool) {
	if s.done {
		return "", true
	}
	from := len(s.text)
	s.text = append(s.text, piece...)
	if idx := s.findStop(from); idx >= 0 {
		s.text = s.text[:idx]
		s.done = true
		return s.take(len(s.text)), true
	}
	safe := len(s.text) - s.heldTail()
	return s.take(safe), false
}

// Flush returns everything held back, at the end of generation.
func (s *Stream) Flush() string { return s.take(len(s.text)) }

// Text is the whole answer so far, cut at a stop string.
func (s *Stream) Text() string { return string(s.text) }

func (s *Stream) take(end int) string {
	if end <= s.emitted {
		return ""
	}
	out := string(s.text[s.emitted:end])
	s.emitted = end
	return out
}

// findStop searches only where a new match can start: from the longest
// stop string's length before the newly added bytes.
func (s *Stream) findStop(from int) int {
	best := -1
	for _, st := range s.stops {
		start := max(from-len(st)+1, 0)
		if i := strings.Index(string(s.text[start:]), st); i >= 0 {
			if best < 0 || start+i < best {
				best = start + i
			}
		}
	}
	return best
}

// heldTail is how many trailing bytes must wait: a proper prefix of a stop
// string, or an incomplete UTF-8 sequence.
func (s *Stream) heldTail() int {
	hold := 0
	for _, st := range s.stops {
		for n := min(len(st)-1, len(s.text)); n > hold; n-- {
			if string(s.text[len(s.text)-n:]) == st[:n] {
				hold = n
				break
			}
		}
	}
	return max(hold, incompleteUTF8(s.text))
}

// incompleteUTF8 returns the length of an unfinished multi-byte sequence
// at the end of b (0 when b ends on a character boundary).
func incompleteUTF8(b []byte) int {
	for n := 1; n <= 3 && n <= len(b); n++ {
		c := b[len(b)-n]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			want := 0
			switch {
			case c&0xE0 == 0xC0:
				want = 2
			case c&0xF0 == 0xE0:
				want = 3
			case c&0xF8 == 0xF0:
				want = 4
			}
			if want > n {
				return n
			}
			return 0
		}
	}
	return 0
}
