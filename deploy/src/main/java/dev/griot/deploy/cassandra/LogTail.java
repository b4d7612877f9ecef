package dev.griot.deploy.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** The last lines of a log file, for error messages. */
final class LogTail {

  private LogTail() {}

  /** The last {@code lines} lines of {@code file}, headed by its path; a note if it is missing. */
  static String of(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(" + file + " does not exist)";
    }
    Deque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
      all.forEach(line -> {
        if (tail.size() == lines) {
          tail.removeFirst();
        }
        tail.addLast(line);
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
    return "--- last " + tail.size() + " lines of " + file + " ---\n" + String.join("\n", tail);
  }
}
