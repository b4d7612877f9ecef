#!/usr/bin/env bash
# Issue 3: concurrent scripted harness slots on one node, heap and RSS per active run.
# BENCH_OPTS="-Dbench.slots=8,16,32 -Dbench.turns=10 -Dbench.line-delay-ms=300"
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl cluster-node dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx2g ${BENCH_OPTS:-} -Dlogback.configurationFile=logback-test.xml \
  -cp "cluster-node/target/test-classes:cluster-node/target/classes:$(cat cluster-node/target/test-classpath.txt)" \
  dev.griot.node.SlotsBenchmark
