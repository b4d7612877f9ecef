package dev.griot.persistence.blob;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Content-addressed storage of immutable blobs. A blob's key is the lowercase hex SHA-256 of its
 * bytes ({@link Sha256#hex(byte[])}), so equal bytes are stored once and a blob never changes.
 */
public interface BlobStore {

  /**
   * Stores {@code data} under {@code hash}, its SHA-256. Idempotent: putting the same hash (and so
   * the same bytes) again is harmless.
   */
  CompletionStage<Void> put(String hash, byte[] data);

  /** The blob stored under {@code hash}, or empty when there is none. */
  CompletionStage<Optional<byte[]>> get(String hash);
}
