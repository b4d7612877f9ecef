#!/usr/bin/env bash
# Issue 4: failover time (SIGKILL -> first new journaled event of each affected run), p50/p99, with
# Griot's cluster settings and, in the same run, Pekko's default failure-detector and split-brain
# settings. Three node JVMs on 127.0.0.1-3 per round, the shared local Cassandra.
# Also measured: Griot with faster downing (stable-after 2s, pause 1.5s); -Dbench.skip-fast=true
# leaves it out; -Dbench.only=cluster.conf runs only the settings whose name holds the word.
# BENCH_OPTS="-Dbench.runs=45 -Dbench.rounds=2". Needs bubblewrap and /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl cluster-node -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx1g ${BENCH_OPTS:-} -Dlogback.configurationFile=logback-test.xml \
  -cp "cluster-node/target/test-classes:cluster-node/target/classes:$(cat cluster-node/target/test-classpath.txt)" \
  dev.griot.node.FailoverBenchmark
