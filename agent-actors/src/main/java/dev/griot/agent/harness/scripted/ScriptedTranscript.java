package dev.griot.agent.harness.scripted;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Claude Code stream-json transcript cut into what the scripted harness replays: the {@code
 * system/init} line, the turns (an {@code assistant} message, possibly over several lines with
 * the same message id, and the {@code user} lines after it), and the {@code result} line. Every
 * line of the file is also kept, for transcripts without turns, which are replayed as they are.
 */
final class ScriptedTranscript {

  /** The transcripts bundled under {@code /transcripts/} on the classpath. */
  static final List<String> BUNDLED =
      List.of(
          "claude-text", "claude-bash-tool", "claude-mcp-tool", "claude-max-turns",
          "claude-auth-retry");

  /** Reads numbers as written (0.000552 stays 0.000552) and writes them back the same. */
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  final Optional<ObjectNode> init;
  final List<List<ObjectNode>> turns;
  final Optional<ObjectNode> result;
  final List<ObjectNode> lines;

  private ScriptedTranscript(
      Optional<ObjectNode> init,
      List<List<ObjectNode>> turns,
      Optional<ObjectNode> result,
      List<ObjectNode> lines) {
    this.init = init;
    this.turns = turns;
    this.result = result;
    this.lines = lines;
  }

  static boolean isBundled(String name) {
    return BUNDLED.contains(stripSuffix(name));
  }

  /** Loads a bundled transcript by name, or a file by absolute path. */
  static ScriptedTranscript load(String nameOrPath) throws IOException {
    if (nameOrPath.contains("/")) {
      try (BufferedReader r = Files.newBufferedReader(Path.of(nameOrPath), StandardCharsets.UTF_8)) {
        return read(r);
      }
    }
    String resource = "/transcripts/" + stripSuffix(nameOrPath) + ".jsonl";
    InputStream in = ScriptedTranscript.class.getResourceAsStream(resource);
    if (in == null) throw new IOException("no bundled transcript " + nameOrPath);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return read(r);
    }
  }

  private static ScriptedTranscript read(BufferedReader reader) throws IOException {
    ObjectNode init = null;
    ObjectNode result = null;
    List<List<ObjectNode>> turns = new ArrayList<>();
    List<ObjectNode> lines = new ArrayList<>();
    List<ObjectNode> turn = null;
    String currentMessageId = null;
    String text;
    while ((text = reader.readLine()) != null) {
      if (text.isBlank()) continue;
      JsonNode parsed;
      try {
        parsed = MAPPER.readTree(text);
      } catch (IOException e) {
        continue;
      }
      if (!(parsed instanceof ObjectNode line)) continue;
      lines.add(line);
      if (isSubAgent(line)) {
        if (turn != null) turn.add(line);
        continue;
      }
      switch (line.path("type").asText("")) {
        case "system" -> {
          if ("init".equals(line.path("subtype").asText()) && init == null) init = line;
        }
        case "assistant" -> {
          String id = line.path("message").path("id").asText("");
          if (turn == null || id.isEmpty() || !id.equals(currentMessageId)) {
            turn = new ArrayList<>();
            turns.add(turn);
          }
          currentMessageId = id;
          turn.add(line);
        }
        case "user" -> {
          if (turn != null) turn.add(line);
        }
        case "result" -> result = line;
        default -> {}
      }
    }
    return new ScriptedTranscript(
        Optional.ofNullable(init), List.copyOf(turns), Optional.ofNullable(result), List.copyOf(lines));
  }

  private static boolean isSubAgent(JsonNode line) {
    JsonNode parent = line.get("parent_tool_use_id");
    return parent != null && !parent.isNull();
  }

  private static String stripSuffix(String name) {
    return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
  }
}
