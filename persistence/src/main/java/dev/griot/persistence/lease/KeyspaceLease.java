package dev.griot.persistence.lease;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The lease row of a keyspace ({@code cluster_lease}, schema {@code 006-cluster-lease.cql}): who
 * holds it and how often it was renewed. Every write is a lightweight transaction (Paxos at
 * SERIAL), so of two writers that both saw the same row only one succeeds; a write that does not
 * apply returns the row as it is. Rows carry a TTL: a lease nobody renews disappears.
 */
public final class KeyspaceLease {

  /** The driver execution profile of lease requests. */
  public static final String PROFILE = "griot-lease";

  /** The one row's key. */
  static final String NAME = "cluster";

  /** The row: its holder (a cluster member's unique address) and its renewal count. */
  public record Row(String holder, long renewals) {}

  /**
   * What a write found: {@code applied} when this writer holds the lease now; the row as it is
   * after the write (empty when there is none).
   */
  public record Outcome(boolean applied, Optional<Row> row) {}

  private final CompletionStage<CqlSession> session;
  private final CompletionStage<PreparedStatement> insert;
  private final CompletionStage<PreparedStatement> update;

  public KeyspaceLease(CompletionStage<CqlSession> session, String keyspace) {
    this.session = session;
    this.insert = session.thenCompose(s -> s.prepareAsync("INSERT INTO " + keyspace
        + ".cluster_lease (name, holder, renewals) VALUES (?, ?, 0) IF NOT EXISTS USING TTL ?"));
    this.update = session.thenCompose(s -> s.prepareAsync("UPDATE " + keyspace
        + ".cluster_lease USING TTL ? SET holder = ?, renewals = ? WHERE name = ? IF holder = ? AND renewals = ?"));
  }

  /** Takes the lease if nobody holds it. */
  public CompletionStage<Outcome> acquire(String holder, Duration ttl) {
    return insert.thenCompose(ps -> session.thenCompose(s -> s.executeAsync(ps.bind(NAME, holder, ttlSeconds(ttl)).setExecutionProfileName(PROFILE))))
        .thenApply(rs -> outcome(rs, new Row(holder, 0)));
  }

  /** Renews (or takes over) the lease if its row is still exactly {@code seen}. */
  public CompletionStage<Outcome> renew(String holder, Row seen, Duration ttl) {
    return update.thenCompose(ps -> session.thenCompose(s -> s.executeAsync(
            ps.bind(ttlSeconds(ttl), holder, seen.renewals() + 1, NAME, seen.holder(), seen.renewals()).setExecutionProfileName(PROFILE))))
        .thenApply(rs -> outcome(rs, new Row(holder, seen.renewals() + 1)));
  }

  private static Outcome outcome(AsyncResultSet rs, Row written) {
    if (rs.wasApplied()) return new Outcome(true, Optional.of(written)); // before the row is read
    com.datastax.oss.driver.api.core.cql.Row r = rs.one();
    if (r == null || r.isNull("holder")) return new Outcome(false, Optional.empty());
    return new Outcome(false, Optional.of(new Row(r.getString("holder"), r.isNull("renewals") ? 0 : r.getLong("renewals"))));
  }

  private static int ttlSeconds(Duration ttl) {
    return (int) Math.max(1, ttl.toSeconds());
  }
}
