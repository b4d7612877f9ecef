package dev.griot.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Griot's settings of third-party libraries hold whatever order the jars are in: reference.conf
 * files merge in class path order, so a library's own reference.conf can shadow one of Griot's
 * modules; the node's application layer repeats what matters.
 */
class NodeConfigTest {

  @Test
  void griotsPluginSettingsWinOverThePluginsOwnDefaults() {
    var config = NodeConfig.load();
    assertEquals(Duration.ofMillis(200), config.getDuration("pekko.persistence.cassandra.query.refresh-interval"),
        "WatchRun polls the journal every 200 ms, not the plugin's 3 s");
    assertFalse(config.getBoolean("pekko.persistence.cassandra.events-by-tag.enabled"));
    assertFalse(config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate"));
    assertEquals("pekko.persistence.cassandra.journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("on", config.getString("pekko.http.server.enable-http2"));
    assertEquals(Duration.ofSeconds(30), config.getDuration("pekko.cluster.seed-node-timeout"),
        "a restarted first seed waits for busy peers instead of forming a second cluster");
    assertEquals(Duration.ofSeconds(30), config.getDuration("pekko.coordinated-shutdown.phases.before-cluster-shutdown.timeout"));
  }

  @Test
  void seedNodesAndRolesAreGriotKnobsForPekkoSettings() {
    var single = NodeConfig.load();
    assertEquals(java.util.List.of("control", "worker"), single.getStringList("pekko.cluster.roles"));
    assertEquals(java.util.List.of(), single.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(true, single.getBoolean("griot.node.self-join"));

    var member = NodeConfig.load(com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of(
        "griot.node.seed-nodes", "127.0.0.1:25520, 127.0.0.2:25520", "griot.node.roles", "worker")));
    assertEquals(java.util.List.of("pekko://griot@127.0.0.1:25520", "pekko://griot@127.0.0.2:25520"),
        member.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(false, member.getBoolean("griot.node.self-join"), "a node with seeds joins them, not itself");
    assertEquals(java.util.List.of("worker"), member.getStringList("pekko.cluster.roles"));

    var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(
        com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("griot.node.roles", "control,boss"))));
    assertEquals("griot.node.roles: unknown role 'boss' (use control, worker)", bad.getMessage());
    var badSeed = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(
        com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("griot.node.seed-nodes", "127.0.0.1"))));
    assertEquals("griot.node.seed-nodes: '127.0.0.1' is not host:port", badSeed.getMessage());
  }
}
