package dev.griot.persistence.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.deploy.cassandra.CassandraLauncher;
import dev.griot.deploy.cassandra.StartResult;
import dev.griot.persistence.CassandraSessions;
import dev.griot.persistence.PersistenceSettings;
import dev.griot.persistence.SchemaApplier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real Cassandra for tests, shared by every test JVM of a build.
 *
 * <p>{@link #ensureStarted()} starts the development Cassandra through
 * {@link CassandraLauncher} the first time it is needed and reuses it afterwards (also across
 * JVMs and builds: the server is left running; the launcher's file lock in {@code griot.home}
 * keeps two JVMs from starting two servers). Each test class isolates its data in a
 * {@link #freshKeyspace(String) fresh keyspace} holding the full schema, and points Pekko at it
 * with {@link #config(String)}; keyspaces of earlier builds are dropped after a while (see
 * {@link #dropKeyspace(String)}):
 *
 * <pre>{@code
 * String keyspace = TestCassandra.freshKeyspace("runs");
 * ActorTestKit testKit = ActorTestKit.create(TestCassandra.config(keyspace).withFallback(ConfigFactory.load()));
 * }</pre>
 *
 * <p>Settings (port, heap, folders) are the launcher's system properties, e.g.
 * {@code -Dgriot.cassandra.port=9042}.
 */
public final class TestCassandra {

  /** Where CQL answers. */
  public record Endpoint(String host, int port) {
    /** {@code host:port}, as in {@code datastax-java-driver.basic.contact-points}. */
    public String contactPoint() {
      return host + ":" + port;
    }
  }

  private static Endpoint endpoint;
  private static CqlSession session;

  private TestCassandra() {}

  /** Makes sure the shared Cassandra answers CQL (starting it if needed) and returns where. */
  public static synchronized Endpoint ensureStarted() {
    if (endpoint == null) {
      CassandraLauncher launcher = CassandraLauncher.fromSystemProperties();
      StartResult result = launcher.start();
      if (result.outcome() == StartResult.Outcome.STARTED) {
        System.out.println("[TestCassandra] cassandra " + result.describe());
      }
      endpoint = new Endpoint(launcher.host(), launcher.port());
    }
    return endpoint;
  }

  /**
   * A session to the shared Cassandra, without a keyspace; it is closed when the JVM exits.
   * Do not close it.
   */
  public static synchronized CqlSession session() {
    if (session == null) {
      Endpoint at = ensureStarted();
      session = CassandraSessions.create(driverConfig(at).withFallback(ConfigFactory.load()));
      TestKeyspaces.init(session);
      CqlSession toClose = session;
      Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "test-cassandra-session-close"));
    }
    return session;
  }

  /**
   * Creates a keyspace with a unique name starting with {@code prefix} and applies the full Griot
   * schema (journal, snapshots, read side) to it.
   *
   * @return the keyspace name
   */
  public static String freshKeyspace(String prefix) {
    String keyspace = uniqueName(prefix);
    TestKeyspaces.register(session(), keyspace);
    SchemaApplier.apply(session(), PersistenceSettings.fromConfig(ConfigFactory.load()).withKeyspace(keyspace));
    return keyspace;
  }

  /**
   * Drops a keyspace made by {@link #freshKeyspace(String)}. Optional: keyspaces left behind are
   * dropped by a later build once they are older than {@code griot.testkit.keyspace-max-age-minutes}
   * (default 120).
   */
  public static void dropKeyspace(String keyspace) {
    TestKeyspaces.drop(session(), PersistenceSettings.requireValidKeyspace(keyspace));
  }

  /**
   * Config pointing Pekko Persistence (journal, snapshot store, query) and the driver at the
   * shared Cassandra and {@code keyspace}. It holds only these settings: layer it over the rest
   * with {@code TestCassandra.config(keyspace).withFallback(ConfigFactory.load())}.
   */
  public static Config config(String keyspace) {
    PersistenceSettings.requireValidKeyspace(keyspace);
    Endpoint at = ensureStarted();
    Map<String, Object> settings = Map.of(
        "pekko.persistence.journal.plugin", "pekko.persistence.cassandra.journal",
        "pekko.persistence.snapshot-store.plugin", "pekko.persistence.cassandra.snapshot",
        "pekko.persistence.cassandra.journal.keyspace", keyspace,
        "pekko.persistence.cassandra.journal.keyspace-autocreate", false,
        "pekko.persistence.cassandra.journal.tables-autocreate", false,
        "pekko.persistence.cassandra.snapshot.keyspace", keyspace,
        "pekko.persistence.cassandra.snapshot.keyspace-autocreate", false,
        "pekko.persistence.cassandra.snapshot.tables-autocreate", false,
        "pekko.persistence.cassandra.events-by-tag.enabled", false,
        "griot.persistence.keyspace", keyspace);
    return ConfigFactory.parseMap(settings, "TestCassandra.config(" + keyspace + ")")
        .withFallback(driverConfig(at));
  }

  private static Config driverConfig(Endpoint at) {
    return ConfigFactory.parseMap(Map.of(
        "datastax-java-driver.basic.contact-points", List.of(at.contactPoint()),
        "datastax-java-driver.basic.load-balancing-policy.local-datacenter", "datacenter1"),
        "TestCassandra driver");
  }

  /** {@code prefix} made a valid identifier (at most 30 characters) plus a random suffix. */
  static String uniqueName(String prefix) {
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "t_" + base;
    }
    if (base.length() > 30) {
      base = base.substring(0, 30);
    }
    String suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    return base + "_" + suffix;
  }
}
