#!/usr/bin/env bash
# Benchmark: release signing throughput through SoftHSM2 (issue 6), in one run:
#   - BuildTrust's PKCS#11 signer (Pkcs11Interop, one session, every signature also verified against the
#     token's public key) against `pkcs11-tool --sign --mechanism ECDSA` on the same token key (the
#     reference PKCS#11 tool: one process per signature, as a script would use it);
#   - BuildTrust's PEM signer against `openssl speed ecdsap256` (software signing, the ceiling).
# Signatures per second; COUNT signatures for ours (default 2000), TOOL_COUNT for pkcs11-tool (default 100).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/signing"
COUNT="${COUNT:-2000}"
TOOL_COUNT="${TOOL_COUNT:-100}"
MODULE=/usr/lib/softhsm/libsofthsm2.so
rm -rf "$OUT" && mkdir -p "$OUT/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$OUT/tokens" > "$OUT/softhsm2.conf"
export SOFTHSM2_CONF="$OUT/softhsm2.conf"
softhsm2-util --init-token --free --label bench --pin 123456 --so-pin 12345678 >/dev/null
pkcs11-tool --module "$MODULE" --token-label bench --login --pin 123456 --keypairgen --key-type EC:prime256v1 --label release --id 01 >/dev/null 2>&1
echo 123456 > "$OUT/pin"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$OUT/key.pem"
dotnet build "$ROOT/bench/SignThroughput" -c Release -nologo -v:quiet >&2
SIGN=(dotnet "$ROOT/bench/SignThroughput/bin/Release/net10.0/SignThroughput.dll")
URI="pkcs11:token=bench;object=release?module-path=$MODULE&pin-source=file:$OUT/pin"

ours_hsm=$("${SIGN[@]}" "$URI" "$COUNT" 1)
ours_hsm_parallel=$("${SIGN[@]}" "$URI" "$COUNT" "$(nproc)")
head -c 32 /dev/urandom > "$OUT/digest"
start=$(date +%s.%N)
for _ in $(seq "$TOOL_COUNT"); do
  pkcs11-tool --module "$MODULE" --token-label bench --login --pin 123456 --sign --mechanism ECDSA --label release \
    --input-file "$OUT/digest" --output-file "$OUT/sig" >/dev/null 2>&1
done
end=$(date +%s.%N)
tool=$(echo "$TOOL_COUNT / ($end - $start)" | bc -l)
ours_pem=$("${SIGN[@]}" "$OUT/key.pem" "$COUNT" 1)
openssl_speed=$(openssl speed -seconds 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $(NF-1)}')

printf '\n%-58s %12s\n' "signing throughput (signatures/s)" "sig/s"
printf '%-58s %12.0f\n' "buildtrust, SoftHSM2 through PKCS#11, 1 thread" "$ours_hsm"
printf '%-58s %12.0f\n' "buildtrust, SoftHSM2 through PKCS#11, $(nproc) threads (one session)" "$ours_hsm_parallel"
printf '%-58s %12.0f   -> buildtrust %.0fx\n' "pkcs11-tool --sign, same token (one process per signature)" "$tool" "$(echo "$ours_hsm / $tool" | bc -l)"
printf '%-58s %12.0f\n' "buildtrust, PEM key file, 1 thread" "$ours_pem"
printf '%-58s %12.0f   -> buildtrust %.2fx\n' "openssl speed ecdsap256 (sign, in process)" "$openssl_speed" "$(echo "$ours_pem / $openssl_speed" | bc -l)"
