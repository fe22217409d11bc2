#!/bin/sh
# Builds each .NET sample into /out/<sample>/ (the DLL and its PDB); each sample's expected-cause file names the cause
# `buildtrust explain` must rank first for it.
set -eu
for sample in not-deterministic build-path reproducible; do
  dotnet build "samples/explain-dotnet/$sample" -c Release --nologo -v:q -p:UseSharedCompilation=false -o "/tmp/bin/$sample"
  mkdir -p "/out/$sample"
  cp "/tmp/bin/$sample/$sample.dll" "/tmp/bin/$sample/$sample.pdb" "/out/$sample/"
done
# NuGet clamps entry times to SOURCE_DATE_EPOCH; this pack step runs without it, as a script that cleans the environment would.
env -u SOURCE_DATE_EPOCH dotnet pack samples/explain-dotnet/nupkg -c Release --nologo -v:q -p:UseSharedCompilation=false -o /out/nupkg
