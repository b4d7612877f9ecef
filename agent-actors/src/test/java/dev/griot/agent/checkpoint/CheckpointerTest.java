package dev.griot.agent.checkpoint;

import static dev.griot.agent.checkpoint.Workspaces.SMALL_CHUNKS;
import static dev.griot.agent.checkpoint.Workspaces.manifestOf;
import static dev.griot.agent.checkpoint.Workspaces.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.checkpoint.Checkpointer.Saved;
import dev.griot.persistence.testkit.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {

  @TempDir Path dir;
  private final InMemoryBlobStore store = new InMemoryBlobStore();
  private final Checkpointer checkpointer = new Checkpointer(store, SMALL_CHUNKS);

  private Saved checkpoint(Path workspace, Optional<Manifest> previous, int turn) throws Exception {
    Scan scan = WorkspaceScanner.scan(workspace, previous, SMALL_CHUNKS);
    return checkpointer.upload(scan, turn).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A workspace with nested folders, an empty file, an empty folder, a symlink and modes. */
  private Path sampleWorkspace() throws Exception {
    Path ws = dir.resolve("ws");
    write(ws, ".home/.claude/projects/p/session.jsonl", Workspaces.jsonl(0, 20), 1_600_000_000_001L);
    write(ws, "src/pkg/deep/module.py", "print('hi')\n".repeat(30), 1_600_000_000_002L);
    Path tool = write(ws, "bin/tool.sh", "#!/bin/sh\necho tool\n", 1_600_000_000_003L);
    Workspaces.chmod(tool, "rwxr-xr-x");
    Path secret = write(ws, "secret.env", "KEY=1\n", 1_600_000_000_004L);
    Workspaces.chmod(secret, "rw-------");
    write(ws, "empty.txt", "", 1_600_000_000_005L);
    Files.createDirectories(ws.resolve("out/empty"));
    Files.createSymbolicLink(ws.resolve("current"), Path.of("src/pkg"));
    Files.setLastModifiedTime(ws.resolve("src/pkg"), FileTime.fromMillis(1_600_000_000_006L));
    return ws;
  }

  @Test
  void restoresAWorkspaceExactly() throws Exception {
    Path ws = sampleWorkspace();
    Saved saved = checkpoint(ws, Optional.empty(), 1);
    Manifest original = manifestOf(ws, SMALL_CHUNKS);
    assertEquals(original, saved.manifest());
    assertEquals(new CheckpointRef(saved.ref().manifest(), 1, 5, original.totalBytes()), saved.ref());

    Path elsewhere = dir.resolve("other-node/ws"); // does not exist yet
    Manifest restored = checkpointer.restore(saved.ref().manifest(), elsewhere);

    assertEquals(original, restored);
    assertEquals(original, manifestOf(elsewhere, SMALL_CHUNKS), "paths, kinds, modes, sizes, times and chunks");
    assertEquals(Files.readString(ws.resolve("src/pkg/deep/module.py")),
        Files.readString(elsewhere.resolve("src/pkg/deep/module.py")));
    assertTrue(Files.isExecutable(elsewhere.resolve("bin/tool.sh")));
    assertEquals(Path.of("src/pkg"), Files.readSymbolicLink(elsewhere.resolve("current")));
    assertEquals(0, Files.size(elsewhere.resolve("empty.txt")));
    assertTrue(Files.isDirectory(elsewhere.resolve("out/empty")));
    assertEquals(1_600_000_000_006L,
        Files.getLastModifiedTime(elsewhere.resolve("src/pkg"), LinkOption.NOFOLLOW_LINKS).toMillis());
  }

  @Test
  void aFileOfSeveralFullSizeChunksRoundTripsByteForByte() throws Exception {
    CheckpointSettings loaded = CheckpointSettings.fromConfig(com.typesafe.config.ConfigFactory.load());
    CheckpointSettings defaults = new CheckpointSettings(1024 * 1024, loaded.exclude(), loaded.maxBytes(), true); // 16 slices a chunk
    Path ws = dir.resolve("big");
    byte[] data = new byte[3 * defaults.chunkSize() + 5]; // reads and writes go in slices: many per chunk
    new java.util.Random(7).nextBytes(data);
    Files.createDirectories(ws);
    Files.write(ws.resolve("blob.bin"), data);
    Checkpointer big = new Checkpointer(store, defaults);
    Saved saved = big.upload(WorkspaceScanner.scan(ws, Optional.empty(), defaults), 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(4, saved.manifest().entry("blob.bin").orElseThrow().chunks().size());

    Path elsewhere = dir.resolve("big-restored");
    big.restore(saved.ref().manifest(), elsewhere);
    assertArrayEquals(data, Files.readAllBytes(elsewhere.resolve("blob.bin")));
  }

  @Test
  void aCheckpointOfAnUnchangedWorkspaceUploadsOnlyItsManifest() throws Exception {
    Path ws = sampleWorkspace();
    Saved first = checkpoint(ws, Optional.empty(), 1);
    store.resetCounts();

    Saved second = checkpoint(ws, Optional.of(first.manifest()), 2);

    assertEquals(1, store.puts());
    assertEquals(first.manifest().toBytes().length, store.bytesPut());
    assertEquals(store.bytesPut(), second.uploadedBytes());
    assertEquals(first.ref().manifest(), second.ref().manifest(), "same workspace, same manifest blob");
    assertEquals(2, second.ref().turn());
  }

  @Test
  void anAppendedSessionFileUploadsOnlyItsChangedChunks() throws Exception {
    Path ws = dir.resolve("ws");
    Path session = write(ws, ".home/.claude/projects/p/s.jsonl", "a".repeat(64 * 5 + 10), 1_600_000_000_000L);
    Saved first = checkpoint(ws, Optional.empty(), 1);
    store.resetCounts();

    Workspaces.append(session, "b".repeat(20)); // the 10-byte tail chunk becomes a 30-byte one
    Saved second = checkpoint(ws, Optional.of(first.manifest()), 2);

    assertEquals(2, store.puts(), "one chunk and the manifest");
    assertEquals(30 + second.manifest().toBytes().length, store.bytesPut());

    store.resetCounts();
    Workspaces.append(session, "c".repeat(100)); // 30 + 100 bytes: a full chunk, another full one, 2 bytes
    Saved third = checkpoint(ws, Optional.of(second.manifest()), 3);
    assertEquals(4, store.puts(), "three chunks and the manifest");
    assertEquals(130 + third.manifest().toBytes().length, store.bytesPut());

    Path restored = dir.resolve("restored");
    checkpointer.restore(third.ref().manifest(), restored);
    assertEquals(Files.readString(session), Files.readString(restored.resolve(".home/.claude/projects/p/s.jsonl")));
  }

  @Test
  void excludedPathsAreNeitherCapturedNorDeletedOnRestore() throws Exception {
    Path ws = dir.resolve("ws");
    write(ws, "keep.txt", "kept", 1L);
    write(ws, ".home/.npm/_cacache/index", "npm cache", 1L);
    Saved saved = checkpoint(ws, Optional.empty(), 1);
    assertTrue(saved.manifest().entry(".home/.npm").isEmpty());
    assertTrue(saved.manifest().entry(".home/.npm/_cacache/index").isEmpty());

    Path target = dir.resolve("target");
    write(target, ".home/.npm/_cacache/other", "another node's cache", 1L);
    write(target, ".home/.cache/pip/x", "pip cache", 1L);
    checkpointer.restore(saved.ref().manifest(), target);

    assertEquals("another node's cache", Files.readString(target.resolve(".home/.npm/_cacache/other")));
    assertEquals("pip cache", Files.readString(target.resolve(".home/.cache/pip/x")));
    assertEquals("kept", Files.readString(target.resolve("keep.txt")));
    assertFalse(Files.exists(target.resolve(".home/.npm/_cacache/index")));
  }

  @Test
  void restoreRemovesWhatTheCheckpointDoesNotHoldAndRewritesWhatChanged() throws Exception {
    Path ws = sampleWorkspace();
    Saved saved = checkpoint(ws, Optional.empty(), 1);
    Manifest original = manifestOf(ws, SMALL_CHUNKS);

    write(ws, "later/new-file.txt", "written after the checkpoint", 1L);
    Files.delete(ws.resolve("current"));
    Files.createSymbolicLink(ws.resolve("current"), Path.of("elsewhere"));
    Files.delete(ws.resolve("out/empty"));
    Files.writeString(ws.resolve("out/empty"), "a file where a folder was");
    Files.writeString(ws.resolve("src/pkg/deep/module.py"), "changed");
    Files.delete(ws.resolve("empty.txt"));
    Workspaces.chmod(ws.resolve("bin/tool.sh"), "rw-r--r--");

    checkpointer.restore(saved.ref().manifest(), ws);

    assertEquals(original, manifestOf(ws, SMALL_CHUNKS));
    assertFalse(Files.exists(ws.resolve("later")));
    try (var files = Files.list(ws.resolve("bin"))) {
      assertEquals(List.of(ws.resolve("bin/tool.sh")), files.toList(), "no temporary files left");
    }
  }

  @Test
  void aCorruptChunkFailsTheRestoreNamingIt() throws Exception {
    Path ws = dir.resolve("ws");
    write(ws, "data.bin", "d".repeat(100), 1L);
    Saved saved = checkpoint(ws, Optional.empty(), 1);
    String second = saved.manifest().entry("data.bin").orElseThrow().chunks().get(1);
    store.corrupt(second, "e".repeat(36).getBytes(StandardCharsets.UTF_8));

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> checkpointer.restore(saved.ref().manifest(), dir.resolve("target")));

    assertTrue(e.getMessage().startsWith("chunk " + second + " of data.bin is corrupt: its bytes hash to "),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("target/data.bin")), "no half-written file");
  }

  @Test
  void aMissingChunkOrManifestFailsTheRestoreNamingIt() throws Exception {
    Path ws = dir.resolve("ws");
    write(ws, "data.bin", "d".repeat(10), 1L);
    Saved saved = checkpoint(ws, Optional.empty(), 1);
    String chunk = saved.manifest().entry("data.bin").orElseThrow().chunks().get(0);
    store.remove(chunk);

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> checkpointer.restore(saved.ref().manifest(), dir.resolve("target")));
    assertEquals("chunk " + chunk + " of data.bin is missing from the blob store", e.getMessage());

    CheckpointException noManifest = assertThrows(CheckpointException.class,
        () -> checkpointer.restore("0".repeat(64), dir.resolve("target")));
    assertEquals("checkpoint manifest " + "0".repeat(64) + " is missing from the blob store", noManifest.getMessage());
  }

  @Test
  void restoringAnEmptyCheckpointEmptiesTheWorkspace() throws Exception {
    Saved saved = checkpoint(dir.resolve("missing"), Optional.empty(), 0);
    assertEquals(Manifest.EMPTY, saved.manifest());
    Path ws = sampleWorkspace();

    checkpointer.restore(saved.ref().manifest(), ws);

    try (var left = Files.list(ws)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
