package dev.griot.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies Griot's CQL schema ({@code schema/*.cql} on the class path, in file order): keyspace,
 * the journal and snapshot tables of pekko-persistence-cassandra, the read-side tables and the
 * content-addressed blobs of workspace checkpoints.
 *
 * <p>Idempotent: every statement is {@code IF NOT EXISTS}. After each statement it waits for
 * schema agreement, so the next statement (and the first write) sees the change on every node.
 * Placeholders: {@code ${keyspace}} and {@code ${replication}}.
 *
 * <p>As a command ({@code griot schema}): {@code SchemaApplier [keyspace]} applies the schema to
 * the Cassandra named by {@code datastax-java-driver.basic.contact-points}.
 */
public final class SchemaApplier {

  /** The schema files, applied in this order. */
  public static final List<String> FILES = List.of(
      "schema/001-keyspace.cql",
      "schema/002-journal.cql",
      "schema/003-snapshot.cql",
      "schema/004-read-side.cql",
      "schema/005-blobs.cql",
      "schema/006-cluster-lease.cql");

  private SchemaApplier() {}

  /**
   * Applies the schema to {@code keyspace} with the other settings of {@code griot.persistence}
   * from the default config.
   */
  public static void apply(CqlSession session, String keyspace) {
    apply(session, PersistenceSettings.fromConfig(ConfigFactory.load()).withKeyspace(keyspace));
  }

  /** Applies the schema to the settings' keyspace. */
  public static void apply(CqlSession session, PersistenceSettings settings) {
    // Each DDL would otherwise wait for a (debounced, about 1 s) refresh of the driver's schema
    // metadata; pekko-persistence-cassandra turns it off the same way while creating tables.
    session.setSchemaMetadataEnabled(false);
    try {
      for (String statement : statements(settings)) {
        ResultSet result = session.execute(SimpleStatement.newInstance(statement).setTimeout(settings.schemaTimeout()));
        if (!result.getExecutionInfo().isSchemaInAgreement()) {
          awaitAgreement(session, settings, statement);
        }
      }
    } finally {
      session.setSchemaMetadataEnabled(null); // back to the configured setting, refreshing once
    }
  }

  /** Every statement of the schema files for these settings, placeholders substituted. */
  public static List<String> statements(PersistenceSettings settings) {
    Map<String, String> values = Map.of("keyspace", settings.keyspace(), "replication", settings.replication());
    List<String> statements = new ArrayList<>();
    for (String file : FILES) {
      statements.addAll(CqlScript.statements(CqlScript.substitute(read(file), values)));
    }
    return List.copyOf(statements);
  }

  private static void awaitAgreement(CqlSession session, PersistenceSettings settings, String statement) {
    long deadline = System.nanoTime() + settings.agreementTimeout().toNanos();
    while (!session.checkSchemaAgreement()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no schema agreement within " + settings.agreementTimeout() + " after: "
            + statement);
      }
    }
  }

  private static String read(String resource) {
    try (InputStream in = SchemaApplier.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema file " + resource + " missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code SchemaApplier [keyspace]}: applies the schema using the default config. */
  public static void main(String[] args) {
    if (args.length > 1) {
      System.err.println("usage: SchemaApplier [keyspace]");
      System.exit(2);
    }
    Config config = ConfigFactory.load();
    PersistenceSettings settings = PersistenceSettings.fromConfig(config);
    if (args.length == 1) {
      settings = settings.withKeyspace(args[0]);
    }
    try (CqlSession session = CassandraSessions.create(config)) {
      apply(session, settings);
    }
    System.out.println("schema applied to keyspace " + settings.keyspace());
  }
}
