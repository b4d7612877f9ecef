package dev.griot.agent.checkpoint;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.griot.persistence.CborSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a workspace checkpoint holds: every captured path with its kind, mode, size, modification
 * time and, for a file, the hashes of its chunks in order. Entries are sorted by path, so a
 * directory comes before what it holds.
 *
 * <p>Stored as a blob in JSON ({@link #toBytes()}, a stored format: fields keep their names and
 * order, and a {@code format} number guards changes); its hash names the checkpoint.
 */
public record Manifest(List<Entry> entries) implements CborSerializable {

  /** The manifest of an empty (or missing) workspace. */
  public static final Manifest EMPTY = new Manifest(List.of());

  static final int FORMAT = 1;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public enum Kind { FILE, DIRECTORY, SYMLINK }

  /**
   * One path of the workspace.
   *
   * @param path relative to the workspace, '/' separated, without "." or ".." segments
   * @param kind what it is
   * @param mode its POSIX permission bits, such as {@code 0644} (not applied to symlinks)
   * @param size the bytes of a file; 0 otherwise
   * @param modifiedMillis its modification time, in milliseconds since the epoch
   * @param chunks the hashes of a file's chunks, in order (none for an empty file or another kind)
   * @param linkTarget where a symlink points, as written in it; "" otherwise
   */
  @JsonPropertyOrder({"path", "kind", "mode", "size", "modifiedMillis", "chunks", "linkTarget"})
  public record Entry(
      String path, Kind kind, int mode, long size, long modifiedMillis, List<String> chunks, String linkTarget) {

    public Entry {
      requireRelative(path);
      if (kind == null) {
        throw new IllegalArgumentException("no kind for " + path);
      }
      chunks = chunks == null ? List.of() : List.copyOf(chunks);
      linkTarget = linkTarget == null ? "" : linkTarget;
    }

    static Entry directory(String path, int mode, long modifiedMillis) {
      return new Entry(path, Kind.DIRECTORY, mode, 0, modifiedMillis, List.of(), "");
    }

    static Entry file(String path, int mode, long size, long modifiedMillis, List<String> chunks) {
      return new Entry(path, Kind.FILE, mode, size, modifiedMillis, chunks, "");
    }

    static Entry symlink(String path, long modifiedMillis, String linkTarget) {
      return new Entry(path, Kind.SYMLINK, 0, 0, modifiedMillis, List.of(), linkTarget);
    }
  }

  public Manifest {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::path));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new IllegalArgumentException("two entries for " + sorted.get(i).path());
      }
    }
    entries = List.copyOf(sorted);
  }

  /** The JSON form stored as the manifest blob. */
  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(new Stored(FORMAT, entries));
    } catch (IOException e) {
      throw new IllegalStateException("a manifest always serializes", e);
    }
  }

  /** Reads what {@link #toBytes()} wrote. */
  public static Manifest fromBytes(byte[] bytes) throws CheckpointException {
    Stored stored;
    try {
      stored = JSON.readValue(bytes, Stored.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException("unreadable checkpoint manifest: " + e.getMessage(), e);
    }
    if (stored.format() != FORMAT) {
      throw new CheckpointException("checkpoint manifest of format " + stored.format() + ", this node reads " + FORMAT);
    }
    return new Manifest(stored.entries() == null ? List.of() : stored.entries());
  }

  /** The distinct hashes of all chunks of all files. */
  public Set<String> chunkHashes() {
    Set<String> hashes = new LinkedHashSet<>();
    for (Entry e : entries) {
      hashes.addAll(e.chunks());
    }
    return hashes;
  }

  /** The bytes of all files. */
  public long totalBytes() {
    long total = 0;
    for (Entry e : entries) {
      total += e.size();
    }
    return total;
  }

  /** How many regular files there are. */
  public int fileCount() {
    int files = 0;
    for (Entry e : entries) {
      if (e.kind() == Kind.FILE) {
        files++;
      }
    }
    return files;
  }

  /** The entry of {@code path}, if any (a binary search). */
  public Optional<Entry> entry(String path) {
    int low = 0;
    int high = entries.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = entries.get(mid).path().compareTo(path);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return Optional.of(entries.get(mid));
      }
    }
    return Optional.empty();
  }

  private static void requireRelative(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("not a relative path: '" + path + "'");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("not a relative path: '" + path + "'");
      }
    }
  }

  @JsonPropertyOrder({"format", "entries"})
  private record Stored(int format, List<Entry> entries) {}
}
