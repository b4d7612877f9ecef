package dev.griot.persistence.testkit;

import dev.griot.persistence.blob.BlobStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BlobStore} in memory for unit tests. It counts puts and the bytes they carried (so a
 * test can assert what was uploaded), and lets a test damage or lose a blob.
 */
public final class InMemoryBlobStore implements BlobStore {

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final AtomicInteger puts = new AtomicInteger();
  private final AtomicLong bytesPut = new AtomicLong();

  @Override
  public CompletionStage<Void> put(String hash, byte[] data) {
    puts.incrementAndGet();
    bytesPut.addAndGet(data.length);
    blobs.put(hash, data.clone());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(String hash) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blobs.get(hash)).map(byte[]::clone));
  }

  /** How many puts were made since creation or the last {@link #resetCounts()}. */
  public int puts() {
    return puts.get();
  }

  /** How many bytes those puts carried. */
  public long bytesPut() {
    return bytesPut.get();
  }

  /** Sets the put counters back to zero; the blobs stay. */
  public void resetCounts() {
    puts.set(0);
    bytesPut.set(0);
  }

  /** How many distinct blobs are stored. */
  public int size() {
    return blobs.size();
  }

  public boolean contains(String hash) {
    return blobs.containsKey(hash);
  }

  /** Replaces the bytes under {@code hash} without changing the key, as a damaged store would. */
  public void corrupt(String hash, byte[] data) {
    blobs.put(hash, data.clone());
  }

  /** Forgets the blob under {@code hash}. */
  public void remove(String hash) {
    blobs.remove(hash);
  }
}
