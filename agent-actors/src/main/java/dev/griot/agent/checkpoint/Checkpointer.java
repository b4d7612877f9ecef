package dev.griot.agent.checkpoint;

import dev.griot.persistence.blob.BlobStore;
import dev.griot.persistence.blob.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Saves workspace {@link Scan scans} to a {@link BlobStore} and restores workspaces from them.
 * A checkpoint is its chunks plus a {@link Manifest} blob; the manifest's hash names it.
 */
public final class Checkpointer {

  /** How many blob writes or reads are in flight at once. */
  static final int PARALLELISM = 8;

  private final BlobStore store;
  private final CheckpointSettings settings;

  /**
   * A saved checkpoint.
   *
   * @param uploadedBytes the bytes written to the store: the new chunks and the manifest
   */
  public record Saved(CheckpointRef ref, Manifest manifest, long uploadedBytes) {}

  public Checkpointer(BlobStore store, CheckpointSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /**
   * Writes the scan's new chunks (at most {@value #PARALLELISM} at once), then its manifest, and
   * completes when all are stored. A manifest is only written once every chunk it needs is.
   */
  public CompletionStage<Saved> upload(Scan scan, int turn) {
    Manifest manifest = scan.manifest();
    byte[] manifestBytes = manifest.toBytes();
    String manifestHash = Sha256.hex(manifestBytes);
    CheckpointRef ref = new CheckpointRef(manifestHash, turn, manifest.fileCount(), manifest.totalBytes());
    long uploaded = scan.newBytes() + manifestBytes.length;
    return putAll(scan.newChunks())
        .thenCompose(done -> store.put(manifestHash, manifestBytes))
        .thenApply(done -> new Saved(ref, manifest, uploaded));
  }

  /** Reads and checks the manifest stored under {@code manifestHash}. */
  public CompletionStage<Manifest> load(String manifestHash) {
    return store.get(manifestHash).thenApply(blob -> {
      try {
        byte[] bytes = blob.orElseThrow(() -> new CheckpointException(
            "checkpoint manifest " + manifestHash + " is missing from the blob store"));
        String actual = Sha256.hex(bytes);
        if (!actual.equals(manifestHash)) {
          throw new CheckpointException("checkpoint manifest " + manifestHash + " is corrupt: its bytes hash to " + actual);
        }
        return Manifest.fromBytes(bytes);
      } catch (CheckpointException e) {
        throw new CompletionException(e);
      }
    });
  }

  /**
   * Makes {@code workspace} equal to the checkpoint named by {@code manifestHash} (blocking: run
   * it on a blocking dispatcher) and returns its manifest. What the checkpoint lacks is deleted,
   * except excluded paths; a file whose size and modification time already match is left as it
   * is; other files are written through a temporary file and an atomic move. A missing workspace
   * is created.
   *
   * @throws CheckpointException when the manifest or a chunk is missing or does not match its hash
   */
  public Manifest restore(String manifestHash, Path workspace) throws IOException {
    Manifest manifest = await(load(manifestHash));
    new WorkspaceRestorer(store, settings, manifest, PARALLELISM).restore(workspace);
    return manifest;
  }

  private CompletableFuture<Void> putAll(Map<String, byte[]> chunks) {
    Queue<Map.Entry<String, byte[]>> queue = new ConcurrentLinkedQueue<>(chunks.entrySet());
    CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(PARALLELISM, chunks.size())];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = lane(queue);
    }
    return CompletableFuture.allOf(lanes);
  }

  /** Puts chunks from the queue one after the other until it is empty or a put fails. */
  private CompletableFuture<Void> lane(Queue<Map.Entry<String, byte[]>> queue) {
    while (true) {
      Map.Entry<String, byte[]> next = queue.poll();
      if (next == null) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> put = store.put(next.getKey(), next.getValue()).toCompletableFuture();
      if (!put.isDone()) {
        return put.whenComplete((ok, error) -> {
          if (error != null) {
            queue.clear();
          }
        }).thenCompose(ok -> lane(queue));
      }
      if (put.isCompletedExceptionally()) {
        queue.clear();
        return put;
      }
    }
  }

  static <T> T await(CompletionStage<T> stage) throws IOException {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the blob store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("blob store failed: " + cause, cause);
    }
  }
}
