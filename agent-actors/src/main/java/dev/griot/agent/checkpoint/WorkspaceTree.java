package dev.griot.agent.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Walking a workspace the way checkpoints see it: workspace-relative paths, excluded ones left out. */
final class WorkspaceTree {

  /** An entry of a folder: where it is, and its path relative to the workspace ('/'-separated). */
  record Child(Path path, String relative) {}

  private WorkspaceTree() {}

  /** What {@code dir} (at {@code relative} in the workspace) holds directly, but for excluded paths. */
  static List<Child> children(Path dir, String relative, CheckpointSettings settings) throws IOException {
    List<Child> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        String path = relative.isEmpty() ? child.getFileName().toString() : relative + "/" + child.getFileName();
        if (!settings.excludes(path)) children.add(new Child(child, path));
      }
    }
    return children;
  }
}
