package dev.griot.agent.checkpoint;

import static dev.griot.agent.checkpoint.Workspaces.SMALL_CHUNKS;
import static dev.griot.agent.checkpoint.Workspaces.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.checkpoint.Manifest.Entry;
import dev.griot.agent.checkpoint.Manifest.Kind;
import dev.griot.persistence.blob.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceScanTest {

  @TempDir Path dir;

  @Test
  void aMissingWorkspaceScansToAnEmptyManifest() throws Exception {
    Scan scan = WorkspaceScanner.scan(dir.resolve("never-made"), Optional.empty(), SMALL_CHUNKS);
    assertEquals(Manifest.EMPTY, scan.manifest());
    assertTrue(scan.newChunks().isEmpty());
  }

  @Test
  void capturesKindsModesTimesAndChunks() throws Exception {
    String text = "x".repeat(150);
    write(dir, "src/a.txt", text, 1_600_000_000_123L);
    write(dir, "src/b.txt", text, 1_600_000_000_456L); // same bytes: same chunks, kept once
    Files.createDirectories(dir.resolve("empty-dir"));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("src/a.txt"));
    Workspaces.chmod(dir.resolve("src/b.txt"), "rwxr-x---");

    Scan scan = WorkspaceScanner.scan(dir, Optional.empty(), SMALL_CHUNKS);
    Manifest m = scan.manifest();

    assertEquals(List.of("empty-dir", "link", "src", "src/a.txt", "src/b.txt"),
        m.entries().stream().map(Entry::path).toList());
    Entry a = m.entry("src/a.txt").orElseThrow();
    assertEquals(Kind.FILE, a.kind());
    assertEquals(150, a.size());
    assertEquals(1_600_000_000_123L, a.modifiedMillis());
    assertEquals(List.of(Sha256.hex("x".repeat(64).getBytes(StandardCharsets.UTF_8)),
        Sha256.hex("x".repeat(64).getBytes(StandardCharsets.UTF_8)),
        Sha256.hex("x".repeat(22).getBytes(StandardCharsets.UTF_8))), a.chunks());
    assertEquals(0750, m.entry("src/b.txt").orElseThrow().mode());
    assertEquals(a.chunks(), m.entry("src/b.txt").orElseThrow().chunks());
    assertEquals("src/a.txt", m.entry("link").orElseThrow().linkTarget());
    assertEquals(Kind.DIRECTORY, m.entry("empty-dir").orElseThrow().kind());
    assertEquals(2, scan.newChunks().size(), "two distinct chunks: 64 x's and 22 x's");
    assertEquals(300, m.totalBytes());
    assertEquals(2, m.fileCount());
  }

  @Test
  void doesNotFollowSymlinksOrCaptureExcludedPathsAndFifos() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    write(outside, "secret.txt", "not in the workspace", 1L);
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.createSymbolicLink(ws.resolve("out"), outside);
    write(ws, ".home/.npm/_cacache/blob", "cache", 1L);
    write(ws, ".home/.cache/x", "cache", 1L);
    write(ws, ".home/.npmrc", "registry=x", 1L);
    Process mkfifo = new ProcessBuilder("mkfifo", ws.resolve("pipe").toString()).start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

    Manifest m = WorkspaceScanner.scan(ws, Optional.empty(), SMALL_CHUNKS).manifest();

    assertEquals(List.of(".home", ".home/.npmrc", "out"), m.entries().stream().map(Entry::path).toList());
    assertEquals(Kind.SYMLINK, m.entry("out").orElseThrow().kind());
  }

  @Test
  void reusesTheChunksOfAFileWhoseSizeAndTimeAreUnchangedWithoutReadingIt() throws Exception {
    Path file = write(dir, "notes.md", "x".repeat(200), 1_600_000_000_000L);
    Scan first = WorkspaceScanner.scan(dir, Optional.empty(), SMALL_CHUNKS);
    // Other bytes of the same size and time: only a scan that reads the file would see them.
    write(dir, "notes.md", "y".repeat(200), 1_600_000_000_000L);
    Workspaces.chmod(file, "r--------");

    Scan second = WorkspaceScanner.scan(dir, Optional.of(first.manifest()), SMALL_CHUNKS);

    assertEquals(first.manifest().entry("notes.md").orElseThrow().chunks(),
        second.manifest().entry("notes.md").orElseThrow().chunks());
    assertEquals(0400, second.manifest().entry("notes.md").orElseThrow().mode(), "the mode is read anew");
    assertTrue(second.newChunks().isEmpty());

    Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_001L));
    Scan third = WorkspaceScanner.scan(dir, Optional.of(first.manifest()), SMALL_CHUNKS);
    assertEquals(2, third.newChunks().size(), "a new time: read again");
  }

  @Test
  void keepsOnlyTheChangedChunksOfAnAppendedFile() throws Exception {
    Path session = write(dir, ".home/.claude/projects/p/s.jsonl", Workspaces.jsonl(0, 10), 1_600_000_000_000L);
    Scan first = WorkspaceScanner.scan(dir, Optional.empty(), SMALL_CHUNKS);
    long before = Files.size(session);
    Workspaces.append(session, "{\"type\":\"user\"}\n");

    Scan second = WorkspaceScanner.scan(dir, Optional.of(first.manifest()), SMALL_CHUNKS);

    List<String> was = first.manifest().entry(".home/.claude/projects/p/s.jsonl").orElseThrow().chunks();
    List<String> now = second.manifest().entry(".home/.claude/projects/p/s.jsonl").orElseThrow().chunks();
    int whole = (int) (before / 64);
    assertEquals(was.subList(0, whole), now.subList(0, whole), "the full chunks before the append are the same");
    assertEquals(now.size() - whole, second.newChunks().size());
    assertTrue(second.newBytes() < 2 * 64, "only the tail was read into new chunks: " + second.newBytes());
  }

  @Test
  void refusesAWorkspaceBiggerThanMaxBytes() throws Exception {
    write(dir, "a", "x".repeat(600), 1L);
    write(dir, "b", "x".repeat(600), 1L);
    CheckpointSettings small = new CheckpointSettings(64, List.of(), 1000, true);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> WorkspaceScanner.scan(dir, Optional.empty(), small));
    assertTrue(e.getMessage().contains("more than 1000 bytes (griot.checkpoint.max-bytes)"), e.getMessage());
  }
}
