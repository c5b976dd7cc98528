package gguf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Writer builds a GGUF v3 file. Tensor data is produced by callbacks at
// write time, so multi-gigabyte models stream to disk without being held in
// memory.
type Writer struct {
	kv      []KV
	vals    []any
	tensors []wtensor
}

type wtensor struct {
	info TensorInfo
	fill func(w io.Writer) error
}

// AddKV adds a metadata entry. v is one of string, bool, uint16, uint32,
// int32, float32, uint64, []string, []float32 or []int32.
func (w *Writer) AddKV(key string, v any) {
	w.kv = append(w.kv, KV{Key: key})
	w.vals = append(w.vals, v)
}

// AddTensor adds a tensor of the given type and shape (innermost dimension
// first, as ggml orders them). fill must write exactly the tensor's size.
func (w *Writer) AddTensor(name string, typ TensorType, dims []uint64, fill func(w io.Writer) error) error {
	n := uint64(1)
	for _, d := range dims {
		n *= d
	}
	sz, ok := typ.RowSize(n)
	if !ok || dims[0]%typ.BlockSize() != 0 {
		return fmt.Errorf("tensor %s: shape %v does not fit %s blocks", name, dims, typ)
	}
	w.tensors = append(w.tensors, wtensor{TensorInfo{Name: name, Dims: dims, Type: typ, Size: sz}, fill})
	return nil
}

// Split divides the model into n files the way llama.cpp's gguf-split
// does: the first holds all the metadata, each its share of the tensors
// in order, and every one the split keys that llama.cpp checks when it
// loads the others beside the first (SplitPath names them).
func (w *Writer) Split(n int) ([]*Writer, error) {
	if n < 2 || n > len(w.tensors) || n > maxSplits {
		return nil, fmt.Errorf("cannot split %d tensors into %d files", len(w.tensors), n)
	}
	parts := make([]*Writer, n)
	per := (len(w.tensors) + n - 1) / n
	for i := range parts {
		p := &Writer{}
		if i == 0 {
			p.kv = append(p.kv, w.kv...)
			p.vals = append(p.vals, w.vals...)
		}
		p.AddKV(KeySplitNo, uint16(i))
		p.AddKV(KeySplitCount, uint16(n))
		p.AddKV(KeySplitTensors, int32(len(w.tensors)))
		p.tensors = w.tensors[min(i*per, len(w.tensors)):min((i+1)*per, len(w.tensors))]
		parts[i] = p
	}
	return parts, nil
}

// WriteTo writes the file.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	cw := &countWriter{w: bufio.NewWriterSize(out, 1<<20)}
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(cw, le, v) }
	putStr := func(s string) { put(uint64(len(s))); _, _ = io.WriteString(cw, s) }

	cw.Write([]byte(Magic))
	put(uint32(3))
	put(uint64(len(w.tensors)))
	put(uint64(len(w.kv)))
	for i, kv := range w.kv {
		putStr(kv.Key)
		switch v := w.vals[i].(type) {
		case string:
			put(uint32(ValString))
			putStr(v)
		case bool:
			put(uint32(ValBool))
			put(v)
		case uint16:
			put(uint32(ValUint16))
			put(v)
		case uint32:
			put(uint32(ValUint32))
			put(v)
		case int32:
			put(uint32(ValInt32))
			put(v)
		case float32:
			put(uint32(ValFloat32))
			put(math.Float32bits(v))
		case uint64:
			put(uint32(ValUint64))
			put(v)
		case []string:
			put(uint32(ValArray))
			put(uint32(ValString))
			put(uint64(len(v)))
			for _, s := range v {
				putStr(s)
			}
		case []float32:
			put(uint32(ValArray))
			put(uint32(ValFloat32))
			put(uint64(len(v)))
			put(v)
		case []int32:
			put(uint32(ValArray))
			put(uint32(ValInt32))
			put(uint64(len(v)))
			put(v)
		default:
			return cw.n, fmt.Errorf("metadata %s: unsupported value type %T", kv.Key, v)
		}
	}
	var off uint64
	for i := range w.tensors {
		t := &w.tensors[i]
		off = alignUp(off, DefaultAlignment)
		t.info.Offset = off
		off += t.info.Size
		putStr(t.info.Name)
		put(uint32(len(t.info.Dims)))
		for _, d := range t.info.Dims {
			put(d)
		}
		put(uint32(t.info.Type))
		put(t.info.Offset)
	}
	pad := func() { cw.Write(make([]byte, alignUp(uint64(cw.n), DefaultAlignment)-uint64(cw.n))) }
	pad()
	for _, t := range w.tensors {
		start := cw.n
		if err := t.fill(cw); err != nil {
			return cw.n, fmt.Errorf("tensor %s: %w", t.info.Name, err)
		}
		if got := uint64(cw.n - start); got != t.info.Size {
			return cw.n, fmt.Errorf("tensor %s: wrote %d bytes, want %d", t.info.Name, got, t.info.Size)
		}
		pad()
	}
	if cw.err != nil {
		return cw.n, cw.err
	}
	return cw.n, cw.w.Flush()
}

// countWriter counts bytes and remembers the first error so the header code
// above can stay free of error plumbing on every field.
type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}
