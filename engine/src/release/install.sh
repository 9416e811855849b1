#!/bin/sh
# Installs a Lambdaform release (lambdaform-VERSION-linux-x64.tar.gz: its own Java runtime, no JDK or Maven needed)
# into PREFIX/lib/lambdaform/VERSION, and links PREFIX/bin/lambdaform to it. PREFIX is ~/.local unless --prefix or
# LAMBDAFORM_PREFIX says otherwise. The archive comes from a published release (by version; LAMBDAFORM_RELEASES is
# where releases are published), a URL or a file, and is checked against its .sha256 (required for a release).
#
#   curl -fsSLo install.sh https://github.com/lambdaform/lambdaform/releases/download/v0.1.0/install.sh
#   sh install.sh 0.1.0
#   sh install.sh --archive ./lambdaform-0.1.0-linux-x64.tar.gz --prefix /usr/local
set -eu

releases="${LAMBDAFORM_RELEASES:-https://github.com/lambdaform/lambdaform/releases/download}"
prefix="${LAMBDAFORM_PREFIX:-${HOME:-}/.local}"
version=""
archive=""

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --archive) [ $# -ge 2 ] || fail "--archive needs a file or URL"; archive="$2"; shift ;;
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder"; prefix="$2"; shift ;;
    -h | --help)
      echo "usage: install.sh VERSION | --archive FILE|URL [--prefix DIR]"
      echo "  VERSION          a published release (0.1.0), from \$LAMBDAFORM_RELEASES ($releases)"
      echo "  --archive        a release archive, lambdaform-VERSION-linux-x64.tar.gz, as a file or URL"
      echo "  --prefix DIR     install into DIR/lib/lambdaform/VERSION, linked as DIR/bin/lambdaform" \
        "(default \$LAMBDAFORM_PREFIX, else ~/.local)"
      exit 0
      ;;
    -*) fail "unknown option $1 (install.sh --help says which there are)" ;;
    *) version="${1#v}" ;;
  esac
  shift
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) ;;
  *) fail "releases are built for Linux x64; on $(uname -s) $(uname -m), build one from the sources (docs/install.md)" ;;
esac
if ldd --version 2>&1 | grep -qi musl; then
  fail "this system's C library is musl (Alpine?): the release's Java runtime needs glibc (use a Debian or Ubuntu" \
    "base, or build from the sources)"
fi
if [ -n "$archive" ] && [ -n "$version" ]; then
  fail "give a version or --archive, not both"
fi
checksum=optional
if [ -z "$archive" ]; then
  [ -n "$version" ] || fail "say which version to install (install.sh 0.1.0), or give --archive (install.sh --help)"
  archive="${releases%/}/v$version/lambdaform-$version-linux-x64.tar.gz"
  checksum=required
fi
[ -n "$prefix" ] || fail "no prefix: give --prefix DIR (HOME is not set)"
mkdir -p "$prefix/lib/lambdaform" "$prefix/bin" || fail "cannot make $prefix/lib/lambdaform"
# Absolute: the link to the release is read from the link's own folder.
prefix="$(cd "$prefix" && pwd)"

work="$(mktemp -d)"
partial=""
cleanup() {
  rm -rf "$work"
  [ -z "$partial" ] || rm -rf "$partial"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fetch() { # fetch SOURCE DESTINATION: says why and returns 1 when SOURCE cannot be read
  case "$1" in
    http://* | https://* | file://*)
      if command -v curl >/dev/null 2>&1; then
        curl -fsSL --retry 2 -o "$2" "$1" 2>"$work/fetch.err" || { sed 's/^/  /' "$work/fetch.err" >&2; return 1; }
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1" || return 1
      else
        fail "downloading $1 needs curl or wget"
      fi
      ;;
    *) [ -f "$1" ] || { echo "  no such file" >&2; return 1; }; cp "$1" "$2" ;;
  esac
}

if ! fetch "$archive" "$work/release.tar.gz"; then
  if [ "$checksum" = required ]; then
    fail "cannot download $archive: is $version a published release? Nothing was installed"
  fi
  fail "cannot read $archive: nothing was installed"
fi
if fetch "$archive.sha256" "$work/release.sha256" 2>/dev/null; then
  expected="$(cut -d' ' -f1 <"$work/release.sha256")"
  actual="$( (sha256sum "$work/release.tar.gz" 2>/dev/null || shasum -a 256 "$work/release.tar.gz") | cut -d' ' -f1)"
  [ "$expected" = "$actual" ] || fail "$archive does not match its .sha256 ($actual, expected $expected): not installed"
elif [ "$checksum" = required ]; then
  fail "cannot download $archive.sha256, which a release publishes beside its archive: not installed unchecked"
else
  echo "install.sh: no $archive.sha256 beside the archive: installing it unchecked" >&2
fi

name="$(tar -tzf "$work/release.tar.gz" 2>/dev/null | head -n 1)" || :
name="${name%%/*}"
case "$name" in
  lambdaform-*-linux-x64) installed="${name#lambdaform-}"; installed="${installed%-linux-x64}" ;;
  *) fail "$archive is not a Lambdaform release archive (a gzip tar holding lambdaform-VERSION-linux-x64/): not installed" ;;
esac

dest="$prefix/lib/lambdaform/$installed"
# Unpacked beside its place under a name of this run's own, then put in place whole: a run never starts a half-unpacked
# release, and installs of one version started at once do not undo each other.
partial="$prefix/lib/lambdaform/.$installed.$$"
rm -rf "$partial"
mkdir "$partial"
tar -xzf "$work/release.tar.gz" -C "$partial" || fail "$archive could not be unpacked (truncated?): not installed"
if [ -e "$dest" ]; then
  mv "$dest" "$partial/old" 2>/dev/null || :
fi
mv -T "$partial/$name" "$dest" 2>/dev/null || [ -d "$dest" ] || fail "cannot put the release in place at $dest"
rm -rf "$partial"
partial=""
ln -sfn "$dest/bin/lambdaform" "$prefix/bin/lambdaform"

"$prefix/bin/lambdaform" --version
case ":${PATH:-}:" in
  *":$prefix/bin:"*) ;;
  *) echo "install.sh: installed as $prefix/bin/lambdaform; add $prefix/bin to your PATH" >&2 ;;
esac
