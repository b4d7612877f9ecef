package dev.griot.agent.harness.scripted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Writes what a scripted attempt prints: {@code system/init} with the session id, turns {@code
 * completedTurns + 1} to {@code turns} taken cyclically from the transcript (message and tool ids
 * suffixed with {@code _<turn>} so they stay unique), and the {@code result} with {@code
 * num_turns} set to {@code turns}; or the failure the options ask for. Returns the exit code.
 */
final class ScriptedReplay {

  /** Where lines go: one JSON object per line, flushed at once. */
  interface LineSink {
    void line(ObjectNode line) throws IOException;

    /**
     * Turn {@code turn} is printed whole, and the next line (the one that tells a reader of the
     * stream that the turn ended: the next turn's first, the result, a failure) comes next.
     */
    default void turnDone(int turn) throws IOException {}
  }

  /** Exit code of the failing modes and of an error result. */
  static final int FAILED = 1;

  private final ScriptedTranscript transcript;
  private final ScriptedOptions options;
  private final int attempt;
  private final String sessionId;
  private final int completedTurns;
  /** Where lines go, each after the pending {@link LineSink#turnDone} (see {@link #emit}). */
  private final LineSink out;
  private final LineSink sink;
  /** The turn printed whole whose {@link LineSink#turnDone} is told before the next line; 0: none. */
  private int donePending;

  ScriptedReplay(
      ScriptedTranscript transcript,
      ScriptedOptions options,
      int attempt,
      String sessionId,
      int completedTurns,
      LineSink out) {
    this.transcript = transcript;
    this.options = options;
    this.attempt = attempt;
    this.sessionId = sessionId;
    this.completedTurns = completedTurns;
    this.sink = out;
    this.out = this::emit;
  }

  private void emit(ObjectNode line) throws IOException {
    if (donePending > 0) {
      sink.turnDone(donePending);
      donePending = 0;
    }
    sink.line(line);
  }

  int run() throws IOException {
    if (transcript.turns.isEmpty()) return replayVerbatim();
    int total = options.turns().orElse(transcript.turns.size());
    ObjectNode init = withSession(transcript.init.map(ObjectNode::deepCopy).orElseGet(this::syntheticInit));
    if (init.has("cwd")) init.put("cwd", System.getProperty("user.dir"));
    out.line(init);
    boolean failing = options.fails(attempt);
    int failAfter = options.failAfterTurns().orElse(Integer.MAX_VALUE);
    for (int turn = completedTurns + 1; turn <= total; turn++) {
      if (failing && turn == failAfter + 1) return fail(turn);
      for (ObjectNode line : template(turn)) out.line(rewrite(line, turn));
      donePending = turn;
    }
    ObjectNode result = transcript.result.map(ObjectNode::deepCopy).orElseGet(this::syntheticResult);
    result.put("num_turns", total);
    out.line(withSession(result));
    return result.path("is_error").asBoolean(false) ? FAILED : 0;
  }

  /** A transcript without turns (an auth failure, say) is printed as it is. */
  private int replayVerbatim() throws IOException {
    for (ObjectNode line : transcript.lines) out.line(withSession(line.deepCopy()));
    boolean success =
        transcript.result.map(r -> !r.path("is_error").asBoolean(false)).orElse(false);
    return success ? 0 : FAILED;
  }

  private int fail(int turn) throws IOException {
    switch (options.failMode()) {
      case CRASH -> out.line(rewrite(template(turn).get(0), turn));
      case TRANSIENT -> {
        for (int retry = 1; retry <= 3; retry++) out.line(apiRetry(retry, 529, "overloaded_error"));
      }
      case FATAL -> {
        for (int retry = 1; retry <= 2; retry++)
          out.line(apiRetry(retry, 401, "authentication_failed"));
        ObjectNode result = syntheticResult();
        result.put("subtype", "error_during_execution");
        result.put("is_error", true);
        result.put("api_error_status", 401);
        result.put("num_turns", turn - 1);
        result.put("result", "API Error: 401 authentication_failed");
        out.line(result);
      }
    }
    return FAILED;
  }

  private List<ObjectNode> template(int turn) {
    return transcript.turns.get((turn - 1) % transcript.turns.size());
  }

  private ObjectNode rewrite(ObjectNode template, int turn) {
    ObjectNode line = withSession(template.deepCopy());
    String suffix = "_" + turn;
    JsonNode message = line.path("message");
    if (message instanceof ObjectNode m && m.hasNonNull("id"))
      m.put("id", m.get("id").asText() + suffix);
    for (JsonNode block : message.path("content")) {
      if (!(block instanceof ObjectNode b)) continue;
      if ("tool_use".equals(b.path("type").asText()) && b.hasNonNull("id"))
        b.put("id", b.get("id").asText() + suffix);
      if (b.hasNonNull("tool_use_id")) b.put("tool_use_id", b.get("tool_use_id").asText() + suffix);
    }
    for (String metaField : List.of("tool_use_meta", "tool_result_meta")) {
      for (JsonNode meta : line.path(metaField)) {
        if (meta instanceof ObjectNode m && m.hasNonNull("id"))
          m.put("id", m.get("id").asText() + suffix);
      }
    }
    return line;
  }

  private ObjectNode withSession(ObjectNode line) {
    line.put("session_id", sessionId);
    if (line.has("uuid")) line.put("uuid", UUID.randomUUID().toString());
    return line;
  }

  private ObjectNode apiRetry(int retry, int status, String error) {
    ObjectNode line = ScriptedTranscript.MAPPER.createObjectNode();
    line.put("type", "system");
    line.put("subtype", "api_retry");
    line.put("attempt", retry);
    line.put("max_retries", 10);
    line.put("retry_delay_ms", 500L << (retry - 1));
    line.put("error_status", status);
    line.put("error", error);
    line.put("session_id", sessionId);
    line.put("uuid", UUID.randomUUID().toString());
    return line;
  }

  private ObjectNode syntheticInit() {
    ObjectNode line = ScriptedTranscript.MAPPER.createObjectNode();
    line.put("type", "system");
    line.put("subtype", "init");
    line.put("model", "scripted");
    return line;
  }

  private ObjectNode syntheticResult() {
    ObjectNode line = ScriptedTranscript.MAPPER.createObjectNode();
    line.put("type", "result");
    line.put("subtype", "success");
    line.put("is_error", false);
    line.put("result", "");
    line.put("total_cost_usd", 0);
    ObjectNode usage = line.putObject("usage");
    for (String field :
        List.of("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"))
      usage.put(field, 0);
    line.put("session_id", sessionId);
    line.put("uuid", UUID.randomUUID().toString());
    return line;
  }
}
