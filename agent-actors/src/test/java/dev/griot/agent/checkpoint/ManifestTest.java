package dev.griot.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.checkpoint.Manifest.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The manifest's stored JSON form, its queries, and the journaled {@link CheckpointRef}. */
class ManifestTest {

  private static final ActorTestKit TEST_KIT = ActorTestKit.create(ConfigFactory.load());

  private static final Manifest MANIFEST = new Manifest(List.of(
      Entry.file("src/main.py", 0644, 70, 1_700_000_000_123L, List.of("aa", "bb")),
      Entry.directory("src", 0755, 1_700_000_000_000L),
      Entry.symlink("latest", 1_700_000_000_001L, "src/main.py"),
      Entry.file("copy.py", 0755, 70, 1_700_000_000_002L, List.of("aa", "bb")),
      Entry.file("empty", 0600, 0, 1_700_000_000_003L, List.of())));

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void sortsEntriesByPathAndAnswersQueries() {
    assertEquals(List.of("copy.py", "empty", "latest", "src", "src/main.py"),
        MANIFEST.entries().stream().map(Entry::path).toList());
    assertEquals(Set.of("aa", "bb"), MANIFEST.chunkHashes());
    assertEquals(140, MANIFEST.totalBytes());
    assertEquals(3, MANIFEST.fileCount());
    assertEquals(Optional.of(Manifest.Kind.SYMLINK), MANIFEST.entry("latest").map(Entry::kind));
    assertEquals(Optional.empty(), MANIFEST.entry("src/other.py"));
  }

  @Test
  void storesAStableJsonForm() throws Exception {
    String json = new String(new Manifest(List.of(
        Entry.file("a.txt", 0644, 3, 5, List.of("h1")))).toBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"format\":1,\"entries\":[{\"path\":\"a.txt\",\"kind\":\"FILE\",\"mode\":420,\"size\":3,"
        + "\"modifiedMillis\":5,\"chunks\":[\"h1\"],\"linkTarget\":\"\"}]}", json);
    assertEquals(MANIFEST, Manifest.fromBytes(MANIFEST.toBytes()));
  }

  @Test
  void refusesUnreadableOrUnknownFormats() {
    assertThrows(CheckpointException.class, () -> Manifest.fromBytes("not json".getBytes(StandardCharsets.UTF_8)));
    assertThrows(CheckpointException.class,
        () -> Manifest.fromBytes("{\"format\":2,\"entries\":[]}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(CheckpointException.class, () -> Manifest.fromBytes(
        "{\"format\":1,\"entries\":[{\"path\":\"../x\",\"kind\":\"FILE\"}]}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesPathsThatLeaveTheWorkspaceAndDuplicates() {
    for (String path : List.of("/etc/passwd", "a/../../b", "./a", "a//b", "a/", "")) {
      assertThrows(IllegalArgumentException.class, () -> Entry.directory(path, 0755, 0), path);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new Manifest(List.of(Entry.directory("a", 0755, 0), Entry.directory("a", 0700, 0))));
  }

  @Test
  void manifestAndRefSurviveCbor() {
    SerializationTestKit serialization = new SerializationTestKit(TEST_KIT.system());
    serialization.verifySerialization(MANIFEST, true);
    serialization.verifySerialization(new CheckpointRef("abc", 3, 12, 4096), true);
  }
}
