package dev.griot.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** Settings of one Griot node, read from {@code griot.node} (defaults in {@code reference.conf}). */
public record NodeSettings(
    String grpcHost, int grpcPort, boolean selfJoin, boolean applySchema, String keyspace, Path home, Duration askTimeout) {

  /**
   * Where this node notes the harness processes it starts, so its next incarnation on the same
   * address can end those a crash left behind.
   */
  public java.nio.file.Path harnessNotes(String host, int port) {
    return home.resolve("nodes").resolve(host + "-" + port).resolve("harnesses");
  }

  public static NodeSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.node");
    String home = c.getString("home");
    return new NodeSettings(
        c.getString("grpc-host"),
        c.getInt("grpc-port"),
        c.getBoolean("self-join"),
        c.getBoolean("apply-schema"),
        root.getString("griot.persistence.keyspace"),
        home.isBlank() ? Path.of(System.getProperty("user.home"), ".griot") : Path.of(home),
        c.getDuration("ask-timeout"));
  }
}
