package dev.griot.agent.checkpoint;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Settings of workspace checkpoints, read from {@code griot.checkpoint} (defaults in this module's
 * {@code reference.conf}).
 *
 * @param chunkSize files are stored in chunks of this many bytes (at most 16 MiB, half of
 *     Cassandra's default commit log segment, the largest write it accepts)
 * @param exclude paths relative to the workspace, '/' separated, that are neither captured nor
 *     deleted on restore: each path and everything under it
 * @param maxBytes a workspace whose files hold more bytes than this is not checkpointed
 * @param enabled whether workers take checkpoints at all
 */
public record CheckpointSettings(int chunkSize, List<String> exclude, long maxBytes, boolean enabled) {

  static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

  public CheckpointSettings {
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("griot.checkpoint.chunk-size must be between 1 byte and 16MiB: " + chunkSize);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("griot.checkpoint.max-bytes must not be negative: " + maxBytes);
    }
    exclude = exclude.stream().map(CheckpointSettings::normalize).filter(p -> !p.isEmpty()).toList();
  }

  public static CheckpointSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.checkpoint");
    long chunkSize = c.getBytes("chunk-size");
    return new CheckpointSettings(
        (int) Math.min(chunkSize, Integer.MAX_VALUE),
        c.getStringList("exclude"),
        c.getBytes("max-bytes"),
        c.getBoolean("enabled"));
  }

  /** Whether {@code path} (relative, '/' separated) is an excluded path or lies under one. */
  public boolean excludes(String path) {
    for (String e : exclude) {
      if (path.startsWith(e) && (path.length() == e.length() || path.charAt(e.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String path) {
    String p = path.strip();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
