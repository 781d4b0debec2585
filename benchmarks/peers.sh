#!/usr/bin/env bash
# The whole-process peer comparison (see benchmarks/README.md): the WaitingTasks workload on awaitj,
# on virtual threads and on platform threads, each in a fresh JVM with the same fixed heap.
#   bash benchmarks/peers.sh            # 100,000 and 1,000,000 tasks; platform threads at 10,000
#   JAVA=/path/to/java bash benchmarks/peers.sh 50000
# Virtual threads need JDK 21 or later: JAVA defaults to the Temurin 25 on this machine if present.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -q -B -pl benchmarks -am package -DskipTests
SIZES=("${@:-100000 1000000}")
run() { "$JAVA" -Xms6g -Xmx6g -cp "$JAR" io.awaitj.benchmarks.peers.WaitingTasks "$1" "$2"; }
"$JAVA" -version 2>&1 | head -1
for n in ${SIZES[@]}; do
  run awaitj "$n"
  run virtual "$n"
done
run platform 10000
run awaitj 10000
run virtual 10000
