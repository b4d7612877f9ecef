package dev.griot.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a node's configuration: the caller's overrides, then system properties, then
 * {@code application.conf}, then the modules' {@code reference.conf}; then the knobs Griot offers
 * for Pekko settings: {@code griot.persistence.keyspace} copied to the journal and snapshot
 * plugins, {@code griot.node.seed-nodes} ("host:port,...") to {@code pekko.cluster.seed-nodes}
 * (and self-join off), {@code griot.node.roles} to {@code pekko.cluster.roles}.
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
    Map<String, Object> derived = new HashMap<>(Map.of(
        "pekko.persistence.cassandra.journal.keyspace", keyspace,
        "pekko.persistence.cassandra.snapshot.keyspace", keyspace));
    List<String> seeds = list(base.getString("griot.node.seed-nodes"));
    if (!seeds.isEmpty()) {
      derived.put("pekko.cluster.seed-nodes", seeds.stream().map(NodeConfig::seedAddress).toList());
      derived.put("griot.node.self-join", false);
    }
    List<String> roles = list(base.getString("griot.node.roles"));
    if (!roles.isEmpty()) {
      for (String r : roles)
        if (!r.equals(CONTROL) && !r.equals(WORKER))
          throw new IllegalArgumentException("griot.node.roles: unknown role '" + r + "' (use control, worker)");
      derived.put("pekko.cluster.roles", roles);
    }
    return ConfigFactory.parseMap(derived).withFallback(base).resolve();
  }

  /** Hosts run entities and serves gRPC. */
  public static final String CONTROL = dev.griot.agent.run.RunEntity.ROLE;
  /** Has harness slots. */
  public static final String WORKER = "worker";

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code host:port} (or a full {@code pekko://griot@host:port}) as a seed node address. */
  private static String seedAddress(String seed) {
    if (seed.startsWith("pekko://")) return seed;
    if (!seed.matches("[^:/@]+:\\d+"))
      throw new IllegalArgumentException("griot.node.seed-nodes: '" + seed + "' is not host:port");
    return "pekko://griot@" + seed;
  }

  public static Config load() {
    return load(ConfigFactory.empty());
  }
}
