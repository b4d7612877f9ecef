package dev.griot.agent.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/** Builds workspace trees for the checkpoint tests. */
final class Workspaces {

  /** Settings with 64-byte chunks, so small files span several chunks. */
  static final CheckpointSettings SMALL_CHUNKS =
      new CheckpointSettings(64, List.of(".home/.npm", ".home/.cache"), 1024 * 1024, true);

  private Workspaces() {}

  /** Writes {@code text} to {@code root/path}, making its folders, with a fixed time. */
  static Path write(Path root, String path, String text, long modifiedMillis) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    return file;
  }

  static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  static void chmod(Path path, String permissions) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  /** {@code count} numbered lines of JSON, as a session transcript. */
  static String jsonl(int from, int count) {
    StringBuilder lines = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      lines.append("{\"type\":\"assistant\",\"n\":").append(i).append("}\n");
    }
    return lines.toString();
  }

  /** The workspace as a manifest, read from scratch. */
  static Manifest manifestOf(Path root, CheckpointSettings settings) throws IOException {
    return WorkspaceScanner.scan(root, Optional.empty(), settings).manifest();
  }
}
