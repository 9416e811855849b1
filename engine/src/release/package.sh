#!/usr/bin/env bash
# Makes the release archive, lambdaform-VERSION-linux-x64.tar.gz, from the engine's jar (mvn -Prelease package runs
# it): a Java runtime trimmed by jlink, the engine, its launcher, and an ahead-of-time cache of the classes the common
# commands load, recorded at build time by a training run (io.lambdaform.cli.TrainingRun), so that no user run
# records anything. The cache needs a JDK 24 or newer, which the runtime is made from: RELEASE_JDK, else JAVA_HOME,
# when either is 24 or newer, else the one of the highest version under /usr/lib/jvm.
#
# usage: package.sh JAR VERSION TARGET_FOLDER REPOSITORY_ROOT
set -euo pipefail
jar="$1" version="$2" root="$(cd "$4" && pwd)"
mkdir -p "$3"
target="$(cd "$3" && pwd)"

major() {
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || :
}
usable() {
  [ -n "$1" ] && [ -x "$1/bin/jlink" ] && [ "$(major "$1")" -ge 24 ] 2>/dev/null
}
jdk=""
for candidate in "${RELEASE_JDK:-}" "${JAVA_HOME:-}"; do
  if usable "${candidate%/}"; then
    jdk="${candidate%/}"
    break
  fi
done
if [ -z "$jdk" ]; then
  best=0
  for candidate in /usr/lib/jvm/*; do
    if usable "$candidate" && [ "$(major "$candidate")" -gt "$best" ]; then
      jdk="$candidate"
      best="$(major "$candidate")"
    fi
  done
fi
if [ -z "$jdk" ]; then
  echo "package.sh: the release's runtime and its ahead-of-time cache need a JDK 24 or newer (with jlink): set" \
    "RELEASE_JDK to one (found none in RELEASE_JDK, JAVA_HOME or /usr/lib/jvm)" >&2
  exit 1
fi

name="lambdaform-$version-linux-x64"
stage="$target/release/$name"
rm -rf "$target/release" "$target/$name.tar.gz" "$target/$name.tar.gz.sha256" "$target/install.sh"
mkdir -p "$stage/bin" "$stage/lib"
echo "package.sh: runtime from $jdk ($(major "$jdk"))" >&2

# What the engine needs (jdeps), and the rest of Java SE: a Java handler on the local cloud runs on this runtime too.
modules="$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")"
"$jdk/bin/jlink" --add-modules "$modules,java.se,jdk.httpserver,jdk.unsupported,jdk.zipfs" \
  --strip-debug --no-header-files --no-man-pages --output "$stage/runtime"

cp "$jar" "$stage/lib/lambdaform.jar"
cp "$root/engine/src/release/lambdaform" "$stage/bin/lambdaform"
chmod 755 "$stage/bin/lambdaform"
cp "$root/README.md" "$root/CHANGELOG.md" "$stage/"
cp -R "$root/schemas" "$stage/schemas"

# The training runs, one per cache: the hello example on the local cloud, in a folder of its own, and commands against
# an AWS endpoint where nothing answers. Their flags are the launcher's: a cache is used only by a JVM whose settings
# match. A JVM loads every class of its cache when it starts, so each cache holds one kind of command (TrainingRun).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo/.git"
cp -R "$root/manifests/hello" "$work/repo/hello"
for profile in validate local aws; do
  # What a training run prints (each command with its exit code; some fail on purpose, as a user's would) is kept in
  # a log, shown only when the run fails.
  if ! (cd "$stage" && runtime/bin/java -XX:AOTCacheOutput="lib/$profile.aot" -Xlog:aot=error -Xlog:cds=off \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -cp lib/lambdaform.jar io.lambdaform.cli.TrainingRun "$profile" "$work/repo/hello" "$work/run-$profile") \
    >"$work/training-$profile.log" 2>&1; then
    cat "$work/training-$profile.log" >&2
    echo "package.sh: the training run for the $profile cache failed" >&2
    exit 1
  fi
  echo "package.sh: ahead-of-time cache $profile.aot ($(du -h "$stage/lib/$profile.aot" | cut -f1))" >&2
  # The archive must work from anywhere it is unpacked: checked from another folder, with the cache required.
  (cd "$work" && "$stage/runtime/bin/java" -XX:AOTCache="$stage/lib/$profile.aot" -XX:AOTMode=on \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$stage/lib/lambdaform.jar" io.lambdaform.cli.Main --version) >/dev/null
done

tar -C "$target/release" --owner=0 --group=0 --numeric-owner --sort=name -czf "$target/$name.tar.gz" "$name"
rm -rf "$target/release"
(cd "$target" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
# The installer goes beside the archive, as a release publishes both.
cp "$root/engine/src/release/install.sh" "$target/install.sh"
echo "package.sh: $target/$name.tar.gz ($(du -h "$target/$name.tar.gz" | cut -f1))" >&2
