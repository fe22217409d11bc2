#!/usr/bin/env bash
# Benchmark: `buildtrust explain` against diffoscope, in the same run on the same differing pairs (issue 14's target:
# explain takes at most diffoscope's time). Both are measured as a user runs them: wall time of the whole command,
# process start-up included, median of RUNS (default 3). The pairs are made here with the real tools:
#   elf-build-path   a C program with -g compiled in two folders (DWARF comp_dir differs)
#   dotnet-mvid      a .NET assembly compiled twice with <Deterministic>false</Deterministic> (MVID, TimeDateStamp)
#   tar-gz           a gzipped tar of this repository's sources (about 1,500 files), owner and mtime differ
#   deb              a .deb (dpkg-deb) whose data.tar records another uid
#   zip              a zip of the same sources, entry times differ
#   big-tar          a tar of 64 MiB of random files plus one text member that differs
# explain reads DIR/<a|b>/artifacts/<file> (no provenance); diffoscope gets the two files and writes its text report.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/explain"
RUNS="${RUNS:-3}"
mkdir -p "$OUT"
# As bench/build-overhead.sh and release-time.sh: the CLI published ReadyToRun; and the tool as users install it (dotnet pack, dotnet
# pack -r linux-x64, dotnet tool install: explain runs in the native executable), as a second column.
printf '==> publishing the CLI (ReadyToRun)\n' >&2
dotnet publish "$ROOT/build/BuildTrust.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false -o "$OUT/cli" -nologo -v:quiet >&2
CLI=(dotnet "$OUT/cli/buildtrust.dll")
source "$ROOT/bench/install-tool.sh"
INSTALLED=("$(install_tool "$OUT/tool")")
log() { printf '==> %s\n' "$*" >&2; }
command -v diffoscope >/dev/null || { echo "error: diffoscope is not installed (apt-get install --no-install-recommends diffoscope-minimal)" >&2; exit 3; }

pair() { rm -rf "$OUT/$1" && mkdir -p "$OUT/$1/a/artifacts" "$OUT/$1/b/artifacts"; }

make_pairs() {
  local scratch="$OUT/scratch"; rm -rf "$scratch"; mkdir -p "$scratch"
  log "making the pairs in $OUT"
  pair elf-build-path
  for side in a b; do
    mkdir -p "$scratch/build-$side-folder" && printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > "$scratch/build-$side-folder/hello.c"
    (cd "$scratch/build-$side-folder" && gcc -g -O2 -o "$OUT/elf-build-path/$side/artifacts/hello" hello.c)
  done

  pair dotnet-mvid
  mkdir -p "$scratch/app" && cat > "$scratch/app/App.csproj" <<'PROJ'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Deterministic>false</Deterministic><UseAppHost>false</UseAppHost></PropertyGroup>
</Project>
PROJ
  echo 'System.Console.WriteLine("hello");' > "$scratch/app/Program.cs"
  for side in a b; do
    dotnet build "$scratch/app" -c Release -nologo -v:q --no-incremental -o "$scratch/app-$side" >&2
    cp "$scratch/app-$side/App.dll" "$OUT/dotnet-mvid/$side/artifacts/App.dll"
  done

  pair tar-gz
  git -C "$ROOT" archive --format=tar --prefix=src/ HEAD | tar -x -C "$scratch"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1700000000 -cf - -C "$scratch" src | gzip -n > "$OUT/tar-gz/a/artifacts/src.tar.gz"
  tar --sort=name --owner=1000 --group=1000 --numeric-owner --mtime=@1700003600 -cf - -C "$scratch" src | gzip -n > "$OUT/tar-gz/b/artifacts/src.tar.gz"

  pair zip
  (cd "$scratch" && find src -type f | sort | TZ=UTC xargs touch -d @1700000000 && find src -type f | sort | zip -q -X -@ "$OUT/zip/a/artifacts/src.zip")
  (cd "$scratch" && find src -type f | sort | TZ=UTC xargs touch -d @1700086400 && find src -type f | sort | zip -q -X -@ "$OUT/zip/b/artifacts/src.zip")

  pair deb
  mkdir -p "$scratch/deb/DEBIAN" "$scratch/deb/usr/share/doc/sample"
  printf 'Package: sample\nVersion: 1.0\nArchitecture: all\nMaintainer: bench <b@example.invalid>\nDescription: bench\n' > "$scratch/deb/DEBIAN/control"
  cp "$ROOT/README.md" "$scratch/deb/usr/share/doc/sample/README"
  dpkg-deb -Zgzip --root-owner-group --build "$scratch/deb" "$OUT/deb/a/artifacts/sample.deb" >/dev/null
  chown -R 1000:1000 "$scratch/deb/usr" 2>/dev/null || true
  dpkg-deb -Zgzip --build "$scratch/deb" "$OUT/deb/b/artifacts/sample.deb" >/dev/null

  pair big-tar
  mkdir -p "$scratch/big"
  for i in $(seq 64); do head -c $((1 << 20)) /dev/urandom > "$scratch/big/blob-$i.bin"; done
  echo "built on host-a" > "$scratch/big/BUILDINFO"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1700000000 -cf "$OUT/big-tar/a/artifacts/big.tar" -C "$scratch" big
  echo "built on host-b" > "$scratch/big/BUILDINFO"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1700000000 -cf "$OUT/big-tar/b/artifacts/big.tar" -C "$scratch" big
  rm -rf "$scratch"
  touch "$OUT/.complete-v1"
}
[ -f "$OUT/.complete-v1" ] || make_pairs

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc -l; }

printf '%-16s %12s %14s %8s %12s %8s   %s\n' pair "explain (s)" "diffoscope (s)" ratio "installed (s)" ratio "explain's first cause" >&2
for name in elf-build-path dotnet-mvid tar-gz zip deb big-tar; do
  dir="$OUT/$name"
  file="$(cd "$dir/a/artifacts" && ls)"
  # The same answer first: both must see the pair differ.
  "${CLI[@]}" explain "$dir" --html "$OUT/$name.html" > /dev/null 2> "$OUT/$name.explain.txt" && { echo "error: explain found no difference in $name" >&2; exit 1; } || true
  first="$(sed -n 's/^  1\. \[\([a-z-]*\)\].*/\1/p' "$OUT/$name.explain.txt" | head -n 1)"
  ours=(); theirs=(); installed=()
  for _ in $(seq "$RUNS"); do
    ours+=("$(wall "${CLI[@]}" explain "$dir" --html "$OUT/$name.html")")
    installed+=("$(wall "${INSTALLED[@]}" explain "$dir" --html "$OUT/$name.html")")
    theirs+=("$(wall diffoscope --text "$OUT/$name.diffoscope.txt" -- "$dir/a/artifacts/$file" "$dir/b/artifacts/$file")")
  done
  e="$(printf '%s\n' "${ours[@]}" | median)"; d="$(printf '%s\n' "${theirs[@]}" | median)"; j="$(printf '%s\n' "${installed[@]}" | median)"
  printf '%-16s %12.2f %14.2f %7.2fx %12.2f %7.2fx   %s\n' "$name" "$e" "$d" "$(echo "$e / $d" | bc -l)" "$j" "$(echo "$j / $d" | bc -l)" "$first"
done
