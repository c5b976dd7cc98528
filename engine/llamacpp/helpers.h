// Small C layer between Go and llama.cpp: the per-token hot path (sampling,
// batch filling) stays in C so a token costs one cgo call, and every call
// that can throw a C++ exception is caught here, since an exception that
// reaches Go's stack aborts the process.
#ifndef CMDR_HELPERS_H
#define CMDR_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include "llama.h"

#ifdef __cplusplus
extern "C" {
#endif

void cmdr_log_init(void);

typedef struct cmdr_sampler cmdr_sampler;

// cmdr_sampler_new returns NULL when the grammar does not parse.
cmdr_sampler *cmdr_sampler_new(const struct llama_model *model, const char *grammar,
                               float temp, int32_t top_k, float top_p, uint32_t seed);
void cmdr_sampler_free(cmdr_sampler *s);
// cmdr_sampler_sample returns the next token, or -1 when the grammar
// allows no token at all (a grammar that cannot be completed).
llama_token cmdr_sampler_sample(cmdr_sampler *s, struct llama_context *ctx, int32_t idx);
// cmdr_sampler_stats reports how often the cheap grammar check failed and
// how often the full-vocabulary pass was needed.
void cmdr_sampler_stats(const cmdr_sampler *s, int64_t *checked, int64_t *rejected, int64_t *full);

// cmdr_state_save writes sequence 0's KV state and its tokens to path;
// cmdr_state_load reads one back into sequence 0 (cleared first). Both
// return 0 on failure, exceptions included.
size_t cmdr_state_save(struct llama_context *ctx, const char *path, const llama_token *toks, size_t n);
size_t cmdr_state_load(struct llama_context *ctx, const char *path, llama_token *toks, size_t cap, size_t *n);

// cmdr_seq_size, cmdr_seq_get and cmdr_seq_set copy sequence 0's KV state
// to and from memory; cmdr_seq_set clears the sequence first. They return
// the bytes copied, 0 on failure.
size_t cmdr_seq_size(struct llama_context *ctx);
size_t cmdr_seq_get(struct llama_context *ctx, uint8_t *dst, size_t size);
size_t cmdr_seq_set(struct llama_context *ctx, const uint8_t *src, size_t size);

// cmdr_decode evaluates n tokens at positions pos0.. in sequence 0,
// requesting logits for the last one only, or for every one when all is
// set (to verify drafted tokens). Returns llama_decode's code, or -100
// when llama.cpp threw.
int32_t cmdr_decode(struct llama_context *ctx, struct llama_batch *batch,
                    const llama_token *toks, int32_t n, int32_t pos0, bool all);

// Abort flags let a Go goroutine stop a running llama_decode between graph
// nodes, so cancelling a long prompt does not wait for it to finish.
int *cmdr_abort_flag_new(void);
void cmdr_abort_flag_set(int *flag, int v);
void cmdr_set_abort(struct llama_context *ctx, int *flag);

struct llama_model *cmdr_model_load(const char *path, struct llama_model_params params);
struct llama_context *cmdr_context_new(struct llama_model *model, struct llama_context_params params);

// cmdr_build_features lists the CPU features the ggml CPU code was compiled
// for, from the compiler's own macros.
const char *cmdr_build_features(void);
// cmdr_build_repack reports whether ggml was built with weight repacking.
bool cmdr_build_repack(void);

// cmdr_quantize runs llama.cpp's own quantizer; 0 means success.
uint32_t cmdr_quantize(const char *in, const char *out, int32_t ftype, int32_t nthread);

#ifdef __cplusplus
}
#endif
#endif
