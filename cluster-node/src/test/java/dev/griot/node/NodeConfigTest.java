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
  }
}
