package dev.griot.persistence.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Remembers the keyspaces tests create on the shared server, in {@code griot_testkit.keyspaces},
 * and drops the ones older than a day-long build could use, so the long-lived server does not
 * pile up tables across builds. The age is {@code griot.testkit.keyspace-max-age-minutes}
 * (default 120).
 */
final class TestKeyspaces {

  static final String REGISTRY = "griot_testkit";
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

  private TestKeyspaces() {}

  /** Creates the registry if needed and drops the keyspaces of earlier builds. */
  static void init(CqlSession session) {
    ddl(session, "CREATE KEYSPACE IF NOT EXISTS " + REGISTRY
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    ddl(session, "CREATE TABLE IF NOT EXISTS " + REGISTRY + ".keyspaces (name text PRIMARY KEY, created_at timestamp)");
    Instant cutoff = Instant.now().minus(maxAge());
    List<Row> rows = session.execute("SELECT name, created_at FROM " + REGISTRY + ".keyspaces").all();
    for (Row row : rows) {
      Instant created = row.getInstant("created_at");
      if (created == null || created.isBefore(cutoff)) {
        drop(session, row.getString("name"));
      }
    }
  }

  /** Records a keyspace a test is about to create. */
  static void register(CqlSession session, String keyspace) {
    session.execute(SimpleStatement.newInstance(
        "INSERT INTO " + REGISTRY + ".keyspaces (name, created_at) VALUES (?, ?)", keyspace, Instant.now()));
  }

  /** Drops a keyspace and forgets it. */
  static void drop(CqlSession session, String keyspace) {
    ddl(session, "DROP KEYSPACE IF EXISTS " + keyspace);
    session.execute(SimpleStatement.newInstance("DELETE FROM " + REGISTRY + ".keyspaces WHERE name = ?", keyspace));
  }

  /** Runs a schema change without waiting for the driver's debounced schema metadata refresh. */
  private static void ddl(CqlSession session, String cql) {
    session.setSchemaMetadataEnabled(false);
    try {
      session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    } finally {
      session.setSchemaMetadataEnabled(null);
    }
  }

  private static Duration maxAge() {
    return Duration.ofMinutes(Long.getLong("griot.testkit.keyspace-max-age-minutes", 120));
  }
}
