#!/usr/bin/env bash
# Benchmark: `buildtrust build` with one builder against plain `docker run` of the same command in the same
# image, in the same run (issue 3). Target: overhead under 10% or under 1 second, whichever is larger.
#
#   bench/build-overhead.sh                   # both samples, RUNS=5 each, median
#   SAMPLES=c-hello RUNS=3 bench/build-overhead.sh
#
# buildtrust's time is the whole command: CLI start-up, policy, source export, image check, container
# create/copy/start, the build, collection and hashing of /out, container removal and signing the
# provenance. docker run's time is the whole `docker run --rm` with the source bind-mounted read-only
# and the same lock-down flags; its build copies the source the same way the builder does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/build-overhead"
RUNS="${RUNS:-5}"
SAMPLES="${SAMPLES:-c-hello dotnet-hello}"
ENDPOINT="${ENDPOINT:?set ENDPOINT to a Docker endpoint, e.g. unix:///tmp/buildtrust-engines/a/docker.sock (./build.sh bench sets it)}"
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

log "publishing the CLI (ReadyToRun)"
dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
BUILDTRUST="$OUT/cli/buildtrust"

image_for() { # sample -> image id (built once, cached by recipe)
  local recipe="$ROOT/images/c-toolchain.yaml"
  if [ "$1" = dotnet-hello ]; then # a recipe copies only folders next to it: the SDK goes beside it (hard links, or a copy)
    recipe="$OUT/dotnet-sdk.yaml" && cp "$ROOT/images/dotnet-sdk.yaml" "$recipe"
    local sdk; sdk="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    [ -d "$OUT/dotnet-sdk" ] || cp -al "$sdk" "$OUT/dotnet-sdk" 2>/dev/null || { rm -rf "$OUT/dotnet-sdk"; cp -a "$sdk" "$OUT/dotnet-sdk"; }
  fi
  local archive="$OUT/$(basename "$recipe" .yaml).tar"
  [ -f "$archive.id" ] || { "$BUILDTRUST" image build "$recipe" --out "$archive" --no-load > "$archive.id"; }
  docker -H "$ENDPOINT" image inspect "$(cat "$archive.id")" >/dev/null 2>&1 || docker -H "$ENDPOINT" load -q -i "$archive" >&2
  cat "$archive.id"
}

command_for() {
  case "$1" in
    c-hello) echo '["make", "-C", "samples/c-hello"]|/out/bin/**|make -C samples/c-hello' ;;
    dotnet-hello) echo '["dotnet", "publish", "samples/dotnet-hello", "-c", "Release", "-o", "/out/app"]|/out/app/**|dotnet publish samples/dotnet-hello -c Release -o /out/app' ;;
  esac
}

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "error: $* failed" >&2; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc -l; }

printf '%-14s %12s %12s %10s %10s  %s\n' sample "docker run" buildtrust overhead ratio verdict > "$OUT/results.txt"
for sample in $SAMPLES; do
  image="$(image_for "$sample")"
  IFS='|' read -r json_command output shell_command <<<"$(command_for "$sample")"
  work="$OUT/$sample"
  rm -rf "$work" && mkdir -p "$work/repo/samples" "$work/keys"
  cp -r "$ROOT/samples/$sample" "$work/repo/samples/"
  rm -rf "$work/repo/samples/$sample/bin" "$work/repo/samples/$sample/obj"
  git -C "$work/repo" init -q && git -C "$work/repo" add -A
  git -C "$work/repo" -c user.name=bench -c user.email=bench@invalid -c commit.gpgsign=false commit -qm sample
  git -C "$work/repo" archive HEAD | (mkdir -p "$work/src" && tar -x -C "$work/src")
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/keys/builder-a.pem"
  openssl ec -in "$work/keys/builder-a.pem" -pubout -out "$work/keys/builder-a.pub" 2>/dev/null
  ssh-keygen -q -t ed25519 -N '' -f "$work/keys/maintainer" >/dev/null
  cat > "$work/keys/policy.yaml" <<YAML
version: 1
maintainers:
  - id: bench
    roles: [author]
    keys:
      - ssh: "$(cat "$work/keys/maintainer.pub")"
builders:
  - id: builder-a
    endpoint: $ENDPOINT
    key: builder-a.pub
build:
  image: "$image"
  command: $json_command
  outputs: ["$output"]
YAML
  lockdown=(--network none --read-only --cap-drop ALL --security-opt no-new-privileges --user 1000:1000 --memory 4g --pids-limit 4096
    --tmpfs /tmp:rw,nosuid,nodev,mode=1777,size=2g -v /out -v /build -e HOME=/tmp/home -e SOURCE_DATE_EPOCH=1700000000)
  log "$sample: $RUNS x docker run, $RUNS x buildtrust build"
  docker_times=() ours_times=()
  for _ in $(seq "$RUNS"); do
    docker_times+=("$(wall docker -H "$ENDPOINT" run --rm "${lockdown[@]}" -v "$work/src:/src:ro" "$image" \
      sh -c "mkdir -p /tmp/home /build/src && cp -Rp /src/. /build/src/ && cd /build/src && $shell_command")")
    ours_times+=("$(wall "$BUILDTRUST" build --repo "$work/repo" --ref HEAD --out "$work/out" --policy "$work/keys/policy.yaml" \
      --builder-key "builder-a=$work/keys/builder-a.pem")")
  done
  d=$(printf '%s\n' "${docker_times[@]}" | median); o=$(printf '%s\n' "${ours_times[@]}" | median)
  overhead=$(echo "$o - $d" | bc -l); ratio=$(echo "scale=3; $o / $d" | bc -l)
  allowed=$(echo "if ($d * 0.10 > 1) $d * 0.10 else 1" | bc -l)
  verdict=$( [ "$(echo "$overhead <= $allowed" | bc -l)" = 1 ] && echo "met (allowed $(printf '%.2f' "$allowed") s)" || echo "NOT met (allowed $(printf '%.2f' "$allowed") s)")
  printf '%-14s %11.2fs %11.2fs %9.2fs %9.3fx  %s\n' "$sample" "$d" "$o" "$overhead" "$ratio" "$verdict" >> "$OUT/results.txt"
done
echo
cat "$OUT/results.txt"
