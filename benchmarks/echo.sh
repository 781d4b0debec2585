#!/usr/bin/env bash
# The echo benchmark of issue 12 (see benchmarks/README.md): awaitj's streams against asyncio streams,
# asyncio on uvloop, Node's net, Netty 4.2 and blocking sockets on virtual threads, each server in a
# process of its own, the same awaitj client against each.
#   bash benchmarks/echo.sh --quick    # 1 round, 1 s warm-up + 2 s per scenario (about 2 minutes)
#   bash benchmarks/echo.sh            # 3 rounds, 2 s + 5 s
# Other arguments go to io.awaitj.benchmarks.echo.Echo: --rounds N, --only awaitj,netty,...
# JAVA (default: the Temurin 25 on this machine, else java) runs the JVM servers and the client.
# uvloop: Debian packages it for its own python3 (apt-get install python3-uvloop); where no python3
# can import it, the uvloop server is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
JAR=benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ] || [ -n "$(find runtime/src/main processor/src/main \
    benchmarks/src/main benchmarks/pom.xml pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "building $JAR ..." >&2
  mvn -q -B -ntp -pl benchmarks -am package -DskipTests
fi
exec "$JAVA" -cp "$JAR" io.awaitj.benchmarks.echo.Echo --java "$JAVA" --jar "$JAR" "$@"
