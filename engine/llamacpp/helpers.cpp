//go:build cgo

#include "helpers.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" void cmdrLog(int level, char *text);

static void log_cb(enum ggml_log_level level, const char *text, void *) {
    cmdrLog((int)level, (char *)text);
}

extern "C" void cmdr_log_init(void) { llama_log_set(log_cb, nullptr); }

// How many of the best candidates the grammar checks before it falls back
// to the whole vocabulary. A grammar pass over Qwen's 152k tokens costs
// about 24 ms; over 64 it is well under a millisecond.
static const int32_t GRAMMAR_TOPK = 64;

struct cmdr_sampler {
    struct llama_sampler *chain = nullptr;
    struct llama_sampler *grammar = nullptr;
    struct llama_sampler *topk = nullptr;
    std::vector<llama_token_data> cur;
    int64_t checked = 0, rejected = 0, full = 0;
};

extern "C" cmdr_sampler *cmdr_sampler_new(const struct llama_model *model, const char *grammar,
                                          float temp, int32_t top_k, float top_p, uint32_t seed) {
    try {
        const struct llama_vocab *vocab = llama_model_get_vocab(model);
        auto *s = new cmdr_sampler();
        s->cur.resize(llama_vocab_n_tokens(vocab));
        s->chain = llama_sampler_chain_init(llama_sampler_chain_default_params());
        if (temp <= 0.0f) {
            llama_sampler_chain_add(s->chain, llama_sampler_init_greedy());
        } else {
            if (top_k > 0) llama_sampler_chain_add(s->chain, llama_sampler_init_top_k(top_k));
            if (top_p > 0.0f && top_p < 1.0f) llama_sampler_chain_add(s->chain, llama_sampler_init_top_p(top_p, 1));
            llama_sampler_chain_add(s->chain, llama_sampler_init_temp(temp));
            llama_sampler_chain_add(s->chain, llama_sampler_init_dist(seed));
        }
        if (grammar && grammar[0]) {
            s->grammar = llama_sampler_init_grammar(vocab, grammar, "root");
            if (!s->grammar) {
                cmdr_sampler_free(s);
                return nullptr;
            }
            s->topk = llama_sampler_init_top_k(GRAMMAR_TOPK);
        }
        return s;
    } catch (...) {
        return nullptr;
    }
}

extern "C" void cmdr_sampler_free(cmdr_sampler *s) {
    if (!s) return;
    if (s->chain) llama_sampler_free(s->chain);
    if (s->grammar) llama_sampler_free(s->grammar);
    if (s->topk) llama_sampler_free(s->topk);
    delete s;
}

static llama_token_data_array fill(cmdr_sampler *s, const float *logits) {
    const int32_t n = (int32_t)s->cur.size();
    for (int32_t i = 0; i < n; i++) s->cur[i] = llama_token_data{i, logits[i], 0.0f};
    return llama_token_data_array{s->cur.data(), (size_t)n, -1, false};
}

static void drop_rejected(llama_token_data_array *a) {
    size_t j = 0;
    for (size_t i = 0; i < a->size; i++) {
        if (std::isfinite(a->data[i].logit)) a->data[j++] = a->data[i];
    }
    a->size = j;
}

extern "C" llama_token cmdr_sampler_sample(cmdr_sampler *s, struct llama_context *ctx, int32_t idx) {
    try {
        const float *logits = llama_get_logits_ith(ctx, idx);
        if (!logits) return -1;
        llama_token_data_array arr = fill(s, logits);
        llama_sampler_apply(s->chain, &arr);
        llama_token id = arr.data[arr.selected].id;
        if (s->grammar) {
            // Most sampled tokens already fit the grammar: check just that
            // one, then the best few, and only then the whole vocabulary.
            s->checked++;
            llama_token_data one{id, 1.0f, 0.0f};
            llama_token_data_array oa{&one, 1, -1, false};
            llama_sampler_apply(s->grammar, &oa);
            if (!std::isfinite(one.logit)) {
                s->rejected++;
                arr = fill(s, logits);
                llama_sampler_apply(s->topk, &arr);
                llama_sampler_apply(s->grammar, &arr);
                drop_rejected(&arr);
                if (arr.size == 0) {
                    s->full++;
                    arr = fill(s, logits);
                    llama_sampler_apply(s->grammar, &arr);
                    drop_rejected(&arr);
                    if (arr.size == 0) return -1;
                }
                arr.selected = -1;
                llama_sampler_apply(s->chain, &arr);
                id = arr.data[arr.selected].id;
            }
            // Accepting an end-of-generation token into an unfinished
            // grammar aborts; the grammar pass above only lets one through
            // when the grammar is complete, and generation ends there.
            if (!llama_vocab_is_eog(llama_model_get_vocab(llama_get_model(ctx)), id)) {
                llama_sampler_accept(s->grammar, id);
            }
        }
        llama_sampler_accept(s->chain, id);
        return id;
    } catch (...) {
        return -1;
    }
}

