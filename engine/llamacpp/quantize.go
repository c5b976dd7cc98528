//go:build cgo

package llamacpp

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// Quantize converts the F16/F32 GGUF at in to quant (a key of
// Quantizations), writing out, with llama.cpp's own quantizer.
func Quantize(in, out, quant string, threads int) error {
	ft, ok := Quantizations[strings.ToLower(quant)]
	if !ok {
		return fmt.Errorf("unknown quantization %q", quant)
	}
	backendInit()
	cin, cout := C.CString(in), C.CString(out)
	defer C.free(unsafe.Pointer(cin))
	defer C.free(unsafe.Pointer(cout))
	takeLastError()
	if rc := C.cmdr_quantize(cin, cout, C.int32_t(ft), C.int32_t(threads)); rc != 0 {
		if e := takeLastError(); e != "" {
			return fmt.Errorf("quantizing %s: %s", in, e)
		}
		return fmt.Errorf("quantizing %s failed", in)
	}
	return nil
}
