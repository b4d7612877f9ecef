#!/usr/bin/env bash
# Issue 4: time for a restarted node to bring back N remembered runs (default 10,000), and the
# warnings about timeouts or failed recoveries meanwhile. Shared local Cassandra.
# BENCH_OPTS="-Dbench.runs=10000".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl cluster-node -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx2g ${BENCH_OPTS:-} -Dlogback.configurationFile=logback-test.xml \
  -cp "cluster-node/target/test-classes:cluster-node/target/classes:$(cat cluster-node/target/test-classpath.txt)" \
  dev.griot.node.RecoveryBenchmark
