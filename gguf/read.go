package gguf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// Magic is the first four bytes of every GGUF file.
const Magic = "GGUF"

// DefaultAlignment is the tensor data alignment when general.alignment is absent.
const DefaultAlignment = 32

// Limits on header fields. Real models stay far below them; a file past
// them is corrupt, and checking first keeps a bad count from turning into a
// huge allocation.
const (
	maxTensors     = 1 << 20
	maxKV          = 1 << 16
	maxDims        = 4
	maxNameLen     = 1 << 16
	maxKeptArray   = 1 << 10 // longer arrays are checked but not kept in memory
	maxArrayNest   = 2
	maxStringBytes = 1 << 26
)

// ErrNotGGUF is returned for a file that does not start with the GGUF magic.
var ErrNotGGUF = errors.New("not a GGUF file")

// FormatError describes a file that starts like GGUF but is malformed or
// truncated. Offset is where reading went wrong.
type FormatError struct {
	Offset int64
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("corrupt GGUF at byte %d: %s", e.Offset, e.Msg)
}

// Value is one metadata value. Arrays longer than a thousand elements keep
// only their element type and length: nothing cmdr reads needs the token
// lists, and keeping them would cost megabytes per inspection.
type Value struct {
	Type ValueType
	// Scalar holds a scalar: uint64, int64, float64, bool or string.
	Scalar any
	// Elem, Len and Items describe an array; Items is nil for long arrays.
	Elem  ValueType
	Len   uint64
	Items []any
}

// String renders a value the way `cmdr model info` shows it.
func (v Value) String() string {
	if v.Type == ValArray {
		return fmt.Sprintf("[%d items]", v.Len)
	}
	return fmt.Sprint(v.Scalar)
}

// KV is one metadata entry, in file order.
type KV struct {
	Key   string
	Value Value
}

// TensorInfo describes one tensor of the file.
type TensorInfo struct {
	Name   string
	Dims   []uint64
	Type   TensorType
	Offset uint64 // relative to File.DataOffset
	Size   uint64 // bytes
}

// Elements is the tensor's element count.
func (t TensorInfo) Elements() uint64 {
	n := uint64(1)
	for _, d := range t.Dims {
		n *= d
	}
	return n
}

// File is a parsed GGUF header.
type File struct {
	Version    uint32
	KV         []KV
	Tensors    []TensorInfo
	Alignment  uint64
	DataOffset int64 // absolute offset of the tensor data section
	FileSize   int64
	// Parts are the files of a model split across several (OpenModel);
	// nil for one file. Tensors and FileSize then cover them all, and
	// DataOffset and the tensors' offsets are each within its own file.
	Parts []string
}

// Get returns the metadata value for key.
func (f *File) Get(key string) (Value, bool) {
	for _, kv := range f.KV {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return Value{}, false
}

// String returns a string metadata value, or "" when absent or not a string.
func (f *File) String(key string) string {
	v, ok := f.Get(key)
	if !ok {
		return ""
	}
	s, _ := v.Scalar.(string)
	return s
}

// Uint returns an integer metadata value.
func (f *File) Uint(key string) (uint64, bool) {
	v, ok := f.Get(key)
	if !ok {
		return 0, false
	}
	switch x := v.Scalar.(type) {
	case uint64:
		return x, true
	case int64:
		if x >= 0 {
			return uint64(x), true
		}
	}
	return 0, false
}

// Architecture is general.architecture.
func (f *File) Architecture() string { return f.String("general.architecture") }

// ParamCount sums the elements of all tensors.
func (f *File) ParamCount() uint64 {
	var n uint64
	for _, t := range f.Tensors {
		n += t.Elements()
	}
	return n
}

// TensorBytes sums the sizes of all tensors.
func (f *File) TensorBytes() uint64 {
	var n uint64
	for _, t := range f.Tensors {
		n += t.Size
	}
	return n
}

// TypeCounts counts tensors by type; the dominant quantization is the
// type with the most bytes among the 2-D weights.
func (f *File) TypeCounts() map[TensorType]uint64 {
	m := map[TensorType]uint64{}
	for _, t := range f.Tensors {
		m[t.Type] += t.Size
	}
	return m
}

// Open parses and validates the GGUF file at path.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a GGUF file", path)
	}
	return Parse(fh, st.Size())
}

