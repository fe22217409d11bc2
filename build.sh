#!/usr/bin/env bash
# BuildTrust's bootstrap, in the spirit of Nuke's build.sh: ./build.sh <target> [arguments...]
#   compile   build the solution (Release)
#   test      install what the tests need when missing, run every test, print "N passed, N failed"
#   demo      run 'buildtrust demo' end to end (extra arguments are passed on, e.g. --out DIR)
#   bench     run the benchmarks under bench/ (bench [verify-commits|hashing|build-overhead|signing|release|explain|import|federated|latency|all]; bench/README.md)
#   pack      package the CLI as a .NET tool into artifacts/packages
#   run       run the CLI with the remaining arguments
#   fuzz      coverage-guided fuzzing, outside CI (SharpFuzz + AFL++; fuzz/README.md): fuzz list | fuzz TARGET MINUTES | fuzz replay TARGET FILE... | fuzz minimize TARGET IN OUT
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIGURATION="${CONFIGURATION:-Release}"
CLI_DLL="$ROOT/build/BuildTrust.Cli/bin/$CONFIGURATION/net10.0/buildtrust.dll"
# The demo's and the tests' builder images are cached here (by recipe content), so they are built once per machine.
export BUILDTRUST_CACHE="${BUILDTRUST_CACHE:-$ROOT/artifacts}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root to run: $*" >&2; exit 3; fi
}

# Installs Debian packages whose command is missing: ensure_tools cmd:package ...
ensure_tools() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK (dotnet) is not installed; install it first (see README.md)" >&2
    exit 3
  fi
}

# Starts the test Docker engines when they are not running: one dockerd per independent builder, each with
# its own data root, exec root and socket (no bridge, no iptables: builds run with --network none anyway).
ENGINES_DIR="${BUILDTRUST_ENGINES_DIR:-/tmp/buildtrust-engines}"
ensure_engines() {
  ensure_tools dockerd:docker.io mmdebstrap:mmdebstrap
  local endpoints=()
  ensure_engine_tls "$ENGINES_DIR/tls"
  for name in a b; do
    local dir="$ENGINES_DIR/$name" sock="$ENGINES_DIR/$name/docker.sock" extra=()
    # Engine b also listens on TCP with mutual TLS, as a remote builder would.
    [ "$name" = b ] && extra=(--host "tcp://127.0.0.1:$ENGINE_TLS_PORT" --tlsverify --tlscacert "$ENGINES_DIR/tls/ca.pem"
      --tlscert "$ENGINES_DIR/tls/server-cert.pem" --tlskey "$ENGINES_DIR/tls/server-key.pem")
    mkdir -p "$dir"
    if ! curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
      log "starting dockerd '$name' ($sock)"
      local sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
      nohup "${sudo[@]}" dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        --host "unix://$sock" "${extra[@]}" --bridge none --iptables=false </dev/null >"$dir/dockerd.log" 2>&1 &
      local waited=0
      until curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; do
        sleep 0.5; waited=$((waited + 1))
        if [ "$waited" -gt 120 ]; then echo "error: dockerd '$name' did not start; see $dir/dockerd.log" >&2; tail -20 "$dir/dockerd.log" >&2; exit 3; fi
      done
    fi
    endpoints+=("unix://$sock")
  done
  export BUILDTRUST_TEST_ENGINES="${endpoints[*]}"
  export BUILDTRUST_TEST_TLS_ENGINE="tcp://127.0.0.1:$ENGINE_TLS_PORT" BUILDTRUST_TEST_TLS_DIR="$ENGINES_DIR/tls/client"
}

