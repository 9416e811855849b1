# Lambdaform as a container image, made from the release archive (its own Java runtime) that the build writes into
# target/ (one archive there: the image installs the one it finds):
#
#   mvn -B -Prelease -DskipTests package
#   docker build -t lambdaform .
#   docker run --rm -v "$PWD:/work" lambdaform plan manifests/hello
#
# python3 and Node.js are there for the local cloud's Python and Node.js handlers (Java handlers run on the release's
# own runtime). The base is glibc's: the release's runtime does not run on musl (Alpine).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY target/lambdaform-*-linux-x64.tar.gz target/lambdaform-*-linux-x64.tar.gz.sha256 target/install.sh /tmp/lambdaform/
RUN set -- /tmp/lambdaform/lambdaform-*-linux-x64.tar.gz \
 && [ "$#" -eq 1 ] || { echo "target/ must hold one release archive, not: $*" >&2; exit 1; } \
 && sh /tmp/lambdaform/install.sh --prefix /usr/local --archive "$1" \
 && rm -rf /tmp/lambdaform
WORKDIR /work
ENTRYPOINT ["lambdaform"]
CMD ["--help"]