// Parse reads and validates a GGUF header from r, whose total size is size.
// It checks everything llama.cpp would otherwise trust: counts, string
// lengths, tensor shapes and types, and that every tensor's data lies inside
// the file, which is what catches a truncated download.
func Parse(r io.ReaderAt, size int64) (*File, error) {
	p := &parser{r: bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 1<<16), size: size}
	var magic [4]byte
	if err := p.read(magic[:]); err != nil || string(magic[:]) != Magic {
		return nil, ErrNotGGUF
	}
	f := &File{FileSize: size, Alignment: DefaultAlignment}
	f.Version = p.u32()
	if p.err == nil && (f.Version < 2 || f.Version > 3) {
		return nil, p.fail("unsupported GGUF version %d (cmdr reads versions 2 and 3)", f.Version)
	}
	nTensors := p.u64()
	nKV := p.u64()
	if p.err != nil {
		return nil, p.err
	}
	if nTensors > maxTensors {
		return nil, p.fail("tensor count %d is implausible", nTensors)
	}
	if nKV > maxKV {
		return nil, p.fail("metadata count %d is implausible", nKV)
	}
	f.KV = make([]KV, 0, nKV)
	for i := uint64(0); i < nKV && p.err == nil; i++ {
		key := p.str(maxNameLen)
		vt := ValueType(p.u32())
		val := p.value(vt, 0)
		if p.err == nil {
			f.KV = append(f.KV, KV{Key: key, Value: val})
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	if v, ok := f.Get("general.alignment"); ok {
		a, _ := v.Scalar.(uint64)
		if v.Type != ValUint32 || a == 0 || a&(a-1) != 0 {
			return nil, p.fail("general.alignment must be a power of two")
		}
		f.Alignment = a
	}
	f.Tensors = make([]TensorInfo, 0, nTensors)
	for i := uint64(0); i < nTensors && p.err == nil; i++ {
		t := TensorInfo{Name: p.str(maxNameLen)}
		nd := p.u32()
		if p.err == nil && (nd == 0 || nd > maxDims) {
			return nil, p.fail("tensor %q has %d dimensions", t.Name, nd)
		}
		for j := uint32(0); j < nd && p.err == nil; j++ {
			t.Dims = append(t.Dims, p.u64())
		}
		t.Type = TensorType(p.u32())
		t.Offset = p.u64()
		if p.err != nil {
			break
		}
		if !t.Type.Known() {
			return nil, p.fail("tensor %q has unknown type %d", t.Name, uint32(t.Type))
		}
		n := uint64(1)
		for _, d := range t.Dims {
			if d == 0 || d > math.MaxUint64/n {
				return nil, p.fail("tensor %q has bad shape %v", t.Name, t.Dims)
			}
			n *= d
		}
		if t.Dims[0]%t.Type.BlockSize() != 0 {
			return nil, p.fail("tensor %q: row of %d is not a multiple of %s's block of %d", t.Name, t.Dims[0], t.Type, t.Type.BlockSize())
		}
		sz, _ := t.Type.RowSize(n)
		t.Size = sz
		if t.Offset%f.Alignment != 0 {
			return nil, p.fail("tensor %q data offset %d is not aligned to %d", t.Name, t.Offset, f.Alignment)
		}
		f.Tensors = append(f.Tensors, t)
	}
	if p.err != nil {
		return nil, p.err
	}
	// The data section starts at the next aligned offset after the header.
	f.DataOffset = int64(alignUp(uint64(p.off), f.Alignment))
	for _, t := range f.Tensors {
		end := uint64(f.DataOffset) + t.Offset + t.Size
		if end < t.Offset || end > uint64(size) {
			return nil, &FormatError{Offset: size, Msg: fmt.Sprintf(
				"file is truncated: tensor %q needs bytes up to %d but the file has %d", t.Name, end, size)}
		}
	}
	return f, nil
}

func alignUp(n, a uint64) uint64 { return (n + a - 1) / a * a }

type parser struct {
	r    *bufio.Reader
	off  int64
	size int64
	err  error
}

func (p *parser) fail(format string, args ...any) error {
	if p.err == nil {
		p.err = &FormatError{Offset: p.off, Msg: fmt.Sprintf(format, args...)}
	}
	return p.err
}

func (p *parser) read(b []byte) error {
	if p.err != nil {
		return p.err
	}
	n, err := io.ReadFull(p.r, b)
	p.off += int64(n)
	if err != nil {
		return p.fail("file ends inside the header (truncated)")
	}
	return nil
}

func (p *parser) u32() uint32 {
	var b [4]byte
	if p.read(b[:]) != nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b[:])
}

