package dev.griot.agent.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link WorkspaceScanner#scan} found: the workspace's new manifest and the bytes of the
 * chunks the previous manifest did not have, by hash (the only ones to upload).
 */
public record Scan(Manifest manifest, Map<String, byte[]> newChunks) {

  public Scan {
    newChunks = Collections.unmodifiableMap(new LinkedHashMap<>(newChunks));
  }

  /** The bytes of the new chunks. */
  public long newBytes() {
    long total = 0;
    for (byte[] chunk : newChunks.values()) {
      total += chunk.length;
    }
    return total;
  }
}