# Two more engines for engine diversity and remote builders (issue 13), each with its own state folders:
#  - a Podman service (podman system service, Docker-compatible API) on $ENGINES_DIR/podman/podman.sock;
#  - a dockerd in a network namespace of its own (and its own host name), reached only over mutual TLS on that
#    namespace's address, as a remote builder would be: nothing shared with the client but the TLS connection.
REMOTE_NETNS="${BUILDTRUST_REMOTE_NETNS:-buildtrust-remote}"
REMOTE_ADDRESS="${BUILDTRUST_REMOTE_ADDRESS:-10.231.76.2}"
ensure_more_engines() {
  ensure_tools podman:podman ip:iproute2 nsenter:util-linux flock:util-linux
  mkdir -p "$ENGINES_DIR"
  # The services started here must not inherit the lock's descriptor (9>&- below), or they would hold it for ever.
  (
    flock 9
    ensure_podman "$ENGINES_DIR/podman"
    ensure_remote_engine "$ENGINES_DIR/remote"
  ) 9>"$ENGINES_DIR/.more-engines.lock"
  export BUILDTRUST_TEST_PODMAN="unix://$ENGINES_DIR/podman/podman.sock"
  export BUILDTRUST_TEST_REMOTE_ENGINE="tcp://$REMOTE_ADDRESS:2376" BUILDTRUST_TEST_REMOTE_TLS_DIR="$ENGINES_DIR/remote/tls/client"
}

ensure_podman() {
  local dir="$1" sock="$1/podman.sock"
  curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && return
  log "starting podman system service ($sock)"
  mkdir -p "$dir"
  # Podman raises its containers' open files and processes to 1048576; without CAP_SYS_RESOURCE (as on these machines) runc
  # cannot, and Podman lowers its own process limit to 32768: the containers get what the service can give them.
  local nproc; nproc="$(ulimit -Hu)"; [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  cat > "$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  CONTAINERS_CONF="$dir/containers.conf" nohup podman --root "$dir/root" --runroot "$dir/run" --tmpdir "$dir/tmp" \
    system service --time 0 "unix://$sock" </dev/null >"$dir/service.log" 2>&1 9>&- &
  wait_for "podman" "$dir/service.log" curl -fsS --unix-socket "$sock" http://localhost/_ping
}

ensure_remote_engine() {
  local dir="$1" tls="$1/tls"
  if [ ! -f "$tls/client/key.pem" ]; then
    rm -rf "$tls" && mkdir -p "$tls/client"
    ( cd "$tls"
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=BuildTrust remote engine CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$REMOTE_ADDRESS" -keyout server-key.pem -out server.csr 2>/dev/null
      printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$REMOTE_ADDRESS" > server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile server.ext -out server-cert.pem 2>/dev/null
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=buildtrust-remote-client" -keyout client/key.pem -out client.csr 2>/dev/null
      printf 'extendedKeyUsage=clientAuth\n' > client.ext
      openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile client.ext -out client/cert.pem 2>/dev/null
      cp ca.pem client/ca.pem )
  fi
  local docker_remote=(docker -H "tcp://$REMOTE_ADDRESS:2376" --tlsverify --tlscacert "$tls/client/ca.pem" --tlscert "$tls/client/cert.pem" --tlskey "$tls/client/key.pem")
  "${docker_remote[@]}" version >/dev/null 2>&1 && return
  log "starting a dockerd in network namespace $REMOTE_NETNS (tcp://$REMOTE_ADDRESS:2376, mutual TLS only)"
  if ! ip netns list | grep -qw "$REMOTE_NETNS"; then
    ip netns add "$REMOTE_NETNS"
    ip link add bt-remote-h type veth peer name bt-remote-n
    ip link set bt-remote-n netns "$REMOTE_NETNS"
    ip addr add "${REMOTE_ADDRESS%.*}.$(( ${REMOTE_ADDRESS##*.} - 1 ))/30" dev bt-remote-h && ip link set bt-remote-h up
    ip netns exec "$REMOTE_NETNS" ip addr add "$REMOTE_ADDRESS/30" dev bt-remote-n
    ip netns exec "$REMOTE_NETNS" ip link set bt-remote-n up
    ip netns exec "$REMOTE_NETNS" ip link set lo up
  fi
  mkdir -p "$dir"
  # nsenter, not 'ip netns exec': the latter remounts /sys, and dockerd would find no cgroups. unshare --uts: a host name of its own.
  nohup nsenter --net="/var/run/netns/$REMOTE_NETNS" unshare --uts sh -c "hostname buildtrust-remote && exec dockerd \
    --data-root '$dir/data' --exec-root '$dir/exec' --pidfile '$dir/dockerd.pid' --host 'tcp://$REMOTE_ADDRESS:2376' --tlsverify \
    --tlscacert '$tls/ca.pem' --tlscert '$tls/server-cert.pem' --tlskey '$tls/server-key.pem' --bridge none --iptables=false" \
    </dev/null >"$dir/dockerd.log" 2>&1 9>&- &
  wait_for "the remote dockerd" "$dir/dockerd.log" "${docker_remote[@]}" version
}

# wait_for NAME LOG COMMAND...: until COMMAND succeeds (60 s), else the end of LOG and exit 3.
wait_for() {
  local name="$1" logfile="$2" waited=0; shift 2
  until "$@" >/dev/null 2>&1; do
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -gt 120 ]; then echo "error: $name did not start; see $logfile" >&2; tail -20 "$logfile" >&2; exit 3; fi
  done
}

