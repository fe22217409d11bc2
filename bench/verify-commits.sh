#!/usr/bin/env bash
# Benchmark: `buildtrust verify-commits` against `git log --format=%G?` on the same signed commits.
#
#   bench/verify-commits.sh            10,000 commits (and 100,000 for the memory report)
#   COUNT=2000 LARGE=0 bench/verify-commits.sh
#   HUGE=1 bench/verify-commits.sh     also 1,000,000 commits (issue 16 target: <= 60 s and <= 300 MB)
#   HUGE=1 SMALL=0 LARGE=0 bench/verify-commits.sh   the 1,000,000 commits only
#
# Both tools read the same packed repository. git verifies each SSH signature by running ssh-keygen,
# so it is measured on a slice (SLICE commits, default 300) and compared per commit. buildtrust is
# measured over the whole range, process start-up included, as users install it (dotnet pack + dotnet tool
# install: the Native AOT executable); CLI=readytorun measures a ReadyToRun publish of the JIT build instead.
# Targets: per-commit ratio >= 50 and peak RSS < 300 MB for 10,000 commits (issue 2); with one review
# approval note per commit, verified from a trust root, ratio >= 30 (issue 4); OpenPGP signatures
# (Ed25519 and RSA-3072 keys made by gpg) against git log %G? running gpg, ratio >= 50 (issue 5).
# OPENPGP=0 skips the OpenPGP variants.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
COUNT="${COUNT:-10000}"
SLICE="${SLICE:-300}"
LARGE="${LARGE:-1}"
HUGE="${HUGE:-0}"
SMALL="${SMALL:-1}"
RUNS="${RUNS:-3}"
KEY_TYPE="${KEY_TYPE:-sk-ed25519}"
CLI="${CLI:-installed}"
mkdir -p "$OUT"

log() { printf '==> %s\n' "$*" >&2; }

# git runs ssh-keygen or gpg once per commit, so its per-commit time (and the ratio) grows with the machine's
# cost of starting a process: printed so that ratios from different machines can be compared.
spawn_ms="$(python3 -c 'import subprocess,time
t=time.perf_counter()
for _ in range(100): subprocess.run(["/bin/true"])
print(f"{(time.perf_counter()-t)*10:.1f}")')"
echo "process start-up on this machine: $spawn_ms ms per /bin/true (git's reference cost includes one per commit)"

if [ "$CLI" = installed ]; then
  source "$ROOT/bench/install-tool.sh"
  BUILDTRUST="$(install_tool "$OUT/verify-tool")"
else
  log "publishing the CLI (ReadyToRun, framework-dependent)"
  dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
  BUILDTRUST="$OUT/cli/buildtrust"
fi
echo "measuring: $BUILDTRUST ($CLI)"
dotnet build "$ROOT/bench/MakeSignedHistory" -c Release -nologo -v:quiet >&2
MAKE_HISTORY="$ROOT/bench/MakeSignedHistory/bin/Release/net10.0/MakeSignedHistory.dll"

