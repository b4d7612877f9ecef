package dev.griot.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * Loads a node's configuration: {@code application.conf} (and whatever overrides the caller
 * gives) over the modules' {@code reference.conf}, with the one keyspace knob,
 * {@code griot.persistence.keyspace}, copied to the journal and snapshot plugins.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config load(Config overrides) {
    Config base = overrides.withFallback(ConfigFactory.load());
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
