#!/usr/bin/env bash
# `make bench`: measures cmdr on generated models and writes
# bench/results.json and docs/BENCHMARKS.md. It takes several minutes and
# prints progress. Run it on an otherwise idle machine: the figures are
# CPU-bound and a concurrent build halves them.
set -euo pipefail
cd "$(dirname "$0")/.."

models=${CMDR_BENCH_MODELS:-.cache/models}
runs=${BENCH_RUNS:-5}
mkdir -p bench/out
raw=bench/out/engine.jsonl
: >"$raw"

echo "bench: building the native and portable (x86-64-v3) benchmark binaries"
make -s bench-bins

echo "bench: engine, native build"
bin/enginebench -models "$models" -threads 1,2 -runs "$runs" -build native -out "$raw"
echo "bench: engine, portable build"
bin/enginebench-portable -models "$models" -threads 1,2 -runs "$runs" -build portable -out "$raw"
echo "bench: engine, runtime settings (KV cache type, batch, mlock, flash attention)"
bin/enginebench -levers "$models/0.5b-q4_k_m.gguf" -runs "$runs" -build native -out "$raw"
echo "bench: engine, 1.5B with the 0.5B as its draft model"
bin/enginebench -levers "$models/1.5b-q4_k_m.gguf" -draft "$models/0.5b-q4_k_m.gguf" -runs "$runs" -build native -out "$raw"

# Ollama, built from its module with the same compiler flags, serves the
# same model for the side-by-side figures; without its build headers they
# are skipped.
ollama=''
echo "bench: building Ollama for the side-by-side figures (bench/ollama.sh)"
if out=$(bash bench/ollama.sh 2>bench/out/ollama-build.log); then
	ollama=$out
else
	echo "bench: Ollama not built (bench/out/ollama-build.log); side-by-side figures skipped"
fi

echo "bench: agent"
bin/agentbench -cmdr bin/cmdr -model "$models/0.5b-q4_k_m.gguf" -tiny "$models/tiny.gguf" -runs "$runs" -out "$raw" ${ollama:+-ollama "$ollama"}

echo "bench: shell integration"
bin/shellbench -cmdr bin/cmdr -runs 20 -models "$models" -out "$raw"

# The public dev set lives beside the project in the workspace (../shared);
# a user's clone has none, and then this part is skipped.
dev=${CMDR_BENCH_DEVSET:-../shared/bench/nl2cmd-dev.jsonl}
if [[ -f $dev ]]; then
	echo "bench: translation quality on $dev"
	tldr=$(dirname "$dev")/tldr-common-linux.jsonl
	[[ -f $tldr ]] || tldr=''
	explainset=$(dirname "$dev")/explain-dev.jsonl
	[[ -f $explainset ]] || explainset=''
	bin/qualitybench -dataset "$dev" -tldr "$tldr" -explain "$explainset" -cmdr bin/cmdr -models "$models" -runs "$runs" -out "$raw"
else
	echo "bench: $dev not found; quality figures skipped"
fi

bin/enginebench -render "$raw" -template bench/BENCHMARKS.tmpl.md -md docs/BENCHMARKS.md -json bench/results.json
echo "bench: wrote bench/results.json and docs/BENCHMARKS.md"
