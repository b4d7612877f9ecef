package dev.griot.persistence.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link BlobStore} in Cassandra's {@code blob_chunks} table (schema in
 * {@code schema/005-blobs.cql}): one row per blob, keyed by its hash. Requests run with the
 * driver profile {@value #PROFILE} ({@code datastax-java-driver.profiles} in this module's
 * {@code reference.conf}): QUORUM, like the journal, and idempotent (the same key always holds the
 * same bytes), so the driver may retry them.
 */
public final class CassandraBlobStore implements BlobStore {

  /** The driver execution profile of blob requests. */
  public static final String PROFILE = "griot-blobs";

  private final CompletionStage<CqlSession> session;
  private final CompletionStage<PreparedStatement> insert;
  private final CompletionStage<PreparedStatement> select;

  public CassandraBlobStore(CompletionStage<CqlSession> session, String keyspace) {
    this.session = session;
    this.insert = session.thenCompose(s -> s.prepareAsync(
        "INSERT INTO " + keyspace + ".blob_chunks (hash, data) VALUES (?, ?)"));
    this.select = session.thenCompose(s -> s.prepareAsync(
        "SELECT data FROM " + keyspace + ".blob_chunks WHERE hash = ?"));
  }

  @Override
  public CompletionStage<Void> put(String hash, byte[] data) {
    return insert.thenCompose(ps -> session.thenCompose(s -> s.executeAsync(
            ps.bind(hash, ByteBuffer.wrap(data)).setExecutionProfileName(PROFILE))))
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(String hash) {
    return select.thenCompose(ps -> session.thenCompose(s -> s.executeAsync(ps.bind(hash).setExecutionProfileName(PROFILE))))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraBlobStore::data));
  }

  private static byte[] data(Row row) {
    ByteBuffer buffer = row.getByteBuffer("data");
    if (buffer == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
