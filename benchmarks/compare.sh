#!/usr/bin/env bash
# The peer comparison (see benchmarks/README.md): awaitj against Kotlin coroutines, virtual threads,
# CompletableFuture chains, Node and python3 asyncio, scenario by scenario, each run in a fresh
# process, awaitj and the peers interleaved round by round; prints a table per scenario and a summary.
#   bash benchmarks/compare.sh --quick    # counts scaled down, 3 rounds (under 5 minutes here)
#   bash benchmarks/compare.sh            # the full counts, 5 rounds
# Other arguments go to io.awaitj.benchmarks.compare.Compare: --rounds N, --only sleep,heap,...
# JAVA (default: the Temurin 25 on this machine, else java) runs the JVM peers; virtual threads need
# JDK 21 or later. node and python3 are taken from PATH; a missing one is skipped with a message.
# The jar is built with the Kotlin side (Maven profile compare) when it is missing, lacks the Kotlin
# classes, or is older than a source of the runtime, the processor or the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
JAR=benchmarks/target/benchmarks.jar
stale() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find runtime/src/main processor/src/main benchmarks/src/main benchmarks/pom.xml \
      pom.xml -newer "$JAR" -print -quit)" ] && return 0
  ! "$JAVA" -cp "$JAR" io.awaitj.benchmarks.compare.PeerMain available | grep -q 'kotlin=true'
}
if stale; then
  echo "building $JAR with the Kotlin side (mvn -Pcompare) ..." >&2
  mvn -q -B -ntp -pl benchmarks -am package -DskipTests -Pcompare
fi
exec "$JAVA" -cp "$JAR" io.awaitj.benchmarks.compare.Compare --java "$JAVA" "$@"