func (p *parser) u64() uint64 {
	var b [8]byte
	if p.read(b[:]) != nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b[:])
}

func (p *parser) str(limit uint64) string {
	n := p.u64()
	if p.err != nil {
		return ""
	}
	if n > limit || int64(n) > p.size-p.off {
		p.fail("string length %d runs past the end of the file", n)
		return ""
	}
	b := make([]byte, n)
	if p.read(b) != nil {
		return ""
	}
	return string(b)
}

func (p *parser) skip(n int64) {
	if p.err != nil {
		return
	}
	if n > p.size-p.off {
		p.fail("value runs past the end of the file")
		return
	}
	d, err := p.r.Discard(int(n))
	p.off += int64(d)
	if err != nil {
		p.fail("file ends inside the header (truncated)")
	}
}

func (p *parser) value(vt ValueType, depth int) Value {
	v := Value{Type: vt}
	switch vt {
	case ValUint8:
		var b [1]byte
		p.read(b[:])
		v.Scalar = uint64(b[0])
	case ValInt8:
		var b [1]byte
		p.read(b[:])
		v.Scalar = int64(int8(b[0]))
	case ValBool:
		var b [1]byte
		p.read(b[:])
		if b[0] > 1 && p.err == nil {
			p.fail("bool value %d", b[0])
		}
		v.Scalar = b[0] == 1
	case ValUint16:
		var b [2]byte
		p.read(b[:])
		v.Scalar = uint64(binary.LittleEndian.Uint16(b[:]))
	case ValInt16:
		var b [2]byte
		p.read(b[:])
		v.Scalar = int64(int16(binary.LittleEndian.Uint16(b[:])))
	case ValUint32:
		v.Scalar = uint64(p.u32())
	case ValInt32:
		v.Scalar = int64(int32(p.u32()))
	case ValFloat32:
		v.Scalar = float64(math.Float32frombits(p.u32()))
	case ValUint64:
		v.Scalar = p.u64()
	case ValInt64:
		v.Scalar = int64(p.u64())
	case ValFloat64:
		v.Scalar = math.Float64frombits(p.u64())
	case ValString:
		v.Scalar = p.str(maxStringBytes)
	case ValArray:
		if depth >= maxArrayNest {
			p.fail("arrays nested too deeply")
			return v
		}
		v.Elem = ValueType(p.u32())
		v.Len = p.u64()
		if p.err != nil {
			return v
		}
		if sz, ok := v.Elem.fixedSize(); ok {
			if v.Len > uint64(p.size-p.off)/uint64(sz) {
				p.fail("array of %d values runs past the end of the file", v.Len)
				return v
			}
			if v.Len > maxKeptArray {
				p.skip(int64(v.Len) * int64(sz))
				return v
			}
		} else if v.Elem != ValString && v.Elem != ValArray {
			p.fail("array of unknown value type %d", v.Elem)
			return v
		} else if v.Len > uint64(p.size-p.off)/8 {
			// Every string or array element takes at least 8 bytes of length.
			p.fail("array of %d values runs past the end of the file", v.Len)
			return v
		}
		keep := v.Len <= maxKeptArray
		for i := uint64(0); i < v.Len && p.err == nil; i++ {
			item := p.value(v.Elem, depth+1)
			if keep {
				v.Items = append(v.Items, item.Scalar)
			}
		}
	default:
		p.fail("unknown value type %d", vt)
	}
	return v
}
