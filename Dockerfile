# Lambdaform as a container image, made from the release archive (its own Java runtime) that the build writes:
#
#   mvn -B -Prelease -DskipTests package
#   docker build --build-arg VERSION=0.1.0-SNAPSHOT -t lambdaform:0.1.0-SNAPSHOT .
#   docker run --rm -v "$PWD:/work" lambdaform:0.1.0-SNAPSHOT plan manifests/hello
#
# python3 and Node.js are there for the local cloud's Python and Node.js handlers (Java runs on the release's own
# runtime); git finds the repository's top, where the local cloud keeps its state.
FROM debian:bookworm-slim
ARG VERSION
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 nodejs git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY target/lambdaform-${VERSION}-linux-x64.tar.gz target/lambdaform-${VERSION}-linux-x64.tar.gz.sha256 target/install.sh /tmp/lambdaform/
RUN sh /tmp/lambdaform/install.sh --prefix /usr/local --archive /tmp/lambdaform/lambdaform-${VERSION}-linux-x64.tar.gz \
 && rm -rf /tmp/lambdaform
WORKDIR /work
ENTRYPOINT ["lambdaform"]
CMD ["--help"]