history() { # history COUNT [--reviews] -> directory with repo/, policy.yaml, allowed_signers (and trust-root)
  local dir="$OUT/history-$KEY_TYPE-$1${2:-}"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    log "writing $1 signed commits ($KEY_TYPE${2:+, one approval note each}) to $dir"
    dotnet "$MAKE_HISTORY" "$dir" "$1" "$KEY_TYPE" ${2:-} >/dev/null
    [ -d "$dir/gnupg" ] && GNUPGHOME="$dir/gnupg" gpgconf --kill gpg-agent
    git -C "$dir/repo" repack -adq
    git -C "$dir/repo" prune-packed
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# measure CMD... -> "seconds peak_kb" of the median run (by time)
measure() {
  local results=() timing
  timing="$(mktemp)"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$timing" "$@" >/dev/null 2>&1 || true
    results+=("$(tail -n 1 "$timing")")
  done
  rm -f "$timing"
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

run_buildtrust() { # DIR RANGE
  local dir="$1" range="$2"
  local status=0
  "$BUILDTRUST" verify-commits --repo "$dir/repo" --policy "$dir/policy.yaml" "$range" >/dev/null 2>&1 || status=$?
  [ "$status" = 0 ] || { echo "error: buildtrust did not pass the benchmark history (exit $status)" >&2; exit 1; }
}

report() { # COUNT SLICE BT_S BT_KB GIT_S TITLE TARGET
  python3 - "$@" <<'PY'
import sys
count, slice_, bt_s, bt_kb, git_s = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
title, target = sys.argv[6], float(sys.argv[7])
bt_per = bt_s / count * 1000
git_per = git_s / slice_ * 1000
ratio = git_per / bt_per
mb = bt_kb / 1024
print(f"verify-commits, {count} commits: {title}")
print(f"  buildtrust : {bt_s:.2f} s for {count} commits = {bt_per:.3f} ms/commit, peak RSS {mb:.0f} MB")
print(f"  git log %G?: {git_s:.2f} s for {slice_} commits = {git_per:.3f} ms/commit")
print(f"  ratio      : {ratio:.1f}x faster per commit (target >= {target:.0f}x): {'MET' if ratio >= target else 'NOT MET'}")
print(f"  memory     : {mb:.0f} MB (target < 300 MB for 10,000 commits): {'MET' if mb < 300 else 'NOT MET'}")
PY
}

if [ "$SMALL" = 1 ]; then
  dir="$(history "$COUNT")"
  run_buildtrust "$dir" HEAD
  good="$(git -C "$dir/repo" -c gpg.ssh.allowedSignersFile="$dir/allowed_signers" log --format=%G? -n "$SLICE" | grep -c '^G' || true)"
  [ "$good" = "$SLICE" ] || { echo "error: git reported $good/$SLICE good signatures" >&2; exit 1; }

  log "timing buildtrust over $COUNT commits and git over $SLICE ($RUNS runs each, median)"
  read -r bt_s bt_kb < <(measure "$BUILDTRUST" verify-commits --repo "$dir/repo" --policy "$dir/policy.yaml" HEAD)
  read -r git_s _ < <(measure git -C "$dir/repo" -c gpg.ssh.allowedSignersFile="$dir/allowed_signers" log --format=%G? -n "$SLICE")

  report "$COUNT" "$SLICE" "$bt_s" "$bt_kb" "$git_s" "$KEY_TYPE signatures, require: hardware" 50

  rev="$(history "$COUNT" --reviews)"
  root="$(cat "$rev/trust-root")"
  "$BUILDTRUST" verify-commits --repo "$rev/repo" --trust-root "$root" HEAD >/dev/null 2>&1 || { echo "error: buildtrust did not pass the reviewed history" >&2; exit 1; }
  log "timing buildtrust with reviews over $COUNT commits and git over $SLICE ($RUNS runs each, median)"
  read -r rv_s rv_kb < <(measure "$BUILDTRUST" verify-commits --repo "$rev/repo" --trust-root "$root" HEAD)
  read -r rgit_s _ < <(measure git -C "$rev/repo" -c gpg.ssh.allowedSignersFile="$rev/allowed_signers" log --format=%G? -n "$SLICE")
  report "$COUNT" "$SLICE" "$rv_s" "$rv_kb" "$rgit_s" "$KEY_TYPE signatures + one approval note each, reviews: 1, from a trust root" 30

  if [ "${OPENPGP:-1}" = 1 ]; then
    for KEY_TYPE in openpgp-ed25519 openpgp-rsa3072; do
      pgp="$(history "$COUNT")"
      run_buildtrust "$pgp" HEAD
      good="$(GNUPGHOME="$pgp/gnupg" git -C "$pgp/repo" log --format=%G? -n "$SLICE" | grep -c '^[GU]' || true)"
      [ "$good" = "$SLICE" ] || { echo "error: gpg reported $good/$SLICE good signatures" >&2; exit 1; }
      log "timing buildtrust over $COUNT $KEY_TYPE commits and git (gpg) over $SLICE ($RUNS runs each, median)"
      read -r pg_s pg_kb < <(measure "$BUILDTRUST" verify-commits --repo "$pgp/repo" --policy "$pgp/policy.yaml" HEAD)
      read -r pgit_s _ < <(GNUPGHOME="$pgp/gnupg" measure git -C "$pgp/repo" log --format=%G? -n "$SLICE")
      report "$COUNT" "$SLICE" "$pg_s" "$pg_kb" "$pgit_s" "$KEY_TYPE signatures (gpg keys, require: signed) vs git log %G? with gpg" 50
      GNUPGHOME="$pgp/gnupg" gpgconf --kill gpg-agent
    done
    KEY_TYPE=sk-ed25519
  fi

fi

if [ "$LARGE" = 1 ]; then
  big="$(history 100000)"
  log "timing buildtrust over 100000 commits (1 run)"
  read -r big_s big_kb < <(RUNS=1 measure "$BUILDTRUST" verify-commits --repo "$big/repo" --policy "$big/policy.yaml" HEAD)
  python3 -c "import sys; s,kb=float(sys.argv[1]),int(sys.argv[2]); print(f'  100000 commits: {s:.2f} s = {s/100:.3f} ms/commit, peak RSS {kb/1024:.0f} MB')" "$big_s" "$big_kb"
fi

if [ "$HUGE" = 1 ]; then
  huge="$(history 1000000)"
  log "timing buildtrust over 1000000 commits (1 run)"
  run_buildtrust "$huge" HEAD
  read -r huge_s huge_kb < <(RUNS=1 measure "$BUILDTRUST" verify-commits --repo "$huge/repo" --policy "$huge/policy.yaml" HEAD)
  log "timing git log %G? over the newest $SLICE of them"
  read -r hgit_s _ < <(measure git -C "$huge/repo" -c gpg.ssh.allowedSignersFile="$huge/allowed_signers" log --format=%G? -n "$SLICE")
  report 1000000 "$SLICE" "$huge_s" "$huge_kb" "$hgit_s" "$KEY_TYPE signatures (require: hardware) vs git log %G? with ssh-keygen" 50
  python3 -c "import sys; s,kb=float(sys.argv[1]),int(sys.argv[2]); mb=kb/1024; print(f'  1000000 commits: {s:.2f} s = {s/1000:.3f} ms/commit, peak RSS {mb:.0f} MB (target <= 60 s and <= 300 MB: {\"MET\" if s <= 60 and mb <= 300 else \"NOT MET\"})')" "$huge_s" "$huge_kb"
fi
