package dev.griot.persistence.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.persistence.testkit.TestCassandra;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link CassandraBlobStore} on the real Cassandra, in a fresh keyspace with the full schema. */
class CassandraBlobStoreTest {

  private static String keyspace;
  private static CassandraBlobStore store;

  @BeforeAll
  static void freshKeyspace() {
    keyspace = TestCassandra.freshKeyspace("blobs");
    store = new CassandraBlobStore(CompletableFuture.completedFuture(TestCassandra.session()), keyspace);
  }

  @AfterAll
  static void dropKeyspace() {
    TestCassandra.dropKeyspace(keyspace);
  }

  @Test
  void getsWhatWasPut() throws Exception {
    byte[] data = "a chunk of a session file\n".getBytes(StandardCharsets.UTF_8);
    String hash = Sha256.hex(data);
    await(store.put(hash, data));
    assertArrayEquals(data, await(store.get(hash)).orElseThrow());
  }

  @Test
  void roundTripsBinaryAndEmptyBlobs() throws Exception {
    byte[] binary = new byte[256 * 1024];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 31);
    }
    byte[] empty = new byte[0];
    await(store.put(Sha256.hex(binary), binary));
    await(store.put(Sha256.hex(empty), empty));
    assertArrayEquals(binary, await(store.get(Sha256.hex(binary))).orElseThrow());
    assertArrayEquals(empty, await(store.get(Sha256.hex(empty))).orElseThrow());
  }

  @Test
  void aMissingHashIsEmpty() throws Exception {
    assertEquals(Optional.empty(), await(store.get(Sha256.hex("never stored".getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void putsTheSameBlobTwice() throws Exception {
    byte[] data = "twice".getBytes(StandardCharsets.UTF_8);
    String hash = Sha256.hex(data);
    await(store.put(hash, data));
    await(store.put(hash, data));
    assertArrayEquals(data, await(store.get(hash)).orElseThrow());
    long rows = TestCassandra.session().execute(
        "SELECT hash FROM " + keyspace + ".blob_chunks WHERE hash = '" + hash + "'").all().size();
    assertEquals(1, rows);
  }

  @Test
  void hashesAreLowercaseHexSha256() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
    byte[] abc = "xabcx".getBytes(StandardCharsets.US_ASCII);
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex(abc, 1, 3));
    assertTrue(Sha256.hex(abc).matches("[0-9a-f]{64}"));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
