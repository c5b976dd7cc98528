#!/usr/bin/env bash
# Engine figures pinned to 2, 4 and 8 physical cores, for the default-model
# table in docs/BENCHMARKS.md ("Default model per core count"). It needs a
# machine with 8 or more physical cores, so `make bench` (run on the 2-core
# development VM) does not call it; run it by hand there:
#
#   make build bench-bins && bash bench/cores.sh
#
# or copy bin/enginebench and bin/mkmodel (PORTABLE=1 builds when the
# machine's CPU differs from the build machine's) and point ENGINEBENCH and
# MKMODEL at them (and BPE at a copy of the ollama module's
# tokenizer/testdata/llama3.2, the vocabulary `make models` gives the
# benchmark models; without it they get mkmodel's generated one, whose
# prompts run ~1.6x as many tokens). Models are generated under $MODELS
# (about 4 GB, and 6 GB more while the 3B one is written), not in
# .cache/models, where make bench would measure the 3B model at every
# setting too. Each figure is appended to $OUT as it is measured, and
# steps that would overrun BUDGET seconds are skipped, so a run on
# borrowed time still reports what it finished.
set -u
T0=$SECONDS
cd "$(dirname "$0")/.." || exit
budget=${BUDGET:-1800}
out=${OUT:-bench/out/cores}
runs=${RUNS:-3}
m=${MODELS:-.cache/cores}
enginebench=${ENGINEBENCH:-bin/enginebench}
mkmodel=${MKMODEL:-bin/mkmodel}
bpe=${BPE:-$(go list -m -f '{{.Dir}}' github.com/ollama/ollama 2>/dev/null)/tokenizer/testdata/llama3.2}
mkdir -p "$out" "$m"
log() { echo "[$((SECONDS - T0))s] $*" | tee -a "$out/log.txt"; }

{
	grep -m1 'model name' /proc/cpuinfo
	nproc
	free -g | head -2
	lscpu | grep -E 'Thread|Core|Socket|NUMA|L3|MHz'
	grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^avx' | tr '\n' ' '
	echo
} >"$out/machine.txt" 2>&1
cat "$out/machine.txt"

# One logical CPU per physical core: hyperthread siblings share a core's
# execution units, so pinning to both would not model a machine of N cores.
mapfile -t cpus < <(lscpu -p=CPU,CORE,SOCKET | grep -v '^#' | awk -F, '!seen[$2 "," $3]++ {print $1}')
log "physical cores: ${#cpus[@]} (cpus ${cpus[*]})"

gen() { # shape quant
	[[ -f $m/$1-$2.gguf ]] && return
	"$mkmodel" -shape "$1" -quant "$2" -o "$m/$1-$2.gguf" "${vocab[@]}" >>"$out/log.txt" 2>&1 || log "mkmodel $1 $2 failed"
}
vocab=() stamp=generated
if [[ -f $bpe/vocab.bpe ]]; then
	vocab=(-bpe "$bpe") stamp=bpe-llama3.2
else
	log "no tokenizer at $bpe: the models get mkmodel's generated vocabulary"
fi
# Models made with the other vocabulary are made again.
if [[ $(cat "$m/VOCAB" 2>/dev/null) != "$stamp" ]]; then
	rm -f "$m"/*.gguf
	echo "$stamp" >"$m/VOCAB"
fi
log "generating models into $m"
gen 0.5b q4_k_m &
gen 1.5b q4_k_m &
gen 1.5b q4_0 &
gen 3b q4_k_m &
wait

# bench MODEL CORES COST: COST is a guess at its seconds on a server core,
# so a step that cannot finish inside the budget is skipped rather than cut
# in the middle of a figure.
bench() {
	local model=$1 n=$2 cost=$3 left mask
	left=$((budget - (SECONDS - T0)))
	if ((left < cost)); then
		log "skip $model at $n cores (${left}s left, needs ~${cost}s)"
		return
	fi
	if ((n > ${#cpus[@]})); then
		log "skip $model at $n cores: only ${#cpus[@]} physical"
		return
	fi
	mask=$(IFS=,; echo "${cpus[*]:0:n}")
	log "$model at $n cores (cpus $mask)"
	timeout "$left" taskset -c "$mask" "$enginebench" -models "$m" -only "$model" -threads "$n" \
		-runs "$runs" -out "$out/cores.jsonl" 2>&1 | tee -a "$out/log.txt"
}

# Most telling first: the two sizes cmdr recommends at every core count,
# then the next size up where it could pay, then the other quantization.
bench 0.5b-q4_k_m 2 30
bench 1.5b-q4_k_m 2 90
bench 0.5b-q4_k_m 4 20
bench 1.5b-q4_k_m 4 55
bench 0.5b-q4_k_m 8 15
bench 1.5b-q4_k_m 8 35
bench 3b-q4_k_m 8 70
bench 3b-q4_k_m 4 110
bench 1.5b-q4_0 4 45
bench 1.5b-q4_0 8 30
log "done: $out/cores.jsonl"
