#!/usr/bin/env bash
# Benchmark: the whole `buildtrust release` of the .NET sample with two builders (source gate, two builds in
# parallel on two engines, compare, signing through SoftHSM2) against the sum of the two plain `docker run`
# builds of the same command in the same image (what building twice by hand costs), in the same run (issue 6).
#   ENDPOINT_A, ENDPOINT_B: the two engines (./build.sh bench release sets them); RUNS (default 3), median.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/release-time"
RUNS="${RUNS:-3}"
A="${ENDPOINT_A:?set ENDPOINT_A and ENDPOINT_B to two Docker endpoints}"
B="${ENDPOINT_B:?set ENDPOINT_B}"
MODULE=/usr/lib/softhsm/libsofthsm2.so
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

log "publishing the CLI (ReadyToRun)"
dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
BUILDTRUST="$OUT/cli/buildtrust"

DOTNET_ROOT_HOST="$(dirname "$(readlink -f "$(command -v dotnet)")")"
# A recipe copies only folders next to it: the SDK goes beside the recipe (hard links, or a copy across file systems).
cp "$ROOT/images/dotnet-sdk.yaml" "$OUT/dotnet-sdk.yaml"
[ -d "$OUT/dotnet-sdk" ] || cp -al "$DOTNET_ROOT_HOST" "$OUT/dotnet-sdk" 2>/dev/null || { rm -rf "$OUT/dotnet-sdk"; cp -a "$DOTNET_ROOT_HOST" "$OUT/dotnet-sdk"; }
[ -f "$OUT/image.id" ] || "$BUILDTRUST" image build "$OUT/dotnet-sdk.yaml" --out "$OUT/image.tar" --no-load > "$OUT/image.id"
IMAGE="$(cat "$OUT/image.id")"
for e in "$A" "$B"; do docker -H "$e" image inspect "$IMAGE" >/dev/null 2>&1 || docker -H "$e" load -q -i "$OUT/image.tar" >&2; done

work="$OUT/work"
rm -rf "$work" && mkdir -p "$work/repo/samples" "$work/repo/policies" "$work/keys" "$work/tokens"
cp -r "$ROOT/samples/dotnet-hello" "$work/repo/samples/" && rm -rf "$work/repo/samples/dotnet-hello/bin" "$work/repo/samples/dotnet-hello/obj"
ssh-keygen -q -t ed25519 -N '' -f "$work/keys/maintainer" >/dev/null
for b in builder-a builder-b; do
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/keys/$b.pem"
  openssl ec -in "$work/keys/$b.pem" -pubout -out "$work/repo/policies/$b.pub" 2>/dev/null
done
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" > "$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
softhsm2-util --init-token --free --label bench-release --pin 123456 --so-pin 12345678 >/dev/null
pkcs11-tool --module "$MODULE" --token-label bench-release --login --pin 123456 --keypairgen --key-type EC:prime256v1 --label release --id 01 >/dev/null 2>&1
pkcs11-tool --module "$MODULE" --token-label bench-release --read-object --type pubkey --label release -o "$work/release.der" >/dev/null 2>&1
openssl pkey -pubin -inform DER -in "$work/release.der" -out "$work/repo/policies/release.pub"
echo 123456 > "$work/pin"
cat > "$work/repo/policies/release.yaml" <<YAML
version: 1
maintainers:
  - id: bench
    roles: [author]
    keys:
      - ssh: "$(cat "$work/keys/maintainer.pub")"
commits:
  require: signed
builders:
  - id: builder-a
    endpoint: $A
    key: builder-a.pub
  - id: builder-b
    endpoint: $B
    key: builder-b.pub
    variations: [timezone, locale, umask, hostname, user, build-path, num-cpus]
build:
  image: "$IMAGE"
  command: ["dotnet", "publish", "samples/dotnet-hello", "-c", "Release", "-o", "/out/app"]
  outputs: ["/out/app/**"]
release:
  quorum: 2
  signing-key: "pkcs11:token=bench-release;object=release?module-path=$MODULE&pin-source=file:$work/pin"
  public-key: release.pub
YAML
git -C "$work/repo" init -q && git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@invalid -c gpg.format=ssh -c "user.signingkey=$work/keys/maintainer" commit -q -S -m "dotnet sample"
git -C "$work/repo" archive HEAD | (mkdir -p "$work/src" && tar -x -C "$work/src")
root="$(git -C "$work/repo" rev-parse HEAD)"   # the commit that adopts the policy is the trust root, and is released

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "error: $* failed" >&2; "$@" >&2 || true; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
lockdown=(--network none --read-only --cap-drop ALL --security-opt no-new-privileges --user 1000:1000 --memory 4g --pids-limit 4096
  --tmpfs /tmp:rw,nosuid,nodev,mode=1777,size=2g -v /out -v /build -e HOME=/tmp/home -e SOURCE_DATE_EPOCH=1700000000)
plain() { docker -H "$1" run --rm "${lockdown[@]}" -v "$work/src:/src:ro" "$IMAGE" \
  sh -c "mkdir -p /tmp/home /build/src && cp -Rp /src/. /build/src/ && cd /build/src && dotnet publish samples/dotnet-hello -c Release -o /out/app"; }

log "$RUNS x (docker run on A + docker run on B) and $RUNS x buildtrust release"
sums=() releases=()
for i in $(seq "$RUNS"); do
  a=$(wall plain "$A"); b=$(wall plain "$B")
  sums+=("$(echo "$a + $b" | bc -l)")
  rm -rf "$work/out-$i"
  releases+=("$(wall "$BUILDTRUST" release --repo "$work/repo" --ref HEAD --trust-root "$root" --out "$work/out-$i" \
    --builder-key "builder-a=$work/keys/builder-a.pem" --builder-key "builder-b=$work/keys/builder-b.pem")")
done
s=$(printf '%s\n' "${sums[@]}" | median); r=$(printf '%s\n' "${releases[@]}" | median)
"$BUILDTRUST" audit "$work/out-1" --repo "$work/repo" --trust-root "$root" >/dev/null 2>&1 && audit=passed || audit=FAILED
printf '\n%-62s %9s\n' "release of the .NET sample, two builders ($(nproc) cores)" "seconds"
printf '%-62s %8.2fs\n' "docker run on engine A + docker run on engine B (sum)" "$s"
printf '%-62s %8.2fs   ratio %.2fx (audit of the result: %s)\n' "buildtrust release (gate, 2 builds in parallel, compare, sign)" "$r" "$(echo "$r / $s" | bc -l)" "$audit"
