package dev.griot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class PersistenceSettingsTest {

  private final Config config = ConfigFactory.load();

  @Test
  void referenceConfPointsPekkoPersistenceAtGriotsKeyspace() {
    PersistenceSettings settings = PersistenceSettings.fromConfig(config);
    assertEquals("griot", settings.keyspace());
    assertEquals("pekko.persistence.cassandra.journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("pekko.persistence.cassandra.snapshot", config.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals(settings.keyspace(), config.getString("pekko.persistence.cassandra.journal.keyspace"));
    assertEquals(settings.keyspace(), config.getString("pekko.persistence.cassandra.snapshot.keyspace"));
    assertFalse(config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate"));
    assertFalse(config.getBoolean("pekko.persistence.cassandra.events-by-tag.enabled"));
    assertEquals("datacenter1", config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"));
  }

  @Test
  void refusesKeyspaceNamesThatAreNotPlainIdentifiers() {
    PersistenceSettings settings = PersistenceSettings.fromConfig(config);
    assertThrows(IllegalArgumentException.class, () -> settings.withKeyspace("x; DROP KEYSPACE griot"));
    assertThrows(IllegalArgumentException.class, () -> settings.withKeyspace("1abc"));
    assertThrows(IllegalArgumentException.class, () -> settings.withKeyspace("a".repeat(49)));
    assertEquals("a".repeat(48), settings.withKeyspace("a".repeat(48)).keyspace());
  }
}
