package dev.griot.node.cli;

import dev.griot.deploy.cassandra.CassandraLauncher;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "cassandra", description = "The local development Cassandra (docs/cassandra.md).")
final class CassandraCommand {
  private final CassandraLauncher launcher = CassandraLauncher.fromSystemProperties();

  @Command(mixinStandardHelpOptions = true, description = "Fetch the Cassandra server jars from Maven Central (once).")
  void fetch() {
    System.out.println(launcher.fetch() ? "fetched" : "already fetched");
  }

  @Command(mixinStandardHelpOptions = true, description = "Start Cassandra unless one answers on the port.")
  void start() {
    System.out.println("cassandra " + launcher.start().describe());
  }

  @Command(mixinStandardHelpOptions = true, description = "Stop the Cassandra this launcher started.")
  void stop() {
    System.out.println(launcher.stop() ? "cassandra stopped" : "no cassandra of ours was running");
  }

  @Command(mixinStandardHelpOptions = true, description = "Is Cassandra running? Exits 3 when it does not answer CQL.")
  int status() {
    var status = launcher.status();
    System.out.println(status.describe());
    return status.answering() ? 0 : 3;
  }
}
