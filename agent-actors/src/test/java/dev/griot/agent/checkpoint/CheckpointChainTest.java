package dev.griot.agent.checkpoint;

import static dev.griot.agent.checkpoint.Workspaces.SMALL_CHUNKS;
import static org.junit.jupiter.api.Assertions.*;

import dev.griot.persistence.blob.BlobStore;
import dev.griot.persistence.testkit.InMemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointChainTest {

  @TempDir Path dir;
  private final InMemoryBlobStore memory = new InMemoryBlobStore();
  private final Executor blocking = Executors.newCachedThreadPool();
  private final AtomicInteger resumes = new AtomicInteger();

  /** A store whose puts wait for {@link #open} and fail while {@link #failing}. */
  private final class GatedStore implements BlobStore {
    volatile CompletableFuture<Void> open = CompletableFuture.completedFuture(null);
    volatile boolean failing;

    public CompletionStage<Void> put(String hash, byte[] data) {
      return open.thenCompose(ignored -> failing
          ? CompletableFuture.<Void>failedFuture(new IllegalStateException("store down"))
          : memory.put(hash, data));
    }

    public CompletionStage<Optional<byte[]>> get(String hash) {
      return memory.get(hash);
    }
  }

  private final GatedStore store = new GatedStore();
  private final Checkpointer checkpointer = new Checkpointer(store, SMALL_CHUNKS);
  private final CheckpointChain chain = new CheckpointChain(checkpointer, SMALL_CHUNKS, blocking, Optional.empty());

  private CompletableFuture<Checkpointer.Saved> take(int turn, Path ws) {
    return chain.take(turn, ws, CompletableFuture.completedFuture(true), resumes::incrementAndGet);
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aScanDoesNotWaitForThePreviousUploadAndUploadsStayInOrder() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("session.jsonl"), "turn 1\n");
    store.open = new CompletableFuture<>(); // the store hangs
    CompletableFuture<Checkpointer.Saved> first = take(1, ws);
    get(chain.scanned()); // turn 1's files are read
    Files.writeString(ws.resolve("session.jsonl"), "turn 1\nturn 2\n");
    CompletableFuture<Checkpointer.Saved> second = take(2, ws);

    get(chain.scanned()); // turn 2's files are read while turn 1's upload still hangs
    assertEquals(2, resumes.get(), "both pauses ended");
    assertFalse(first.isDone());
    assertFalse(second.isDone());

    store.open.complete(null);
    assertEquals(1, get(first).ref().turn());
    Checkpointer.Saved two = get(second);
    Path restored = dir.resolve("restored");
    checkpointer.restore(two.ref().manifest(), restored);
    assertEquals("turn 1\nturn 2\n", Files.readString(restored.resolve("session.jsonl")));
  }

  @Test
  void chunksOfAFailedUploadAreWrittenWithTheNextOneAndAnUnchangedWorkspaceWritesNothing() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("big.txt"), "a".repeat(1_000)); // many 64-byte chunks, all the same
    Files.writeString(ws.resolve("notes.txt"), "0123456789".repeat(20));
    store.failing = true;
    assertThrows(Exception.class, () -> get(take(1, ws)));

    store.failing = false;
    Files.writeString(ws.resolve("new.txt"), "added in turn 2");
    Checkpointer.Saved two = get(take(2, ws)); // its scan took turn 1's chunks as stored
    Path restored = dir.resolve("restored");
    checkpointer.restore(two.ref().manifest(), restored);
    assertEquals("0123456789".repeat(20), Files.readString(restored.resolve("notes.txt")));
    assertEquals("a".repeat(1_000), Files.readString(restored.resolve("big.txt")));

    memory.resetCounts();
    Checkpointer.Saved three = get(take(3, ws));
    assertEquals(0, memory.puts(), "nothing changed, nothing written");
    assertEquals(two.ref().manifest(), three.ref().manifest());
    assertEquals(3, three.ref().turn());
  }
}
