package dev.griot.deploy.cassandra;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@link CassandraLauncher#status()} found.
 *
 * @param answering    whether a CQL server answers on the port (whoever started it)
 * @param pid          the pid recorded by the launcher, if any
 * @param processAlive whether the recorded process is alive
 * @param host         CQL host
 * @param port         CQL port
 * @param dataDir      data folder of the launcher's Cassandra
 * @param logFile      log file of the launcher's Cassandra
 */
public record CassandraStatus(
    boolean answering, OptionalLong pid, boolean processAlive, String host, int port, Path dataDir, Path logFile) {

  /** A few human-readable lines. */
  public String describe() {
    String state = answering ? "running" : processAlive ? "starting (CQL not answering yet)" : "stopped";
    return "cassandra: " + state + "\n"
        + "pid:       " + (pid.isPresent() ? pid.getAsLong() + (processAlive ? "" : " (not alive)") : "-") + "\n"
        + "cql:       " + host + ":" + port + "\n"
        + "data dir:  " + dataDir + "\n"
        + "log:       " + logFile;
  }
}