# A test CA, a server certificate for 127.0.0.1 and a client certificate (DOCKER_CERT_PATH layout).
ENGINE_TLS_PORT="${BUILDTRUST_ENGINE_TLS_PORT:-23761}"
ensure_engine_tls() {
  local tls="$1"
  [ -f "$tls/client/key.pem" ] && return
  log "creating the test engines' TLS certificates in $tls"
  rm -rf "$tls" && mkdir -p "$tls/client"
  (
    cd "$tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=BuildTrust test engine CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=buildtrust-test-client" -keyout client/key.pem -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem client/ca.pem
  )
}

# sigstore-js, the independent verifier of our bundles, from npm (pinned by package-lock.json).
ensure_sigstore_js() {
  local dir="$ROOT/tests/tools/sigstore-verify"
  if [ ! -f "$dir/node_modules/@sigstore/verify/package.json" ]; then
    log "installing sigstore-js from npm"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# The CI ecosystems' own validators (SARIF multitool, @actions/core, junit-report-merger), from npm (package-lock.json).
ensure_ci_validators() {
  local dir="$ROOT/tests/tools/ci-validate"
  if [ ! -f "$dir/node_modules/junit-report-merger/package.json" ]; then
    log "installing the CI validators from npm"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  # Its postinstall (chmod) may not run where npm is configured to skip install scripts.
  chmod u+x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
}

# Native AOT (the installed tool's executable, packed by the tests and `pack`) links with clang against zlib.
ensure_native_toolchain() {
  ensure_tools clang:clang
  if [ ! -f /usr/include/zlib.h ]; then
    log "installing zlib1g-dev"
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zlib1g-dev >&2
  fi
}

compile() {
  ensure_dotnet
  log "compile ($CONFIGURATION)"
  dotnet build BuildTrust.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:quiet >&2
}

test_target() {
  ensure_tools git:git ssh-keygen:openssh-client gpg:gnupg gpgconf:gnupg curl:curl openssl:openssl softhsm2-util:softhsm2 pkcs11-tool:opensc node:nodejs npm:npm diffoscope:diffoscope-minimal chromium:chromium gcc:gcc in-toto-run:in-toto
  ensure_native_toolchain
  ensure_engines
  ensure_more_engines
  ensure_sigstore_js
  ensure_ci_validators
  compile
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  log "test"
  local status=0
  dotnet test BuildTrust.sln -c "$CONFIGURATION" --no-build --logger trx --logger "console;verbosity=normal" \
    --results-directory "$results" >&2 || status=$?
  local passed=0 failed=0 files=0
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    files=$((files + 1))
    local counters
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
    failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters") + $(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")))
  done
  if [ "$files" = 0 ]; then
    echo "error: no test results were written" >&2
    failed=$((failed + 1))
  fi
  if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}

