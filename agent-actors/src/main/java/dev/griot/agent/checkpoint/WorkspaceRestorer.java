package dev.griot.agent.checkpoint;

import dev.griot.agent.checkpoint.Manifest.Entry;
import dev.griot.agent.checkpoint.Manifest.Kind;
import dev.griot.persistence.blob.BlobStore;
import dev.griot.persistence.blob.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Makes a workspace equal to a manifest (blocking): deletes what the manifest lacks (but not
 * excluded paths), then creates directories, writes files that differ and makes symlinks in path
 * order, and last sets the modes and times of directories, deepest first. Chunks are fetched
 * ahead of the writes, a bounded number at a time, and each is checked against its hash.
 */
final class WorkspaceRestorer {

  private static final int OWNER_RWX = 0700;

  private final BlobStore store;
  private final CheckpointSettings settings;
  private final Manifest manifest;
  private final int prefetch;

  WorkspaceRestorer(BlobStore store, CheckpointSettings settings, Manifest manifest, int prefetch) {
    this.store = store;
    this.settings = settings;
    this.manifest = manifest;
    this.prefetch = prefetch;
  }

  void restore(Path workspace) throws IOException {
    Files.createDirectories(workspace);
    Path root = workspace.toRealPath();
    prune(root, "");
    List<Entry> stale = new ArrayList<>();
    for (Entry e : manifest.entries()) {
      if (e.kind() == Kind.FILE && !upToDate(root.resolve(e.path()), e)) {
        stale.add(e);
      }
    }
    Chunks chunks = new Chunks(stale);
    int next = 0;
    for (Entry e : manifest.entries()) {
      Path target = root.resolve(e.path());
      if (e.kind() == Kind.DIRECTORY) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(target);
        }
        Files.setPosixFilePermissions(target, PosixMode.permissions(e.mode() | OWNER_RWX)); // final mode at the end
      } else if (e.kind() == Kind.SYMLINK) {
        if (!Files.isSymbolicLink(target)) {
          Files.createSymbolicLink(target, Path.of(e.linkTarget()));
        }
        setModified(target, e.modifiedMillis());
      } else if (next < stale.size() && stale.get(next) == e) {
        next++;
        write(target, e, chunks);
      } else {
        Files.setPosixFilePermissions(target, PosixMode.permissions(e.mode()));
      }
    }
    List<Entry> entries = manifest.entries();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.kind() == Kind.DIRECTORY) {
        Path target = root.resolve(e.path());
        Files.setPosixFilePermissions(target, PosixMode.permissions(e.mode()));
        setModified(target, e.modifiedMillis());
      }
    }
  }

  /** Deletes under {@code dir} what the manifest lacks or holds as another kind; keeps excluded paths. */
  private void prune(Path dir, String relative) throws IOException {
    for (WorkspaceTree.Child c : WorkspaceTree.children(dir, relative, settings)) {
      Path child = c.path();
      String path = c.relative();
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue;
      }
      Optional<Entry> wanted = manifest.entry(path);
      if (attrs.isDirectory()) {
        makeOwnerWritable(child);
        prune(child, path);
        if (wanted.isEmpty() || wanted.get().kind() != Kind.DIRECTORY) {
          deleteIfEmpty(child);
        }
      } else if (wanted.isEmpty() || !sameKind(child, attrs, wanted.get())) {
        Files.delete(child);
      }
    }
  }

  private static boolean sameKind(Path path, BasicFileAttributes attrs, Entry e) throws IOException {
    if (e.kind() == Kind.FILE) {
      return attrs.isRegularFile();
    }
    return e.kind() == Kind.SYMLINK && attrs.isSymbolicLink()
        && Files.readSymbolicLink(path).toString().equals(e.linkTarget());
  }

  private static void makeOwnerWritable(Path dir) throws IOException {
    int mode = PosixMode.of(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
    if ((mode & OWNER_RWX) != OWNER_RWX) {
      Files.setPosixFilePermissions(dir, PosixMode.permissions(mode | OWNER_RWX));
    }
  }

  /** Deletes a directory that held only stray paths; one still holding excluded paths stays. */
  private static void deleteIfEmpty(Path dir) throws IOException {
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException holdsExcluded) {
      // left for its excluded contents
    }
  }

  private static boolean upToDate(Path path, Entry e) throws IOException {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.isRegularFile() && attrs.size() == e.size()
          && attrs.lastModifiedTime().toMillis() == e.modifiedMillis();
    } catch (NoSuchFileException missing) {
      return false;
    }
  }

  /** Writes a file through a temporary file beside it, with its mode and time, then moves it in place. */
  private static void write(Path target, Entry e, Chunks chunks) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), ".griot-restore-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        for (String hash : e.chunks()) {
          byte[] chunk = chunks.next(e.path(), hash);
          // in slices, for the reason WorkspaceScanner reads in slices
          for (int off = 0; off < chunk.length; off += WorkspaceScanner.IO_SLICE)
            out.write(chunk, off, Math.min(WorkspaceScanner.IO_SLICE, chunk.length - off));
        }
      }
      Files.setPosixFilePermissions(temp, PosixMode.permissions(e.mode()));
      setModified(temp, e.modifiedMillis());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void setModified(Path path, long millis) throws IOException {
    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(FileTime.fromMillis(millis), null, null);
  }

  /** The chunks of the stale files in write order, fetched up to {@code prefetch} ahead. */
  private final class Chunks {
    private final List<String> hashes = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<Optional<byte[]>>> inFlight = new ArrayDeque<>();
    private int requested;

    Chunks(List<Entry> files) {
      files.forEach(f -> hashes.addAll(f.chunks()));
    }

    byte[] next(String path, String hash) throws IOException {
      while (inFlight.size() < prefetch && requested < hashes.size()) {
        inFlight.add(store.get(hashes.get(requested++)).toCompletableFuture());
      }
      CompletableFuture<Optional<byte[]>> fetch = inFlight.poll();
      if (fetch == null) {
        throw new IllegalStateException("chunk " + hash + " of " + path + " was not requested");
      }
      byte[] data = Checkpointer.await(fetch).orElseThrow(() -> new CheckpointException(
          "chunk " + hash + " of " + path + " is missing from the blob store"));
      String actual = Sha256.hex(data);
      if (!actual.equals(hash)) {
        throw new CheckpointException("chunk " + hash + " of " + path + " is corrupt: its bytes hash to " + actual);
      }
      return data;
    }
  }
}
