package dev.griot.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import org.apache.pekko.stream.connectors.cassandra.DriverConfigLoaderFromConfig;

/**
 * Builds Java driver sessions from the same {@code datastax-java-driver} config block that
 * pekko-persistence-cassandra uses, so tools (schema, read side) and the journal reach the same
 * Cassandra: contact points, local data center ({@code datacenter1} for the development node) and
 * every other driver setting come from config.
 */
public final class CassandraSessions {

  /** The config path of the driver block used by default. */
  public static final String DRIVER_CONFIG_PATH = "datastax-java-driver";

  private CassandraSessions() {}

  /** A session configured by {@code datastax-java-driver} of {@code config}. */
  public static CqlSession create(Config config) {
    return create(config, DRIVER_CONFIG_PATH);
  }

  /**
   * A session configured by the driver block at {@code driverConfigPath} of {@code config}.
   * Missing settings fall back to the driver's own reference.conf, as the config is expected to be
   * loaded with reference files ({@code ConfigFactory.load()}).
   */
  public static CqlSession create(Config config, String driverConfigPath) {
    return CqlSession.builder()
        .withConfigLoader(DriverConfigLoaderFromConfig.fromConfig(config.getConfig(driverConfigPath)))
        .build();
  }
}
