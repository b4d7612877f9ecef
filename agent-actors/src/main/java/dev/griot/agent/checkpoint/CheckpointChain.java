package dev.griot.agent.checkpoint;

import dev.griot.persistence.blob.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One attempt's checkpoints, in turn order. Each scan starts from the previous <em>scan</em>, not
 * from the previous upload, so a paused sandbox waits only for its own files to be read, never
 * for the store; the uploads follow one another in order.
 *
 * <p>Since a scan takes the previous scan's chunks as stored, an upload that fails leaves chunks
 * later manifests may name: they are kept and written with the next upload (only those its
 * manifest still names). A checkpoint whose workspace did not change at all (same manifest, no
 * chunk to write) writes nothing.
 *
 * <p>{@link #take} and {@link #scanned} are called from one thread (the worker actor's); the
 * uploads' own state is only touched by the uploads, which run one at a time.
 */
public final class CheckpointChain {

  private final Checkpointer checkpointer;
  private final CheckpointSettings settings;
  private final Executor blocking;
  private CompletableFuture<Optional<Manifest>> lastScan;
  private CompletableFuture<?> lastUpload = CompletableFuture.completedFuture(null);
  /** Chunks of failed uploads that later manifests may name (touched by uploads only). */
  private final Map<String, byte[]> unstored = new HashMap<>();
  /** The hash of the latest manifest known to be stored (touched by uploads only). */
  private String storedManifest;

  /** @param start the manifest the workspace was restored from (its chunks are stored), if any */
  public CheckpointChain(Checkpointer checkpointer, CheckpointSettings settings, Executor blocking, Optional<Manifest> start) {
    this.checkpointer = checkpointer;
    this.settings = settings;
    this.blocking = blocking;
    this.lastScan = CompletableFuture.completedFuture(start);
    this.storedManifest = start.map(m -> Sha256.hex(m.toBytes())).orElse(null);
  }

  /**
   * Checkpoints {@code workspace} as of the end of {@code turn}: once {@code paused} completes
   * (true when the sandbox was paused) and the previous scan is done, scans it on {@code
   * blocking}, calls {@code resume} if it was paused, and uploads after the previous upload.
   */
  public CompletableFuture<Checkpointer.Saved> take(int turn, Path workspace, CompletableFuture<Boolean> paused, Runnable resume) {
    CompletableFuture<Optional<Manifest>> before = lastScan;
    CompletableFuture<Scan> scanned = before.thenCombineAsync(paused, (previous, isPaused) -> {
      try {
        return WorkspaceScanner.scan(workspace, previous, settings);
      } catch (IOException e) {
        throw new CompletionException(e);
      } finally {
        if (isPaused) resume.run();
      }
    }, blocking);
    lastScan = scanned.handle((scan, err) -> scan != null ? Optional.of(scan.manifest()) : before.join());
    CompletableFuture<Checkpointer.Saved> saved = lastUpload
        .handle((ignored, err) -> null)
        .thenCompose(ignored -> scanned)
        .thenCompose(scan -> upload(scan, turn));
    lastUpload = saved;
    return saved;
  }

  /** Completes once the latest checkpoint has read the workspace (whether or not it is stored yet). */
  public CompletableFuture<?> scanned() {
    return lastScan;
  }

  private CompletableFuture<Checkpointer.Saved> upload(Scan scan, int turn) {
    Set<String> named = scan.manifest().chunkHashes();
    Map<String, byte[]> chunks = new LinkedHashMap<>(scan.newChunks());
    unstored.keySet().retainAll(named);
    unstored.forEach(chunks::putIfAbsent);
    String hash = Sha256.hex(scan.manifest().toBytes());
    if (chunks.isEmpty() && hash.equals(storedManifest)) { // nothing changed: nothing to write
      Manifest m = scan.manifest();
      return CompletableFuture.completedFuture(
          new Checkpointer.Saved(new CheckpointRef(hash, turn, m.fileCount(), m.totalBytes()), m, 0));
    }
    return checkpointer.upload(new Scan(scan.manifest(), chunks), turn).toCompletableFuture().whenComplete((s, err) -> {
      if (err == null) {
        unstored.clear();
        storedManifest = s.ref().manifest();
      } else {
        unstored.putAll(chunks);
      }
    });
  }
}
