#!/usr/bin/env bash
# Runs the benchmark suite and collects BenchmarkDotNet's reports in one folder.
#
#   tests/DslOptim.Benchmarks/run.sh                 # the whole suite, default job (long: an hour or more)
#   tests/DslOptim.Benchmarks/run.sh --quick         # the whole suite, quick job (under 10 minutes on 2 idle cores)
#   tests/DslOptim.Benchmarks/run.sh --quick --anyCategories Isotropic    # one group; any BenchmarkDotNet option passes through
#   tests/DslOptim.Benchmarks/run.sh --quick --paired    # then the paired ratios (--paired-steps, --paired-parameter-set, --paired-linear; ~6 min)
#
# Results: $OUT (default bench-results/<UTC time>) gets BenchmarkDotNet's *-report-github.md, *-report.csv and the log,
# plus ratios.md (tests/DslOptim.Benchmarks/ratios.py: kernel/floor, TensorPrimitives/kernel, tiled/kernel, naive/kernel);
# with --paired also paired-steps.md, paired-parameter-set.md, paired-linear.md and paired-tables.md (the ratios the targets are read from:
# docs/performance.md, "Paired ratios").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"

dotnet build "$here/DslOptim.Benchmarks.csproj" -c Release -nologo -v q
# Kernels (methods with loops) compiled optimized at first call, in this process and in any child BenchmarkDotNet
# starts (the project sets the same for itself): see the project file.
export DOTNET_TC_QuickJitForLoops=0
start=$(date +%s)
# Everything unless the caller gives a --filter (category options combine with it: all filters must match).
# --join: one summary (one markdown/CSV table) for all classes instead of one per class.
filter=(--filter '*')
paired=0
args=()
for a in "$@"; do
  [[ "$a" == "--filter" ]] && filter=()
  if [[ "$a" == "--paired" ]]; then paired=1; else args+=("$a"); fi
done
dotnet "$here/bin/Release/net10.0/DslOptim.Benchmarks.dll" "${filter[@]}" --join --artifacts "$out/artifacts" "${args[@]}" 2>&1 | tee "$out/run.log"
end=$(date +%s)
echo "suite took $((end - start)) s" | tee -a "$out/run.log"

cp "$out"/artifacts/results/*.md "$out"/artifacts/results/*.csv "$out"/ 2>/dev/null || true
if command -v python3 >/dev/null; then
  python3 "$here/ratios.py" "$out"/*-report.csv > "$out/ratios.md" && cat "$out/ratios.md"
fi
if [[ $paired == 1 ]]; then
  dotnet "$here/bin/Release/net10.0/DslOptim.Benchmarks.dll" --paired-steps 15 | tee "$out/paired-steps.md"
  dotnet "$here/bin/Release/net10.0/DslOptim.Benchmarks.dll" --paired-parameter-set 40 | tee "$out/paired-parameter-set.md"
  dotnet "$here/bin/Release/net10.0/DslOptim.Benchmarks.dll" --paired-linear 15 | tee "$out/paired-linear.md"
  if command -v python3 >/dev/null; then
    python3 "$here/paired_tables.py" "$out/paired-steps.md" > "$out/paired-tables.md"
  fi
fi
echo "results in $out"
