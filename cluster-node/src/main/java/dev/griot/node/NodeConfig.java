package dev.griot.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * Loads a node's configuration: the caller's overrides, then system properties, then
 * {@code application.conf}, then the modules' {@code reference.conf}, with the one keyspace knob,
 * {@code griot.persistence.keyspace}, copied to the journal and snapshot plugins.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config load(Config overrides) {
    // Resolved only once everything is layered, so a substitution such as the driver's contact
    // points (${griot.node.cassandra-contact-point}) follows an override given here.
    Config base = overrides
        .withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
    String keyspace = base.getString("griot.persistence.keyspace");
    return ConfigFactory.parseMap(Map.of(
            "pekko.persistence.cassandra.journal.keyspace", keyspace,
            "pekko.persistence.cassandra.snapshot.keyspace", keyspace))
        .withFallback(base)
        .resolve();
  }

  public static Config load() {
    return load(ConfigFactory.empty());
  }
}
