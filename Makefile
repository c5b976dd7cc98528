# cmdr build. `make help` lists the targets.
#
# Build flags decide speed: ggml's CPU code compiled without -march is
# SSE2-only and ran 8x slower (decode) to 23x slower (first token) here. So
# every target below compiles the C and C++ code with -O3 and the native
# CPU's instruction set; PORTABLE=1 targets x86-64-v3 (AVX2/FMA/F16C) for
# packages that must run on other machines.

SHELL := /bin/bash
GO ?= go
PREFIX ?= $(HOME)/.local
BIN := bin
PKG := github.com/cmdr-sh/cmdr

# llama.cpp and ggml come from the ollama module (see engine/llamacpp).
OLLAMA_MOD := github.com/ollama/ollama
OLLAMA_DIR := $(shell $(GO) mod download $(OLLAMA_MOD) >/dev/null 2>&1; $(GO) list -m -f '{{.Dir}}' $(OLLAMA_MOD) 2>/dev/null)

ARCH := $(shell uname -m)
ifeq ($(PORTABLE),1)
  TARGET := portable
  ifeq ($(ARCH),x86_64)
    MARCH := -march=x86-64-v3
  else
    MARCH := -march=armv8.2-a
  endif
else
  TARGET := native
  MARCH := -march=native
endif

# -Wno-stringop-overflow: a known false positive in ggml's repack.cpp.
export CGO_ENABLED := 1
export CGO_CPPFLAGS := -I$(OLLAMA_DIR)/llama/llama.cpp/include -I$(OLLAMA_DIR)/ml/backend/ggml/ggml/include -DGGML_USE_CPU_REPACK
export CGO_CFLAGS := -O3 $(MARCH)
export CGO_CXXFLAGS := -O3 $(MARCH) -Wno-stringop-overflow

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X $(PKG)/internal/buildinfo.Version=$(VERSION) -X $(PKG)/internal/buildinfo.Target=$(TARGET)
# Every new shell runs `cmdr init`, so start-up time counts: linking the C++
# runtime statically spares the dynamic loader ~2.5 ms a start here (and
# makes the binary independent of the host's libstdc++ version).
GOFLAGS_BUILD := -trimpath -ldflags '$(LDFLAGS) -extldflags "-static-libstdc++ -static-libgcc"'

TESTDATA := $(CURDIR)/.cache/models
FUZZTIME ?= 10s
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: soak fuzz man bench-bins bench-portable-bin env demo all build test test-race lint bench models install uninstall clean help nocgo check-ollama

all: build

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'
	@echo "  variables: PORTABLE=1 (x86-64-v3 build), PREFIX=$(PREFIX), FUZZTIME=$(FUZZTIME)"

check-ollama:
	@test -n "$(OLLAMA_DIR)" -a -f "$(OLLAMA_DIR)/llama/llama.cpp/include/llama.h" || \
	  { echo "cmdr: cannot find llama.h in the $(OLLAMA_MOD) module; is the Go module proxy reachable?" >&2; exit 1; }

build: check-ollama ## build bin/cmdr and bin/mkmodel (native CPU flags)
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/cmdr ./cmd/cmdr
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/mkmodel ./cmd/mkmodel

demo: build ## build, generate a tiny random model, and ask cmdr for a command
	@mkdir -p $(TESTDATA)
	@[ -f $(TESTDATA)/tiny.gguf ] || $(BIN)/mkmodel -o $(TESTDATA)/tiny.gguf -shape tiny
	@# --no-agent: a demo must not leave an agent running on the tiny model.
	CMDR_ENGINE=llamacpp CMDR_MODEL=$(TESTDATA)/tiny.gguf $(BIN)/cmdr suggest --no-agent -- "list all files"
	@echo "(a random-weight model answers gibberish; see README for real models)"

nocgo: ## build bin/cmdr-nocgo without cgo (OpenAI-compatible backend only)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/cmdr-nocgo ./cmd/cmdr

FISH4 := $(CURDIR)/.cache/trixie/usr/bin
BLESH := $(CURDIR)/.cache/trixie/usr/share/blesh/ble.sh

test: build ## run all tests (builds first; real llama.cpp, shells and sockets)
	@# -p 1: llama.cpp's threads spin-wait at barriers, so two test
	@# processes decoding at once on a 2-core machine slow each other down
	@# by orders of magnitude.
	CMDR_TEST_BIN=$(CURDIR)/$(BIN) $(GO) test -trimpath -p 1 -count=1 -timeout 20m ./...
	@# fish 4 reads a paste without a key binding, where fish 3 (Debian's)
	@# has one: the fish tests again with a fish 4 when .ci/trixie.sh has
	@# put one in .cache/trixie (.ci/run does).
	@if [ -x $(FISH4)/fish ]; then \
	  echo "the fish tests again with $$($(FISH4)/fish --version)"; \
	  PATH=$(FISH4):$$PATH CMDR_TEST_FISH_MAJOR=4 CMDR_TEST_BIN=$(CURDIR)/$(BIN) \
	    $(GO) test -trimpath -count=1 -timeout 10m -run '/fish$$' ./shell/; \
	else echo "no fish 4 in .cache/trixie (bash .ci/trixie.sh fetches one): the fish tests ran with $$(fish --version 2>&1)"; fi
	@# ble.sh takes bash's line editing over from readline: the bash tests
	@# again under it, when .ci/trixie.sh has put it in .cache/trixie.
	@if [ -f $(BLESH) ]; then \
	  echo "the bash tests again under $$(bash $(BLESH) --version | head -n 1)"; \
	  CMDR_TEST_BLESH=$(BLESH) CMDR_TEST_BIN=$(CURDIR)/$(BIN) \
	    $(GO) test -trimpath -count=1 -timeout 10m ./shell/; \
	else echo "no ble.sh in .cache/trixie (bash .ci/trixie.sh fetches it): the bash tests ran with readline only"; fi
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/cmdr
	CGO_ENABLED=0 $(GO) test -count=1 ./engine/ ./engine/openai/ ./gguf/

