#!/usr/bin/env bash
# Benchmark: artifact hashing (BuildTrust's ArtifactHasher, the code compare/sign/audit use) against
# `openssl dgst -sha256`, in the same run on the same files.
#   1. one 1 GiB file: throughput ratio, target >= 90% of openssl;
#   2. a release of many files (FILES files of SIZE_KIB KiB, 1 GiB by default): BuildTrust hashes files on
#      every core; openssl is measured as one process over all files (what a script would run) and,
#      for reference, as `xargs -P <cores>` runs.
# Our figure is the hashing time measured inside the process (start-up excluded: throughput is compared);
# openssl's is wall time (its start-up is a few milliseconds). Median of RUNS (default 5).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/hashing"
RUNS="${RUNS:-5}"
FILES="${FILES:-2048}"
SIZE_KIB="${SIZE_KIB:-512}"
CORES="$(nproc)"
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

dotnet build "$ROOT/bench/HashThroughput" -c Release -nologo -v:quiet >&2
HASHER=(dotnet "$ROOT/bench/HashThroughput/bin/Release/net10.0/HashThroughput.dll")

if [ ! -f "$OUT/big.bin" ]; then
  log "writing a 1 GiB file"
  head -c $((1 << 30)) /dev/urandom > "$OUT/big.bin"
fi
if [ ! -f "$OUT/release/.complete" ]; then
  log "writing $FILES files of $SIZE_KIB KiB"
  rm -rf "$OUT/release" && mkdir -p "$OUT/release"
  for i in $(seq "$FILES"); do head -c $((SIZE_KIB * 1024)) /dev/urandom > "$OUT/release/file-$i.bin"; done
  touch "$OUT/release/.complete"
fi
cat "$OUT/big.bin" "$OUT/release"/* > /dev/null   # warm the page cache for both tools alike

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
ours() { "${HASHER[@]}" "$@" 2>&1 >/dev/null | tail -n 1; }

# Same digest first: a benchmark of a wrong answer is worthless.
[ "$("${HASHER[@]}" file "$OUT/big.bin" 2>/dev/null)" = "$(openssl dgst -sha256 -r "$OUT/big.bin" | cut -d' ' -f1)" ] \
  || { echo "error: digests differ" >&2; exit 1; }

big_ours=$(for _ in $(seq "$RUNS"); do ours file "$OUT/big.bin"; done | median)
big_openssl=$(for _ in $(seq "$RUNS"); do wall openssl dgst -sha256 "$OUT/big.bin"; done | median)
tree_ours=$(for _ in $(seq "$RUNS"); do ours tree "$OUT/release"; done | median)
tree_openssl=$(for _ in $(seq "$RUNS"); do wall sh -c "find '$OUT/release' -type f -name '*.bin' -print0 | xargs -0 openssl dgst -sha256"; done | median)
tree_openssl_parallel=$(for _ in $(seq "$RUNS"); do wall sh -c "find '$OUT/release' -type f -name '*.bin' -print0 | xargs -0 -n 64 -P $CORES openssl dgst -sha256"; done | median)

ratio() { echo "scale=3; $1 / $2" | bc -l; }
mib() { echo "scale=0; 1024 / $1" | bc -l; }
printf '\n%-44s %10s %10s %8s\n' "artifact hashing ($CORES cores)" "buildtrust" "openssl" "ratio"
printf '%-44s %9.3fs %9.3fs %7.2fx   (%s vs %s MiB/s; target >= 0.90x)\n' "1 GiB file" "$big_ours" "$big_openssl" "$(ratio "$big_openssl" "$big_ours")" "$(mib "$big_ours")" "$(mib "$big_openssl")"
printf '%-44s %9.3fs %9.3fs %7.2fx\n' "$FILES x $SIZE_KIB KiB, openssl one process" "$tree_ours" "$tree_openssl" "$(ratio "$tree_openssl" "$tree_ours")"
printf '%-44s %9.3fs %9.3fs %7.2fx\n' "$FILES x $SIZE_KIB KiB, openssl xargs -P $CORES" "$tree_ours" "$tree_openssl_parallel" "$(ratio "$tree_openssl_parallel" "$tree_ours")"
