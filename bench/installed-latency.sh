#!/usr/bin/env bash
# Benchmark: the pull-request gate's latency with the tool as users install it (dotnet pack + dotnet tool install
# --tool-path), against `git verify-commit` over the same commits, in the same run.
#
#   bench/installed-latency.sh              1 and 10 commits, each with one approval note, from a trust root
#   SIZES="1 5 10" RUNS=21 bench/installed-latency.sh
#   BUILDTRUST=/path/to/buildtrust bench/installed-latency.sh   measures that executable instead of packing and installing
#
# The repository: a trust root adopting a policy (two maintainers, reviews: 1, require: signed), then N commits signed
# by git itself (gpg.format=ssh, an Ed25519 key) and approved with ssh-keygen -Y sign in refs/notes/buildtrust-reviews.
# buildtrust runs `verify-commits --trust-root ROOT ROOT..HEAD` (every commit: signature, review note, policy history);
# git runs `git verify-commit` once over the same N commits (its signatures only, no reviews, no policy).
# Each measurement is the median of RUNS runs, the two tools interleaved; process start-up is included in both.
# Target (issue 16): <= 60 ms for 1-10 commits with one approval note each.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/installed-latency"
SIZES="${SIZES:-1 10}"
RUNS="${RUNS:-11}"
rm -rf "$OUT" && mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

if [ -z "${BUILDTRUST:-}" ]; then
  source "$ROOT/bench/install-tool.sh"
  BUILDTRUST="$(install_tool "$OUT/tool")"
fi
echo "measuring: $BUILDTRUST"

ssh-keygen -q -t ed25519 -N '' -C alice -f "$OUT/alice"
ssh-keygen -q -t ed25519 -N '' -C bob -f "$OUT/bob"
printf 'alice@example.org %s\nbob@example.org %s\n' "$(cat "$OUT/alice.pub")" "$(cat "$OUT/bob.pub")" > "$OUT/allowed_signers"

repository() { # N -> directory with repo/ and trust-root
  local n="$1" dir="$OUT/repo-$1"
  git init -q -b main "$dir/repo"
  local g=(git -C "$dir/repo" -c user.name=Alice -c user.email=alice@example.org -c gpg.format=ssh -c "user.signingkey=$OUT/alice")
  mkdir -p "$dir/repo/policies"
  cat > "$dir/repo/policies/release.yaml" <<YAML
version: 1
maintainers:
  - id: alice
    roles: [author, reviewer, policy-admin]
    keys:
      - ssh: "$(cat "$OUT/alice.pub")"
  - id: bob
    roles: [author, reviewer, policy-admin]
    keys:
      - ssh: "$(cat "$OUT/bob.pub")"
commits:
  require: signed
  reviews: 1
  policy-changes: 1
YAML
  "${g[@]}" add policies && "${g[@]}" commit -q -S -m "Adopt BuildTrust"
  "${g[@]}" rev-parse HEAD > "$dir/trust-root"
  for i in $(seq "$n"); do
    echo "$i" > "$dir/repo/file$i" && "${g[@]}" add "file$i" && "${g[@]}" commit -q -S -m "change $i"
    local id; id="$("${g[@]}" rev-parse HEAD)"
    printf 'buildtrust-review v1 approve %s\n' "$id" | ssh-keygen -q -Y sign -n buildtrust-review -f "$OUT/bob" > "$dir/approval.sig"
    "${g[@]}" notes --ref=refs/notes/buildtrust-reviews add -F "$dir/approval.sig" "$id"
  done
  git -C "$dir/repo" repack -adq
  echo "$dir"
}

# median_ms CMD... -> median wall time of RUNS runs in milliseconds (the caller interleaves)
once_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "error: $* failed" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }

echo "installed-tool latency, $(date -u +%Y-%m-%d), $(nproc) cores; median of $RUNS interleaved runs, process start-up included"
for n in $SIZES; do
  dir="$(repository "$n")"
  root="$(cat "$dir/trust-root")"
  commits=$(git -C "$dir/repo" rev-list "$root..HEAD")
  "$BUILDTRUST" verify-commits --repo "$dir/repo" --trust-root "$root" "$root..HEAD" >/dev/null 2>&1 || { echo "error: buildtrust did not pass the benchmark range" >&2; "$BUILDTRUST" verify-commits --repo "$dir/repo" --trust-root "$root" "$root..HEAD"; exit 1; }
  # shellcheck disable=SC2086
  git -C "$dir/repo" -c gpg.ssh.allowedSignersFile="$OUT/allowed_signers" verify-commit $commits 2>/dev/null || { echo "error: git verify-commit refused the benchmark commits" >&2; exit 1; }
  bt=(); gt=()
  for _ in $(seq "$RUNS"); do
    bt+=("$(once_ms "$BUILDTRUST" verify-commits --repo "$dir/repo" --trust-root "$root" "$root..HEAD")")
    # shellcheck disable=SC2086
    gt+=("$(once_ms git -C "$dir/repo" -c gpg.ssh.allowedSignersFile="$OUT/allowed_signers" verify-commit $commits)")
  done
  b="$(printf '%s\n' "${bt[@]}" | median)"; g="$(printf '%s\n' "${gt[@]}" | median)"
  printf '  %2d commit(s), one approval note each: buildtrust (installed) %4d ms [%s..%s]  git verify-commit %4d ms  ratio %s  target <= 60 ms: %s\n' \
    "$n" "$b" "$(printf '%s\n' "${bt[@]}" | sort -n | head -1)" "$(printf '%s\n' "${bt[@]}" | sort -n | tail -1)" "$g" \
    "$(python3 -c "print(f'{$b/$g:.1f}x git')")" "$([ "$b" -le 60 ] && echo MET || echo 'NOT MET')"
done