extern "C" void cmdr_sampler_stats(const cmdr_sampler *s, int64_t *checked, int64_t *rejected, int64_t *full) {
    *checked = s->checked;
    *rejected = s->rejected;
    *full = s->full;
}

extern "C" int32_t cmdr_decode(struct llama_context *ctx, struct llama_batch *batch,
                               const llama_token *toks, int32_t n, int32_t pos0, bool all) {
    batch->n_tokens = n;
    for (int32_t i = 0; i < n; i++) {
        batch->token[i] = toks[i];
        batch->pos[i] = pos0 + i;
        batch->n_seq_id[i] = 1;
        batch->seq_id[i][0] = 0;
        batch->logits[i] = all || (i == n - 1);
    }
    try {
        return llama_decode(ctx, *batch);
    } catch (...) {
        return -100;
    }
}

extern "C" size_t cmdr_state_save(struct llama_context *ctx, const char *path, const llama_token *toks, size_t n) {
    try {
        return llama_state_seq_save_file(ctx, path, 0, toks, n);
    } catch (...) {
        return 0;
    }
}

extern "C" size_t cmdr_state_load(struct llama_context *ctx, const char *path, llama_token *toks, size_t cap, size_t *n) {
    try {
        llama_memory_clear(llama_get_memory(ctx), true);
        return llama_state_seq_load_file(ctx, path, 0, toks, cap, n);
    } catch (...) {
        return 0;
    }
}

extern "C" size_t cmdr_seq_size(struct llama_context *ctx) {
    try {
        return llama_state_seq_get_size(ctx, 0);
    } catch (...) {
        return 0;
    }
}

extern "C" size_t cmdr_seq_get(struct llama_context *ctx, uint8_t *dst, size_t size) {
    try {
        return llama_state_seq_get_data(ctx, dst, size, 0);
    } catch (...) {
        return 0;
    }
}

extern "C" size_t cmdr_seq_set(struct llama_context *ctx, const uint8_t *src, size_t size) {
    try {
        llama_memory_seq_rm(llama_get_memory(ctx), 0, -1, -1);
        return llama_state_seq_set_data(ctx, src, size, 0);
    } catch (...) {
        return 0;
    }
}

static bool abort_cb(void *data) { return __atomic_load_n((int *)data, __ATOMIC_RELAXED) != 0; }

extern "C" int *cmdr_abort_flag_new(void) { return (int *)calloc(1, sizeof(int)); }
extern "C" void cmdr_abort_flag_set(int *flag, int v) { __atomic_store_n(flag, v, __ATOMIC_RELAXED); }
extern "C" void cmdr_set_abort(struct llama_context *ctx, int *flag) { llama_set_abort_callback(ctx, abort_cb, flag); }

extern "C" struct llama_model *cmdr_model_load(const char *path, struct llama_model_params params) {
    try {
        return llama_model_load_from_file(path, params);
    } catch (...) {
        return nullptr;
    }
}

extern "C" struct llama_context *cmdr_context_new(struct llama_model *model, struct llama_context_params params) {
    try {
        return llama_init_from_model(model, params);
    } catch (...) {
        return nullptr;
    }
}

extern "C" const char *cmdr_build_features(void) {
    return ""
#ifdef __AVX__
           " avx"
#endif
#ifdef __AVX2__
           " avx2"
#endif
#ifdef __FMA__
           " fma"
#endif
#ifdef __F16C__
           " f16c"
#endif
#ifdef __AVX512F__
           " avx512f"
#endif
#ifdef __AVX512BW__
           " avx512bw"
#endif
#ifdef __AVX512VNNI__
           " avx512vnni"
#endif
#ifdef __AVXVNNI__
           " avxvnni"
#endif
#ifdef __ARM_NEON
           " neon"
#endif
        ;
}

extern "C" bool cmdr_build_repack(void) {
#ifdef GGML_USE_CPU_REPACK
    return true;
#else
    return false;
#endif
}

extern "C" uint32_t cmdr_quantize(const char *in, const char *out, int32_t ftype, int32_t nthread) {
    try {
        llama_model_quantize_params p = llama_model_quantize_default_params();
        p.ftype = (enum llama_ftype)ftype;
        p.nthread = nthread;
        return llama_model_quantize(in, out, &p);
    } catch (...) {
        return 1;
    }
}
