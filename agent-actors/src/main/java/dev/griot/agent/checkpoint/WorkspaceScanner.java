package dev.griot.agent.checkpoint;

import dev.griot.agent.checkpoint.Manifest.Entry;
import dev.griot.persistence.blob.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scans a workspace into a {@link Manifest} (blocking; run it on a blocking dispatcher). It walks
 * the tree without following symlinks, skips excluded paths, sockets, fifos and devices, and
 * reads a regular file only when its size or modification time differs from the previous
 * manifest's entry (otherwise it takes that entry's chunks). A read file is cut into
 * {@code chunkSize} chunks, each named by its SHA-256; the bytes of a chunk the previous manifest
 * does not have are kept for upload.
 */
public final class WorkspaceScanner {

  private final Path root;
  private final Manifest previous;
  private final Set<String> knownChunks;
  private final CheckpointSettings settings;
  private final byte[] buffer;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, byte[]> newChunks = new LinkedHashMap<>();
  private long bytes;

  private WorkspaceScanner(Path root, Manifest previous, CheckpointSettings settings) {
    this.root = root;
    this.previous = previous;
    this.knownChunks = previous.chunkHashes();
    this.settings = settings;
    this.buffer = new byte[settings.chunkSize()];
  }

  /**
   * Scans {@code workspace}; {@code previous} is the manifest of the last checkpoint saved (so its
   * chunks are in the store). A workspace that does not exist scans to an empty manifest.
   *
   * @throws CheckpointException when the files hold more than {@code maxBytes}
   */
  public static Scan scan(Path workspace, Optional<Manifest> previous, CheckpointSettings settings)
      throws IOException {
    if (!Files.exists(workspace)) {
      return new Scan(Manifest.EMPTY, Map.of());
    }
    if (!Files.isDirectory(workspace)) {
      throw new NotDirectoryException(workspace.toString());
    }
    WorkspaceScanner scanner = new WorkspaceScanner(workspace.toRealPath(), previous.orElse(Manifest.EMPTY), settings);
    scanner.walk(scanner.root, "");
    return new Scan(new Manifest(scanner.entries), scanner.newChunks);
  }

  private void walk(Path dir, String relative) throws IOException {
    for (WorkspaceTree.Child c : WorkspaceTree.children(dir, relative, settings)) {
      Path child = c.path();
      String path = c.relative();
      PosixFileAttributes attrs;
      try {
        attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue;
      }
      long modified = attrs.lastModifiedTime().toMillis();
      if (attrs.isDirectory()) {
        entries.add(Entry.directory(path, PosixMode.of(attrs.permissions()), modified));
        walk(child, path);
      } else if (attrs.isSymbolicLink()) {
        entries.add(Entry.symlink(path, modified, Files.readSymbolicLink(child).toString()));
      } else if (attrs.isRegularFile()) {
        file(child, path, attrs);
      }
    }
  }

  private void file(Path file, String path, PosixFileAttributes attrs) throws IOException {
    bytes += attrs.size();
    if (bytes > settings.maxBytes()) {
      throw new CheckpointException("workspace " + root + " holds more than " + settings.maxBytes()
          + " bytes (griot.checkpoint.max-bytes); not checkpointed");
    }
    int mode = PosixMode.of(attrs.permissions());
    long modified = attrs.lastModifiedTime().toMillis();
    Optional<Entry> before = previous.entry(path);
    if (before.isPresent() && before.get().kind() == Manifest.Kind.FILE && before.get().size() == attrs.size()
        && before.get().modifiedMillis() == modified) {
      entries.add(Entry.file(path, mode, attrs.size(), modified, before.get().chunks()));
      return;
    }
    List<String> chunks = new ArrayList<>();
    long size = 0;
    try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = readChunk(in)) > 0) {
        String hash = Sha256.hex(buffer, 0, n);
        chunks.add(hash);
        size += n;
        if (!knownChunks.contains(hash) && !newChunks.containsKey(hash)) {
          newChunks.put(hash, Arrays.copyOf(buffer, n));
        }
      }
    } catch (NoSuchFileException gone) {
      return;
    }
    entries.add(Entry.file(path, mode, size, modified, chunks));
  }

  /**
   * The most a single read or write of a file moves: the JDK copies through a temporary direct
   * buffer of the call's size and keeps one per thread, so whole-chunk calls on a pool of hundreds
   * of threads would hold hundreds of MiB of direct memory.
   */
  static final int IO_SLICE = 64 * 1024;

  /** Fills the buffer from {@code in}, {@link #IO_SLICE} at most a read; fewer bytes only at the end of the file. */
  private int readChunk(SeekableByteChannel in) throws IOException {
    ByteBuffer target = ByteBuffer.wrap(buffer);
    while (target.position() < buffer.length) {
      target.limit(Math.min(buffer.length, target.position() + IO_SLICE));
      if (in.read(target) < 0) {
        break;
      }
    }
    return target.position();
  }
}
