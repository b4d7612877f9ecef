package dev.griot.agent.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real captured harness outputs: from {@code /work/shared/harness-transcripts} when it
 * exists, else from the copies bundled under {@code /transcripts/}.
 */
public final class Transcripts {

  public static final Path SHARED = Path.of("/work/shared/harness-transcripts");

  /** Every Claude Code transcript file name. */
  public static final List<String> CLAUDE_FILES =
      List.of(
          "claude-text.jsonl",
          "claude-bash-tool.jsonl",
          "claude-mcp-tool.jsonl",
          "claude-max-turns.jsonl",
          "claude-auth-retry.jsonl",
          "claude-json-result.json");

  private Transcripts() {}

  /** The lines of one transcript file. */
  public static List<String> lines(String file) {
    try {
      Path shared = SHARED.resolve(file);
      if (Files.isReadable(shared)) return Files.readAllLines(shared, StandardCharsets.UTF_8);
      try (InputStream in = Transcripts.class.getResourceAsStream("/transcripts/" + file)) {
        if (in == null) throw new IllegalArgumentException("no transcript " + file);
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of every {@code claude-*.jsonl} file there is (shared folder or bundled list). */
  public static Stream<String> claudeStreamFiles() {
    if (Files.isDirectory(SHARED)) {
      try (Stream<Path> files = Files.list(SHARED)) {
        return files
            .map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("claude-") && n.endsWith(".jsonl"))
            .sorted()
            .toList()
            .stream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return CLAUDE_FILES.stream().filter(n -> n.endsWith(".jsonl"));
  }
}
