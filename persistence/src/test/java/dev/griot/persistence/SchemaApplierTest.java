package dev.griot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.griot.persistence.testkit.TestCassandra;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Applies the schema files to a fresh keyspace of the real Cassandra. */
class SchemaApplierTest {

  private static String keyspace;
  private static CqlSession session;

  @BeforeAll
  static void createKeyspace() {
    keyspace = TestCassandra.freshKeyspace("schema");
    session = TestCassandra.session();
  }

  @AfterAll
  static void dropKeyspace() {
    TestCassandra.dropKeyspace(keyspace);
  }

  @Test
  void createsTheJournalSnapshotReadSideBlobAndLeaseTables() {
    Set<String> tables = session.execute(SimpleStatement.newInstance(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))
        .all().stream().map(row -> row.getString("table_name")).collect(Collectors.toSet());
    assertEquals(Set.of("messages", "metadata", "all_persistence_ids", "snapshots", "run_summaries", "blob_chunks", "cluster_lease"),
        tables);
    Row index = session.execute(SimpleStatement.newInstance(
            "SELECT kind, options FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ? AND index_name = ?",
            keyspace, "run_summaries", "run_summaries_state"))
        .one();
    assertTrue(index != null, "run_summaries_state index exists");
    assertEquals("CUSTOM", index.getString("kind"));
    String indexClass = index.getMap("options", String.class, String.class).get("class_name");
    assertTrue(indexClass.equalsIgnoreCase("sai") || indexClass.endsWith("StorageAttachedIndex"), indexClass);
  }

  @Test
  void isIdempotent() {
    SchemaApplier.apply(session, keyspace);
    SchemaApplier.apply(session, keyspace);
  }

  @Test
  void journalMessagesTableTakesAWriteAndAReadBack() {
    UUID timestamp = Uuids.timeBased();
    ByteBuffer event = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
    session.execute(SimpleStatement.newInstance(
        "INSERT INTO " + keyspace + ".messages (persistence_id, partition_nr, sequence_nr, timestamp, timebucket, "
            + "writer_uuid, ser_id, ser_manifest, event_manifest, event, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "run|r1", 0L, 1L, timestamp, "20260101T00", UUID.randomUUID().toString(), 42, "m", "", event, Set.of()));
    Row row = session.execute(SimpleStatement.newInstance(
            "SELECT sequence_nr, timestamp, ser_id, event FROM " + keyspace
                + ".messages WHERE persistence_id = ? AND partition_nr = ?", "run|r1", 0L))
        .one();
    assertEquals(1L, row.getLong("sequence_nr"));
    assertEquals(timestamp, row.getUuid("timestamp"));
    assertEquals(42, row.getInt("ser_id"));
    assertEquals("hello", StandardCharsets.UTF_8.decode(row.getByteBuffer("event")).toString());
  }

  @Test
  void runSummariesKeepTheNewestSequenceNrAndAreQueryableByState() {
    String upsert = "UPDATE " + keyspace + ".run_summaries USING TIMESTAMP ? "
        + "SET state = ?, last_sequence_nr = ? WHERE run_id = ?";
    // the update for event 3 arrives before the one for event 2: event 3's state must stay
    session.execute(SimpleStatement.newInstance(upsert, 3L, "SUCCEEDED", 3L, "r1"));
    session.execute(SimpleStatement.newInstance(upsert, 2L, "RUNNING", 2L, "r1"));
    session.execute(SimpleStatement.newInstance(upsert, 1L, "RUNNING", 1L, "r2"));
    Row r1 = session.execute(SimpleStatement.newInstance(
        "SELECT state, last_sequence_nr FROM " + keyspace + ".run_summaries WHERE run_id = ?", "r1")).one();
    assertEquals("SUCCEEDED", r1.getString("state"));
    assertEquals(3L, r1.getLong("last_sequence_nr"));
    List<String> running = session.execute(SimpleStatement.newInstance(
            "SELECT run_id FROM " + keyspace + ".run_summaries WHERE state = ?", "RUNNING"))
        .all().stream().map(row -> row.getString("run_id")).toList();
    assertEquals(List.of("r2"), running);
  }
}
