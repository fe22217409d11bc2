#!/usr/bin/env bash
# Benchmark: `buildtrust import guix-sigs` over a whole guix.sigs-sized repository against `gpg --verify` run once per
# signature file, in the same run (issue 13). Target: at least 20x faster.
#
#   bench/import-guix-sigs.sh                         # a generated repository of guix.sigs's size (cached in bench/out)
#   GUIX_SIGS=~/guix.sigs bench/import-guix-sigs.sh   # a clone of the real one (its builder-keys/ are the keys)
#
# The generated repository has the shape of bitcoin-core/guix.sigs (2026): 100 versions, 15 signers per version, each with
# noncodesigned.SHA256SUMS and all.SHA256SUMS (21 and 28 lines) signed by gpg (detached, armored), 40 keys (25 RSA-3072 and
# 15 Ed25519), i.e. 3,000 signature files. buildtrust is installed as users do (dotnet pack, dotnet pack -r linux-x64, dotnet tool
# install: the native executable; CLI=readytorun measures the framework-dependent build published ReadyToRun) and timed as a whole command (start-up, every key,
# every file, the report), median of RUNS; gpg verifies every file with all keys imported into a fresh keyring, one process
# per file, as a script or a CI job does (`for f in */*/*.asc; do gpg --verify "$f"; done`), timed once over all of them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/import"
RUNS="${RUNS:-9}"
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

CLI="${CLI:-installed}"
if [ "$CLI" = installed ]; then
  source "$ROOT/bench/install-tool.sh"
  BUILDTRUST="$(install_tool "$OUT/tool")"
else
  log "publishing the CLI (ReadyToRun, framework-dependent)"
  dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
  BUILDTRUST="$OUT/cli/buildtrust"
fi
echo "measuring: $BUILDTRUST ($CLI)"

generate() { # DIR: a guix.sigs-shaped repository signed by the real gpg
  local dir="$1" home="$1.gnupg"
  rm -rf "$dir" "$home" && mkdir -p "$dir/builder-keys" "$home" && chmod 700 "$home"
  export GNUPGHOME="$home"
  local signers=()
  for i in $(seq -w 1 40); do
    local name="signer$i" algo=rsa3072
    [ "$i" -gt 25 ] && algo=ed25519
    gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key "$name <$name@example.invalid>" "$algo" sign never 2>/dev/null
    gpg --batch --export --armor "$name@example.invalid" > "$dir/builder-keys/$name.gpg"
    signers+=("$name")
  done
  for v in $(seq 1 100); do
    local version="$(( 20 + v / 10 )).$(( v % 10 ))"
    for s in $(seq 0 14); do
      local signer="${signers[$(( (v + s * 7) % 40 ))]}" folder="$dir/$version/${signers[$(( (v + s * 7) % 40 ))]}"
      mkdir -p "$folder"
      for kind in noncodesigned:21 all:28; do
        local file="$folder/${kind%%:*}.SHA256SUMS"
        for n in $(seq 1 "${kind##*:}"); do printf '%s  bitcoin-%s-target%02d.tar.gz\n' "$(printf '%s-%s-%s' "$version" "$kind" "$n" | sha256sum | cut -c1-64)" "$version" "$n"; done > "$file"
        gpg --batch --yes --armor --detach-sign --local-user "$signer@example.invalid" "$file" 2>/dev/null
      done
    done
  done
  gpgconf --kill gpg-agent
  touch "$dir/.complete"
}

if [ -n "${GUIX_SIGS:-}" ]; then
  repo="$GUIX_SIGS"; what="the real guix.sigs at $(git -C "$repo" log -1 --format='%h %cs' 2>/dev/null || echo "$repo")"
else
  repo="$OUT/guix.sigs"; what="a generated guix.sigs-shaped repository"
  [ -f "$repo/.complete" ] || { log "generating $repo with gpg (40 keys, 3,000 signatures; once)"; generate "$repo"; }
fi
files="$(find "$repo" -path "$repo/.git" -prune -o -name '*.SHA256SUMS.asc' -print | wc -l)"
keys="$(ls "$repo/builder-keys" | wc -l)"
versions="$(find "$repo" -mindepth 1 -maxdepth 1 -type d ! -name builder-keys ! -name contrib ! -name '.*' | wc -l)"

log "buildtrust import: $RUNS runs"
runs=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %U %S' -o "$OUT/time.txt" "$BUILDTRUST" import guix-sigs "$repo" --keys "$repo/builder-keys" --json > "$OUT/report.json" 2> "$OUT/report.txt" || true
  runs+=("$(tail -1 "$OUT/time.txt")")
done
read -r bt bt_user bt_sys < <(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
grep -q '"groups"' "$OUT/report.json" || { echo "error: buildtrust wrote no report" >&2; cat "$OUT/report.txt" >&2; exit 1; }

log "gpg --verify once per file ($files files)"
home="$(mktemp -d)"; chmod 700 "$home"
GNUPGHOME="$home" gpg --batch --import "$repo"/builder-keys/* 2>/dev/null || true
find "$repo" -path "$repo/.git" -prune -o -name '*.SHA256SUMS.asc' -print > "$OUT/files.txt"
/usr/bin/time -f '%e %U %S' -o "$OUT/gpg-time.txt" env GNUPGHOME="$home" bash -c '
  good=0
  while IFS= read -r asc; do
    if gpg --batch --quiet --verify "$asc" "${asc%.asc}" >/dev/null 2>&1; then good=$((good + 1)); fi
  done < "$1"
  echo "$good" > "$2"' _ "$OUT/files.txt" "$OUT/gpg-good.txt"
read -r gpg_s gpg_user gpg_sys < "$OUT/gpg-time.txt"
good="$(cat "$OUT/gpg-good.txt")"
GNUPGHOME="$home" gpgconf --kill gpg-agent; rm -rf "$home"

python3 - "$what" "$versions" "$files" "$keys" "$bt" "$gpg_s" "$good" "$(tail -2 "$OUT/report.txt" | head -1)" "$bt_user" "$bt_sys" "$gpg_user" "$gpg_sys" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
what, versions, files, keys, bt, gpg, good, summary = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
bt_cpu, gpg_cpu, load = float(sys.argv[9]) + float(sys.argv[10]), float(sys.argv[11]) + float(sys.argv[12]), sys.argv[13]
ratio = gpg / bt
print(f"import over {what}: {versions} versions, {files} signature files, {keys} keys (load average {load})")
print(f"  buildtrust import guix-sigs : {bt:.2f} s wall (median), {bt_cpu:.2f} s CPU; {summary}")
print(f"  gpg --verify per file       : {gpg:.2f} s wall ({gpg / files * 1000:.1f} ms per file), {gpg_cpu:.2f} s CPU; {good} exit 0")
print(f"  ratio                       : {ratio:.1f}x wall (target >= 20x): {'MET' if ratio >= 20 else 'NOT MET'}; {gpg_cpu / bt_cpu:.1f}x CPU")
PY