test-race: build ## run the tests of every package but the tmux-driven shell tests under the race detector
	CMDR_TEST_BIN=$(CURDIR)/$(BIN) $(GO) test -race -p 1 -count=1 -timeout 20m $$($(GO) list ./... | grep -v '/shell$$')

soak: build ## hold the agent under load (20 clients x 200 requests) and write docs/SOAK.md
	@mkdir -p $(TESTDATA)
	@[ -f $(TESTDATA)/tiny.gguf ] || $(BIN)/mkmodel -o $(TESTDATA)/tiny.gguf -shape tiny
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/soak ./bench/soak
	$(BIN)/soak -cmdr $(BIN)/cmdr -tiny $(TESTDATA)/tiny.gguf

fuzz: check-ollama ## run every fuzz target for FUZZTIME each (make fuzz FUZZTIME=1m)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$($(GO) list -f '{{range .TestGoFiles}}{{$$.Dir}}/{{.}} {{end}}{{range .XTestGoFiles}}{{$$.Dir}}/{{.}} {{end}}' $$pkg) /dev/null | sed 's/func //'); do \
	    echo "fuzz: $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

lint: check-ollama ## gofmt, go vet, staticcheck, shellcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@if command -v shellcheck >/dev/null; then shellcheck install.sh .ci/run .ci/trixie.sh .ci/prompts.sh $(wildcard bench/*.sh shell/*.sh); fi

# The benchmark models take a trained tokenizer's vocabulary (Llama 3.2's,
# test data of the ollama module), so that prompts are as many tokens as a
# real model makes of them; models generated before with another
# vocabulary (VOCAB names it) are made again.
BENCH_BPE := $(OLLAMA_DIR)/tokenizer/testdata/llama3.2
BENCH_VOCAB := bpe-llama3.2

models: build ## generate the benchmark models into .cache/models
	@mkdir -p $(TESTDATA)
	@[ -f $(TESTDATA)/tiny.gguf ] || $(BIN)/mkmodel -o $(TESTDATA)/tiny.gguf -shape tiny
	@if [ "$$(cat $(TESTDATA)/VOCAB 2>/dev/null)" != $(BENCH_VOCAB) ]; then \
	  rm -f $(TESTDATA)/0.5b-*.gguf $(TESTDATA)/1.5b-*.gguf; echo $(BENCH_VOCAB) >$(TESTDATA)/VOCAB; fi
	@for s in 0.5b 1.5b; do for q in q4_k_m q8_0 q4_0; do f=$(TESTDATA)/$$s-$$q.gguf; \
	  [ -f $$f ] || { echo "generating $$f"; $(BIN)/mkmodel -o $$f -shape $$s -quant $$q -seed 1 -bpe $(BENCH_BPE) || exit 1; }; done; done

bench: build models ## run the benchmarks; writes bench/results.json and docs/BENCHMARKS.md
	CMDR_BENCH_MODELS=$(TESTDATA) bash bench/run.sh

bench-bins: check-ollama
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/enginebench ./bench/enginebench
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/agentbench ./bench/agentbench
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/shellbench ./bench/shellbench
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/qualitybench ./bench/qualitybench
	$(MAKE) --no-print-directory PORTABLE=1 bench-portable-bin

bench-portable-bin: check-ollama
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/enginebench-portable ./bench/enginebench

install: build ## install cmdr into $(PREFIX)/bin and its manual into $(PREFIX)/share/man/man1
	install -d $(PREFIX)/bin $(PREFIX)/share/man/man1
	install -m 0755 $(BIN)/cmdr $(PREFIX)/bin/cmdr
	install -m 0644 docs/cmdr.1 $(PREFIX)/share/man/man1/cmdr.1

uninstall: ## remove $(PREFIX)/bin/cmdr and its manual
	rm -f $(PREFIX)/bin/cmdr $(PREFIX)/share/man/man1/cmdr.1

man: build ## regenerate docs/cmdr.1 from the commands' help texts
	$(BIN)/cmdr help --man > docs/cmdr.1

clean: ## remove build outputs and generated models
	rm -rf $(BIN) .cache

# `eval "$(make -s env)"` gives a shell the same cgo flags, for running
# single tests with plain `go test`.
env:
	@echo "export CGO_ENABLED=1 CGO_CPPFLAGS='$(CGO_CPPFLAGS)' CGO_CFLAGS='$(CGO_CFLAGS)' CGO_CXXFLAGS='$(CGO_CXXFLAGS)'"
