#!/bin/sh
# Installs a Lambdaform release (lambdaform-VERSION-linux-x64.tar.gz: its own Java runtime, no JDK or Maven needed)
# into PREFIX/lib/lambdaform/VERSION, and links PREFIX/bin/lambdaform to it. PREFIX is ~/.local unless --prefix or
# LAMBDAFORM_PREFIX says otherwise. The archive comes from a release (by version), a URL or a file; its .sha256, when
# there is one beside it, is checked.
#
#   curl -fsSL https://github.com/lambdaform/lambdaform/releases/download/v0.1.0/install.sh | sh -s -- 0.1.0
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
    -h | --help) sed -n '2,9p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail "unknown option $1 (options: VERSION, --archive FILE|URL, --prefix DIR)" ;;
    *) version="$1" ;;
  esac
  shift
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) ;;
  *) fail "releases are built for Linux x64; on $(uname -s) $(uname -m), build one from the sources (docs/install.md)" ;;
esac
if [ -z "$archive" ]; then
  [ -n "$version" ] || fail "say which version to install (install.sh 0.1.0), or give --archive"
  archive="$releases/v$version/lambdaform-$version-linux-x64.tar.gz"
fi
[ -n "$prefix" ] || fail "no prefix: give --prefix DIR (HOME is not set)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM

fetch() { # fetch SOURCE DESTINATION: 1 when SOURCE does not exist
  case "$1" in
    http://* | https://* | file://*)
      if command -v curl >/dev/null 2>&1; then
        curl -fsSL -o "$2" "$1" 2>/dev/null || return 1
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1" || return 1
      else
        fail "downloading $1 needs curl or wget"
      fi
      ;;
    *) [ -f "$1" ] || return 1; cp "$1" "$2" ;;
  esac
}

fetch "$archive" "$work/release.tar.gz" || fail "cannot read $archive (is the version right?)"
if fetch "$archive.sha256" "$work/release.sha256"; then
  expected="$(cut -d' ' -f1 <"$work/release.sha256")"
  actual="$( (sha256sum "$work/release.tar.gz" 2>/dev/null || shasum -a 256 "$work/release.tar.gz") | cut -d' ' -f1)"
  [ "$expected" = "$actual" ] || fail "$archive does not match its .sha256 ($actual, expected $expected): not installed"
fi

name="$(tar -tzf "$work/release.tar.gz" | head -n 1)" || fail "$archive is not a release archive"
name="${name%%/*}"
case "$name" in
  lambdaform-*-linux-x64) installed="${name#lambdaform-}"; installed="${installed%-linux-x64}" ;;
  *) fail "$archive is not a Lambdaform release (it holds $name)" ;;
esac

dest="$prefix/lib/lambdaform/$installed"
mkdir -p "$prefix/lib/lambdaform" "$prefix/bin"
rm -rf "$dest.partial"
mkdir "$dest.partial"
tar -xzf "$work/release.tar.gz" -C "$dest.partial"
# Put in place whole: a run never starts a half-unpacked release.
rm -rf "$dest.old"
[ ! -e "$dest" ] || mv "$dest" "$dest.old"
mv "$dest.partial/$name" "$dest"
rm -rf "$dest.partial" "$dest.old"
ln -sfn "$dest/bin/lambdaform" "$prefix/bin/lambdaform"

"$prefix/bin/lambdaform" --version
case ":${PATH:-}:" in
  *":$prefix/bin:"*) ;;
  *) echo "install.sh: installed as $prefix/bin/lambdaform; add $prefix/bin to your PATH" >&2 ;;
esac
