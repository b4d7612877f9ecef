#!/usr/bin/env bash
# Issue 3: harness line → journaled event latency (p50/p99/max) on one node, the harness in the
# process sandbox, against one raw Cassandra driver write of a row of the same size, in the same run.
# BENCH_OPTS="-Dbench.runs=5 -Dbench.turns=400 -Dbench.warmup-turns=300 -Dbench.gap-ms=20"
# Builds in the reactor (no install into ~/.m2). Needs bubblewrap and python3 (the stand-in harness).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r), $(java -version 2>&1 | head -1)"
mvn -q -B -DskipTests -pl cluster-node -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx1g ${BENCH_OPTS:-} -Dlogback.configurationFile=logback-test.xml \
  -cp "cluster-node/target/test-classes:cluster-node/target/classes:$(cat cluster-node/target/test-classpath.txt)" \
  dev.griot.node.LatencyBenchmark