demo() {
  ensure_tools git:git curl:curl openssl:openssl softhsm2-util:softhsm2 pkcs11-tool:opensc
  ensure_engines
  compile
  dotnet "$CLI_DLL" demo "$@"
}

bench() {
  ensure_tools git:git ssh-keygen:openssh-client gpg:gnupg /usr/bin/time:time bc:bc openssl:openssl
  compile
  local which="${1:-all}"; shift || true
  case "$which" in
    verify-commits) ensure_native_toolchain; "$ROOT/bench/verify-commits.sh" "$@" ;;
    hashing) "$ROOT/bench/artifact-hashing.sh" "$@" ;;
    build-overhead) ensure_engines; ENDPOINT="${ENDPOINT:-unix://$ENGINES_DIR/a/docker.sock}" "$ROOT/bench/build-overhead.sh" "$@" ;;
    signing) ensure_tools softhsm2-util:softhsm2 pkcs11-tool:opensc; "$ROOT/bench/signing-throughput.sh" "$@" ;;
    explain) ensure_tools diffoscope:diffoscope-minimal gcc:gcc zip:zip; ensure_native_toolchain; "$ROOT/bench/explain.sh" "$@" ;;
    release) ensure_tools softhsm2-util:softhsm2 pkcs11-tool:opensc; ensure_engines
      ENDPOINT_A="unix://$ENGINES_DIR/a/docker.sock" ENDPOINT_B="unix://$ENGINES_DIR/b/docker.sock" "$ROOT/bench/release-time.sh" "$@" ;;
    import) ensure_native_toolchain; "$ROOT/bench/import-guix-sigs.sh" "$@" ;;
    latency) ensure_native_toolchain; "$ROOT/bench/installed-latency.sh" "$@" ;;
    federated) ensure_engines; ensure_more_engines
      ENDPOINT_A="unix://$ENGINES_DIR/a/docker.sock" ENDPOINT_PODMAN="$BUILDTRUST_TEST_PODMAN" ENDPOINT_REMOTE="$BUILDTRUST_TEST_REMOTE_ENGINE" \
        REMOTE_TLS="$BUILDTRUST_TEST_REMOTE_TLS_DIR" "$ROOT/bench/federated-release.sh" "$@" ;;
    all) for b in verify-commits hashing build-overhead signing release explain import federated latency; do bench "$b"; done ;;
    *) echo "error: unknown benchmark '$which' (verify-commits, hashing, build-overhead, signing, release, explain, import, federated, latency, all)" >&2; exit 2 ;;
  esac
}

pack() {
  ensure_dotnet
  ensure_native_toolchain
  # BuildTrust (what users name) points to BuildTrust.linux-x64: the native executable, the framework-dependent build in jit/.
  dotnet pack build/BuildTrust.Cli -c Release -o "$ROOT/artifacts/packages" -nologo >&2
  dotnet pack build/BuildTrust.Cli -c Release -r linux-x64 -o "$ROOT/artifacts/packages" -nologo >&2
  log "tool package in artifacts/packages; install with: dotnet tool install --global --add-source artifacts/packages BuildTrust"
}

