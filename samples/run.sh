#!/usr/bin/env bash
# Runs the samples' tour, quietly: builds what it needs (runtime, processor, samples; no
# tests), then prints only the tour. With names, runs only those samples:
#   samples/run.sh                  every sample, in order
#   samples/run.sh Timed ChatServer two of them (names are the classes' simple names)
# Extra Maven options (-o for offline, say) go in MVN_OPTS_EXTRA.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Maven's output is shown only if the build fails (even -q prints a few terminal escapes).
if ! mvn -B -ntp -q ${MVN_OPTS_EXTRA:-} -pl runtime,processor,samples -am -DskipTests \
    package >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' samples/pom.xml | head -1)
cp="samples/target/classes:runtime/target/awaitj-runtime-$version.jar"
java -cp "$cp" io.awaitj.samples.Tour "$@"
