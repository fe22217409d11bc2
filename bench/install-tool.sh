# Sourced by the benchmarks that measure the tool as users install it.
# install_tool DIR: packs build/BuildTrust.Cli as `./build.sh pack` does (the package users name, then the native one for
# linux-x64), installs it with `dotnet tool install` into DIR/bin from DIR/feed (DIR is emptied first), and prints the path of
# the installed `buildtrust` command.
install_tool() {
  local dir="$1" root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  printf '==> packing the CLI and installing it with dotnet tool install into %s (what users run)\n' "$dir" >&2
  rm -rf "$dir"
  dotnet pack "$root/build/BuildTrust.Cli" -c Release -o "$dir/feed" -nologo -v:quiet >&2
  dotnet pack "$root/build/BuildTrust.Cli" -c Release -r linux-x64 -o "$dir/feed" -nologo -v:quiet >&2
  dotnet tool install BuildTrust --tool-path "$dir/bin" --add-source "$dir/feed" --ignore-failed-sources >/dev/null
  echo "$dir/bin/buildtrust"
}
