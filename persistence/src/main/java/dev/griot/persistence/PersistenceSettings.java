package dev.griot.persistence;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Griot's own persistence settings, read from the {@code griot.persistence} section of
 * {@code reference.conf}.
 *
 * @param keyspace          keyspace of journal, snapshots and read models
 * @param replication       CQL replication map used when the schema creates the keyspace
 * @param schemaTimeout     request timeout of each schema statement
 * @param agreementTimeout  how long to wait for schema agreement after each schema change
 */
public record PersistenceSettings(
    String keyspace, String replication, Duration schemaTimeout, Duration agreementTimeout) {

  private static final Pattern KEYSPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  public PersistenceSettings {
    requireValidKeyspace(keyspace);
  }

  /** Reads {@code griot.persistence} from a config that includes this module's reference.conf. */
  public static PersistenceSettings fromConfig(Config config) {
    Config c = config.getConfig("griot.persistence");
    return new PersistenceSettings(
        c.getString("keyspace"),
        c.getString("schema.replication"),
        c.getDuration("schema.statement-timeout"),
        c.getDuration("schema.agreement-timeout"));
  }

  /** The same settings for another keyspace. */
  public PersistenceSettings withKeyspace(String otherKeyspace) {
    return new PersistenceSettings(otherKeyspace, replication, schemaTimeout, agreementTimeout);
  }

  /**
   * Checks that {@code keyspace} is a plain unquoted CQL identifier (a letter, then at most 47
   * letters, digits or underscores), since it is substituted into CQL text.
   */
  public static String requireValidKeyspace(String keyspace) {
    if (keyspace == null || !KEYSPACE.matcher(keyspace).matches()) {
      throw new IllegalArgumentException("not a valid keyspace name: " + keyspace);
    }
    return keyspace;
  }
}
