package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI image layouts built here with tar, unpacked, and run in a real runc container. */
class OciImageLayoutTest {

  @TempDir static Path dir;
  private static Path layout;

  @BeforeAll
  static void buildImage() throws Exception {
    Path base = BusyboxRootfs.create(dir.resolve("base"));
    Files.writeString(Files.createDirectories(base.resolve("etc")).resolve("old.txt"), "from layer 1");
    Files.writeString(Files.createDirectories(base.resolve("opt/keep")).resolve("a.txt"), "lower");
    Path upper = Files.createDirectories(dir.resolve("upper"));
    Files.writeString(Files.createDirectories(upper.resolve("etc")).resolve("greeting"), "hello from layer 2\n");
    Files.createFile(upper.resolve("etc/.wh.old.txt"));
    Files.createDirectories(upper.resolve("opt/keep"));
    Files.createFile(upper.resolve("opt/keep/.wh..wh..opq"));
    Files.writeString(upper.resolve("opt/keep/b.txt"), "upper");

    layout = Files.createDirectories(dir.resolve("image"));
    Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
    Path l1 = dir.resolve("l1.tar.gz");
    Path l2 = dir.resolve("l2.tar");
    tar("-czf", l1.toString(), "-C", base.toString(), ".");
    tar("-cf", l2.toString(), "-C", upper.toString(), ".");
    String d1 = blob(blobs, Files.readAllBytes(l1));
    String d2 = blob(blobs, Files.readAllBytes(l2));
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes();
    String dc = blob(blobs, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + dc + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + d1 + "\",\"size\":" + Files.size(l1) + "},"
        + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + d2 + "\",\"size\":" + Files.size(l2) + "}]}").getBytes();
    String dm = blob(blobs, manifest);
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + dm + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
  }

  private static void tar(String... args) throws Exception {
    var argv = new java.util.ArrayList<>(List.of("tar"));
    argv.addAll(List.of(args));
    assertEquals(0, new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("tar.log").toFile())
        .start().waitFor());
  }

  private static String blob(Path blobs, byte[] content) throws Exception {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    Files.write(blobs.resolve(hex), content);
    return "sha256:" + hex;
  }

  @Test
  void layersApplyInOrderWithTheirWhiteoutsAndTheResultIsCached() throws Exception {
    Path cache = dir.resolve("cache");
    Path rootfs = OciImageLayout.rootfs(layout + ":v1", cache);
    assertEquals("hello from layer 2\n", Files.readString(rootfs.resolve("etc/greeting")));
    assertFalse(Files.exists(rootfs.resolve("etc/old.txt")), "a whiteout deletes the lower layer's file");
    assertFalse(Files.exists(rootfs.resolve("etc/.wh.old.txt")), "whiteout markers are not unpacked");
    assertFalse(Files.exists(rootfs.resolve("opt/keep/a.txt")), "an opaque folder hides the lower layer's content");
    assertEquals("upper", Files.readString(rootfs.resolve("opt/keep/b.txt")));
    assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
    Files.writeString(rootfs.resolve("marker"), "unpacked once");
    assertEquals(rootfs, OciImageLayout.rootfs(layout.toString(), cache), "the only image, without a tag; from the cache");
    assertTrue(Files.exists(rootfs.resolve("marker")), "not unpacked again");
  }

  @Test
  void aMissingTagOrLayoutOrACorruptBlobIsRefused() throws Exception {
    SandboxException tag = assertThrows(SandboxException.class, () -> OciImageLayout.rootfs(layout + ":nope", dir.resolve("c1")));
    assertTrue(tag.permanent());
    assertTrue(tag.getMessage().contains("has no manifest tagged 'nope'"), tag.getMessage());
    SandboxException none = assertThrows(SandboxException.class, () -> OciImageLayout.rootfs(dir.resolve("nowhere").toString(), dir.resolve("c1")));
    assertTrue(none.getMessage().contains("has no index.json"), none.getMessage());

    Path copy = dir.resolve("corrupt");
    tar("-cf", dir.resolve("copy.tar").toString(), "-C", layout.toString(), ".");
    Files.createDirectories(copy);
    tar("-xf", dir.resolve("copy.tar").toString(), "-C", copy.toString());
    try (var blobs = Files.list(copy.resolve("blobs/sha256"))) {
      for (Path b : blobs.toList()) if (Files.size(b) > 10_000) Files.write(b, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    }
    SandboxException corrupt = assertThrows(SandboxException.class, () -> OciImageLayout.rootfs(copy + ":v1", dir.resolve("c2")));
    assertTrue(corrupt.getMessage().contains("does not match its digest"), corrupt.getMessage());
  }

  @Test
  void theContainerKindRunsOnAnImage() throws Exception {
    var executor = Executors.newCachedThreadPool();
    try {
      var sandbox = Sandboxes.fromConfig(ConfigFactory.parseMap(Map.of(
          "griot.sandbox.kind", "container",
          "griot.sandbox.container.image", layout + ":v1",
          "griot.sandbox.container.image-cache", dir.resolve("node-cache").toString())).withFallback(ConfigFactory.load()), executor);
      var listener = new RecordingListener();
      var handle = sandbox.start(new SandboxSpec(List.of("cat", "/etc/greeting"), dir.resolve("ws"), Map.of()), listener);
      assertEquals(0, handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS), listener.stderr().toString());
      assertEquals(List.of("hello from layer 2"), listener.stdout());
    } finally {
      executor.shutdownNow();
    }
  }
}