# Coverage-guided fuzzing: the fuzz project is published to artifacts/fuzz/bin, the assemblies that parse
# untrusted input are instrumented in place with SharpFuzz, and afl-fuzz runs one target for MINUTES on one
# core, seeded from fuzz/seeds/TARGET. Findings land in artifacts/fuzz/TARGET (a previous run is kept beside it).
FUZZ_DIR="$ROOT/artifacts/fuzz"
FUZZ_PROJECT="$ROOT/fuzz/BuildTrust.Fuzz"
fuzz() {
  ensure_dotnet
  local plain="$FUZZ_PROJECT/bin/$CONFIGURATION/net10.0/BuildTrust.Fuzz.dll"
  case "${1:-}" in
    list|replay|minimize)
      dotnet build "$FUZZ_PROJECT" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:quiet >&2
      dotnet "$plain" "$@"; return ;;
    ""|-h|--help) echo "usage: ./build.sh fuzz list | fuzz TARGET MINUTES | fuzz replay TARGET FILE... | fuzz minimize TARGET IN OUT" >&2; exit 2 ;;
  esac
  local target="$1" minutes="${2:-5}"
  ensure_tools afl-fuzz:afl++
  dotnet build "$FUZZ_PROJECT" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:quiet >&2
  if ! dotnet "$plain" list | awk '{print $1}' | grep -qx -- "$target"; then
    echo "error: unknown fuzz target '$target'; ./build.sh fuzz list" >&2; exit 2
  fi
  [[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "error: MINUTES must be a positive whole number" >&2; exit 2; }
  local tools="$FUZZ_DIR/tools" bin="$FUZZ_DIR/bin" out="$FUZZ_DIR/$target"
  [ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >&2
  log "publishing and instrumenting the fuzz targets ($bin)"
  rm -rf "$bin"
  dotnet publish "$FUZZ_PROJECT" -c "$CONFIGURATION" -o "$bin" -nologo -clp:ErrorsOnly -v:quiet >&2
  # Our parsers in full; of the libraries, the parts that read hostile bytes (not the big-number arithmetic).
  "$tools/sharpfuzz" "$bin/BuildTrust.Verifiers.dll" >&2
  "$tools/sharpfuzz" "$bin/BuildTrust.Pipeline.dll" BuildTrust.Pipeline.Builders >&2
  "$tools/sharpfuzz" "$bin/YamlDotNet.dll" >&2
  "$tools/sharpfuzz" "$bin/BouncyCastle.Cryptography.dll" Org.BouncyCastle.Bcpg Org.BouncyCastle.Asn1 Org.BouncyCastle.X509 Org.BouncyCastle.Utilities.Encoders >&2
  if [ -d "$out" ]; then rm -rf "$out.previous"; mv "$out" "$out.previous"; fi
  log "afl-fuzz: $target for $minutes minute(s); findings in $out"
  # dotnet is not AFL-instrumented (SharpFuzz writes the coverage map); a 1 GiB GC heap limit turns a runaway
  # allocation into an OutOfMemoryException, which AFL records as a crash; -t catches hangs; a 1.5 MiB stack
  # (a thread-pool thread's, where the CLI's async commands run) makes unbounded recursion a crash too.
  ulimit -s 1536
  AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    DOTNET_GCHeapHardLimit=0x40000000 \
    afl-fuzz -i "$ROOT/fuzz/seeds/$target" -o "$out" -t "${FUZZ_TIMEOUT_MS:-5000}" -m none -V "$((minutes * 60))" \
      -- dotnet "$bin/BuildTrust.Fuzz.dll" "$target" >"$FUZZ_DIR/$target.log" 2>&1 || {
    echo "error: afl-fuzz failed; see $FUZZ_DIR/$target.log" >&2; tail -20 "$FUZZ_DIR/$target.log" >&2; exit 1; }
  local stats="$out/default/fuzzer_stats"
  grep -E '^(start_time|run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|stability) ' "$stats"
  echo "crashes: $(find "$out/default/crashes" -type f -name 'id:*' | wc -l), hangs: $(find "$out/default/hangs" -type f -name 'id:*' | wc -l) (replay: ./build.sh fuzz replay $target $out/default/crashes/id:*)"
}

target="${1:-compile}"
shift || true
case "$target" in
  compile) compile ;;
  test) test_target ;;
  demo) demo "$@" ;;
  bench) bench "$@" ;;
  pack) pack ;;
  run) compile; dotnet "$CLI_DLL" "$@" ;;
  fuzz) fuzz "$@" ;;
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "error: unknown target '$target' (compile, test, demo, bench, pack, run, fuzz)" >&2; exit 2 ;;
esac
