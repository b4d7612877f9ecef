package dev.griot.agent.readside;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.griot.agent.run.RunStatus;
import dev.griot.agent.run.RunSummaryStore;
import dev.griot.agent.run.RunView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The run read side in Cassandra's {@code run_summaries} table (schema in
 * {@code persistence/src/main/resources/schema/}). Every write carries the run's journal sequence
 * number as its write time, so a late or repeated write never overwrites a newer state.
 */
public final class CassandraRunSummaryStore implements RunSummaryStore {

  static final int PREVIEW_LENGTH = 120;

  private final CompletionStage<CqlSession> session;
  private final CompletionStage<PreparedStatement> upsert;
  private final String keyspace;

  public CassandraRunSummaryStore(CompletionStage<CqlSession> session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
    this.upsert = session.thenCompose(s -> s.prepareAsync(
        "INSERT INTO " + keyspace + ".run_summaries (run_id, state, harness, queue, prompt_preview, attempt, turns,"
            + " created_at, updated_at, last_sequence_nr, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " USING TIMESTAMP ?"));
  }

  @Override
  public CompletionStage<Void> upsert(RunView view) {
    var r = view.record();
    String prompt = r.spec().prompt();
    return upsert.thenCompose(ps -> session.thenCompose(s -> s.executeAsync(ps.bind(
            r.runId(), view.status().name(), r.spec().harness(), r.spec().queue(),
            prompt.length() > PREVIEW_LENGTH ? prompt.substring(0, PREVIEW_LENGTH) : prompt,
            r.attemptNumber(), r.completedTurns(), r.submittedAt(), r.updatedAt(), view.lastSequenceNr(),
            r.lastFailure(), view.lastSequenceNr()))))
        .thenApply(rs -> null);
  }

  /** A page of summaries, optionally of one state, and the token of the next page. */
  public record Page(List<RunSummary> runs, String nextPageToken) {}

  public CompletionStage<Page> list(Optional<RunStatus> status, int pageSize, String pageToken) {
    String cql = "SELECT run_id, state, harness, queue, prompt_preview, attempt, turns, created_at, updated_at,"
        + " failure, last_sequence_nr FROM " + keyspace + ".run_summaries"
        + status.map(s -> " WHERE state = ?").orElse("");
    SimpleStatement stmt = status.isPresent()
        ? SimpleStatement.newInstance(cql, status.get().name())
        : SimpleStatement.newInstance(cql);
    stmt = stmt.setPageSize(pageSize);
    if (!pageToken.isEmpty()) stmt = stmt.setPagingState(ByteBuffer.wrap(Base64.getUrlDecoder().decode(pageToken)));
    SimpleStatement bound = stmt;
    return session.thenCompose(s -> s.executeAsync(bound)).thenApply(CassandraRunSummaryStore::page);
  }

  private static Page page(AsyncResultSet rs) {
    List<RunSummary> runs = new ArrayList<>();
    for (Row row : rs.currentPage()) runs.add(summary(row));
    ByteBuffer next = rs.hasMorePages() ? rs.getExecutionInfo().getPagingState() : null;
    String token = "";
    if (next != null) {
      byte[] bytes = new byte[next.remaining()];
      next.duplicate().get(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    return new Page(runs, token);
  }

  private static RunSummary summary(Row row) {
    return new RunSummary(
        row.getString("run_id"), RunStatus.valueOf(row.getString("state")), row.getString("harness"),
        row.getString("queue"), row.getString("prompt_preview"), row.getInt("attempt"), row.getInt("turns"),
        row.getInstant("created_at"), row.getInstant("updated_at"), row.getString("failure"),
        row.getLong("last_sequence_nr"));
  }
}
