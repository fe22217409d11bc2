#!/usr/bin/env bash
# Benchmark: a federated release with three builders against the builds themselves, in the same run (issue 13).
# Target: the federated release adds no more than 1 s over the builds themselves. Printed both ways: what federation adds
# over the three builders' BuildTrust builds (the sigs commits and sign --sigs), and everything over three plain docker runs
# (which also counts each build's own overhead, measured alone by build-overhead.sh).
#
#   ENDPOINT_A (dockerd), ENDPOINT_PODMAN (Podman service), ENDPOINT_REMOTE + REMOTE_TLS (a dockerd in its own network
#   namespace, mutual TLS): ./build.sh bench federated sets them to the test engines. RUNS (default 3), median.
#
# The builds themselves: the C sample built by three plain `docker run --rm` at once, one per engine, with the same lock-down
# flags and the exported source bind-mounted (what three organisations building in parallel cost), wall time of the three.
# The federated release: at once, `buildtrust build --builder org-a` (the release engineer's own builder, on dockerd) and
# `buildtrust rebuild` of org-b (Podman) and org-c (the remote engine), each signing its provenance; then org-b and org-c each
# commit their bundle to the sigs repository with an SSH-signed git commit; then `buildtrust sign --sigs` (collects and verifies
# the three bundles and the sigs commits, the quorum of three engines, the source gate, the release written and signed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/federated"
RUNS="${RUNS:-3}"
A="${ENDPOINT_A:?set ENDPOINT_A, ENDPOINT_PODMAN, ENDPOINT_REMOTE and REMOTE_TLS (./build.sh bench federated does)}"
P="${ENDPOINT_PODMAN:?}"; R="${ENDPOINT_REMOTE:?}"; TLS="${REMOTE_TLS:?}"
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }
docker_on() { case "$1" in tcp://*) docker -H "$1" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/cert.pem" --tlskey "$TLS/key.pem" "${@:2}" ;; *) docker -H "$1" "${@:2}" ;; esac; }

log "publishing the CLI (ReadyToRun)"
dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
BUILDTRUST="$OUT/cli/buildtrust"
[ -f "$OUT/image.id" ] || "$BUILDTRUST" image build "$ROOT/images/c-toolchain.yaml" --out "$OUT/image.tar" --no-load > "$OUT/image.id"
IMAGE="$(cat "$OUT/image.id")"
for e in "$A" "$P" "$R"; do docker_on "$e" image inspect "$IMAGE" >/dev/null 2>&1 || docker_on "$e" load -q -i "$OUT/image.tar" >&2; done

work="$OUT/work"
rm -rf "$work" && mkdir -p "$work/repo/samples" "$work/keys" "$work/policy"
cp -r "$ROOT/samples/c-hello" "$work/repo/samples/"
ssh-keygen -q -t ed25519 -N '' -f "$work/keys/maintainer" >/dev/null
for k in org-a org-b org-c release; do
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/keys/$k.pem"
  chmod 600 "$work/keys/$k.pem"
  openssl ec -in "$work/keys/$k.pem" -pubout -out "$work/policy/$k.pub" 2>/dev/null
  ssh-keygen -y -f "$work/keys/$k.pem" > "$work/keys/$k.pem.pub"
done
cat > "$work/policy/release.yaml" <<YAML
version: 1
maintainers:
  - id: bench
    roles: [author]
    keys:
      - ssh: "$(cat "$work/keys/maintainer.pub")"
commits:
  require: signed
builders:
  - id: org-a
    endpoint: $A
    key: org-a.pub
    operator: alpha
  - id: org-b
    key: org-b.pub
    operator: beta
    variations: [timezone, user]
  - id: org-c
    key: org-c.pub
    operator: gamma
    variations: [hostname, build-path]
build:
  image: "$IMAGE"
  command: ["make", "-C", "samples/c-hello"]
  outputs: ["/out/bin/**"]
release:
  quorum: 3
  independence: [engine, operator]
  signing-key: "$work/keys/release.pem"
  signing-key-hardware: optional
  public-key: release.pub
YAML
git -C "$work/repo" init -q && git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@invalid -c gpg.format=ssh -c "user.signingkey=$work/keys/maintainer" commit -q -S -m "c sample"
commit="$(git -C "$work/repo" rev-parse HEAD)"
git -C "$work/repo" archive HEAD | (mkdir -p "$work/src" && tar -x -C "$work/src")
POLICY="$work/policy/release.yaml"

lockdown=(--network none --read-only --cap-drop ALL --security-opt no-new-privileges --user 1000:1000 --memory 4g --pids-limit 4096
  --tmpfs /tmp:rw,nosuid,nodev,mode=1777,size=1g --tmpfs /out:rw,nosuid,nodev,mode=1777,size=1g --tmpfs /build:rw,nosuid,nodev,mode=1777,size=1g
  -e HOME=/tmp/home -e SOURCE_DATE_EPOCH=1700000000)
plain() { # the remote engine cannot bind-mount a host folder: the source goes in on stdin there, as a tar
  if [ "$1" = "$R" ]; then
    git -C "$work/repo" archive HEAD | docker_on "$1" run --rm -i "${lockdown[@]}" "$IMAGE" sh -c "mkdir -p /tmp/home /build/src && cd /build/src && tar -x && make -C samples/c-hello"
  else
    docker_on "$1" run --rm "${lockdown[@]}" -v "$work/src:/src:ro" "$IMAGE" sh -c "mkdir -p /tmp/home /build/src && cp -Rp /src/. /build/src/ && cd /build/src && make -C samples/c-hello"
  fi
}
now() { date +%s.%N; }
run_quiet() { "$@" >/dev/null 2>"$work/last.err" || { echo "error: $* failed" >&2; cat "$work/last.err" >&2; exit 1; }; }

federated() { # OUT-DIR SIGS-DIR; appends the three phases' times to $work/phases
  local out="$1" sigs="$2" t0 t1 t2
  rm -rf "$out" "$sigs" && git init -q "$sigs"
  t0=$(now)
  ( run_quiet "$BUILDTRUST" build --repo "$work/repo" --ref HEAD --out "$out" --policy "$POLICY" --builder org-a --builder-key "org-a=$work/keys/org-a.pem" ) &
  local a=$!
  ( run_quiet "$BUILDTRUST" rebuild --repo "$work/repo" --ref HEAD --builder org-b --builder-key "$work/keys/org-b.pem" --endpoint "$P" --policy "$POLICY" --out "$out.b" ) &
  local b=$!
  ( run_quiet "$BUILDTRUST" rebuild --repo "$work/repo" --ref HEAD --builder org-c --builder-key "$work/keys/org-c.pem" --endpoint "$R" --tls "$TLS" --policy "$POLICY" --out "$out.c" ) &
  local c=$!
  wait $a && wait $b && wait $c
  t1=$(now)
  for org in org-b org-c; do
    local suffix="${org#org-}"
    mkdir -p "$sigs/$commit/$org" && cp "$out.$suffix/$org/provenance.sigstore.json" "$sigs/$commit/$org/"
    git -C "$sigs" add -A
    git -C "$sigs" -c user.name="$org" -c user.email="$org@invalid" -c gpg.format=ssh -c "user.signingkey=$work/keys/$org.pem" commit -q -S -m "$org attestation"
  done
  t2=$(now)
  run_quiet "$BUILDTRUST" sign --repo "$work/repo" --policy "$POLICY" --sigs "$sigs" "$out"
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$t2 - $t1" | bc -l) $(echo "$(now) - $t2" | bc -l)" >> "$work/phases"
}

log "$RUNS x (three docker runs at once) and $RUNS x (federated release)"
builds=() releases=()
for i in $(seq "$RUNS"); do
  start=$(now)
  ( run_quiet plain "$A" ) & x=$!; ( run_quiet plain "$P" ) & y=$!; ( run_quiet plain "$R" ) & z=$!
  wait $x && wait $y && wait $z
  builds+=("$(echo "$(now) - $start" | bc -l)")
  start=$(now)
  federated "$work/out-$i" "$work/sigs-$i"
  releases+=("$(echo "$(now) - $start" | bc -l)")
done
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
b="$(printf '%s\n' "${builds[@]}" | median)"; f="$(printf '%s\n' "${releases[@]}" | median)"
"$BUILDTRUST" audit "$work/out-1" --repo "$work/repo" --policy "$POLICY" >/dev/null 2>&1 && audit=passed || audit=FAILED
"$BUILDTRUST" compare --policy "$POLICY" --sigs "$work/sigs-1" "$work/out-1" 2>&1 | grep -E '^quorum' || true
echo "audit of the first release: $audit"
printf '\nfederated release of the C sample, three builders: dockerd, Podman, a remote dockerd (%s cores, load average %s)\n' "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
read -r p1 p2 p3 < <(sort -n "$work/phases" | sed -n "$(( (RUNS + 1) / 2 ))p")
printf '%-78s %8.2fs\n' "three plain docker run at once, one per engine" "$b"
printf '%-78s %8.2fs\n' "federated release, whole: build + 2 rebuilds at once, sigs commits, sign --sigs" "$f"
printf '%-78s %8.2fs\n' "  1. the three builders' builds (buildtrust build, rebuild x2, at once)" "$p1"
printf '%-78s %8.2fs\n' "  2. org-b and org-c commit their bundles, SSH-signed" "$p2"
printf '%-78s %8.2fs\n' "  3. sign --sigs: collect, verify bundles and sigs commits, quorum, source gate, sign" "$p3"
python3 - "$b" "$f" "$p1" "$p2" "$p3" <<'PY'
import sys
b, f, p1, p2, p3 = map(float, sys.argv[1:])
print(f"added by federation over the builders' builds (2 + 3): {p2 + p3:.2f} s (target <= 1 s): {'MET' if p2 + p3 <= 1 else 'NOT MET'}")
print(f"added over three plain docker runs (all BuildTrust costs, builds included): {f - b:+.2f} s ({'within' if f - b <= 1 else 'over'} 1 s)")
PY
