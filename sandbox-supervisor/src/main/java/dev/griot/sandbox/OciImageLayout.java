package dev.griot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An OCI image layout (a folder with {@code oci-layout}, {@code index.json} and {@code
 * blobs/sha256/}) unpacked into a root file system for the container kind: the manifest named by
 * the reference's tag (or the only one), for linux/amd64 when the index lists several platforms,
 * its layers applied in order with their whiteouts ({@code .wh.<name>} deletes a file of a lower
 * layer, {@code .wh..wh..opq} empties a folder). Every blob is checked against its digest. The
 * result is cached under the manifest's digest, so an image is unpacked once per node.
 */
final class OciImageLayout {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String WHITEOUT = ".wh.";

  private OciImageLayout() {}

  /**
   * The root file system of {@code reference} ({@code <layout folder>[:<tag>]}), unpacked under
   * {@code cache} unless it already is.
   *
   * @throws SandboxException (a refusal) when the layout, its manifest or a blob is missing or
   *     does not match its digest
   */
  static Path rootfs(String reference, Path cache) {
    int colon = reference.lastIndexOf(':');
    Path layout = Path.of(colon > 0 && !reference.substring(colon).contains("/") ? reference.substring(0, colon) : reference);
    String tag = colon > 0 && !reference.substring(colon).contains("/") ? reference.substring(colon + 1) : null;
    if (!Files.isRegularFile(layout.resolve("index.json")))
      throw SandboxException.refused("OCI image layout " + layout + " has no index.json (griot.sandbox.container.image)");
    JsonNode manifestDescriptor = manifestOf(layout, read(layout.resolve("index.json")), tag, reference);
    String digest = manifestDescriptor.path("digest").asText();
    Path target = cache.resolve(hex(digest));
    Path rootfs = target.resolve("rootfs");
    if (Files.exists(target.resolve("complete"))) return rootfs;

    JsonNode manifest = readBlob(layout, digest);
    Path partial = cache.resolve(hex(digest) + ".partial-" + ProcessHandle.current().pid());
    try {
      deleteTree(partial);
      Files.createDirectories(partial.resolve("rootfs"));
      for (JsonNode layer : manifest.path("layers")) apply(layout, layer, partial.resolve("rootfs"));
      Files.writeString(partial.resolve("complete"), digest + "\n");
      deleteTree(target);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack OCI image " + reference + " into " + target, e);
    } finally {
      deleteTree(partial);
    }
    return rootfs;
  }

  private static JsonNode manifestOf(Path layout, JsonNode index, String tag, String reference) {
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode m : index.path("manifests")) {
      String name = m.path("annotations").path("org.opencontainers.image.ref.name").asText("");
      if (tag == null || tag.equals(name)) candidates.add(m);
    }
    if (candidates.isEmpty())
      throw SandboxException.refused("OCI image layout " + layout + " has no manifest" + (tag == null ? "" : " tagged '" + tag + "'"));
    if (candidates.size() > 1 && tag == null)
      throw SandboxException.refused("OCI image layout " + layout + " holds several images: name one as " + layout + ":<tag>");
    JsonNode chosen = candidates.get(0);
    if (chosen.path("mediaType").asText().endsWith("image.index.v1+json")
        || chosen.path("mediaType").asText().endsWith("manifest.list.v2+json")) {
      for (JsonNode m : readBlob(layout, chosen.path("digest").asText()).path("manifests")) {
        JsonNode p = m.path("platform");
        if ("linux".equals(p.path("os").asText()) && "amd64".equals(p.path("architecture").asText())) return m;
      }
      throw SandboxException.refused("OCI image " + reference + " has no linux/amd64 manifest");
    }
    return chosen;
  }

  private static void apply(Path layout, JsonNode layer, Path rootfs) throws IOException {
    Path blob = verifiedBlob(layout, layer.path("digest").asText());
    List<String> entries = tar("-tf", blob.toString());
    for (String entry : entries) {
      Path path = Path.of(entry.startsWith("./") ? entry.substring(2) : entry).normalize();
      if (path.startsWith("..") || path.isAbsolute())
        throw SandboxException.refused("OCI layer " + layer.path("digest").asText() + " escapes its root: " + entry);
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      Path dir = path.getParent() == null ? rootfs : rootfs.resolve(path.getParent());
      if (name.equals(OPAQUE)) {
        if (Files.isDirectory(dir)) try (Stream<Path> children = Files.list(dir)) {
          for (Path child : children.toList()) deleteTree(child);
        }
      } else if (name.startsWith(WHITEOUT)) {
        deleteTree(dir.resolve(name.substring(WHITEOUT.length())));
      }
    }
    tar("-xf", blob.toString(), "-C", rootfs.toString(), "--exclude=" + WHITEOUT + "*", "--no-overwrite-dir");
  }

  /** Runs GNU tar (which reads gzip, bzip2, xz and zstd layers by itself); its output lines. */
  private static List<String> tar(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("tar"));
    argv.addAll(List.of(args));
    Path err = Files.createTempFile("griot-tar", ".err");
    try {
      Process p = new ProcessBuilder(argv).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("tar " + String.join(" ", args) + " timed out");
      }
      if (p.exitValue() != 0)
        throw new IOException("tar " + String.join(" ", args) + " failed: " + Files.readString(err).strip());
      return out.lines().filter(l -> !l.isBlank()).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running tar", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static JsonNode readBlob(Path layout, String digest) {
    return read(verifiedBlob(layout, digest));
  }

  /** The blob of {@code digest}, after checking that its content has that digest. */
  private static Path verifiedBlob(Path layout, String digest) {
    if (!digest.startsWith("sha256:")) throw SandboxException.refused("unsupported digest '" + digest + "' (sha256 only)");
    Path blob = layout.resolve("blobs").resolve("sha256").resolve(hex(digest));
    if (!Files.isRegularFile(blob)) throw SandboxException.refused("OCI image layout " + layout + " lacks blob " + digest);
    try (InputStream in = Files.newInputStream(blob)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
      String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(digest))
        throw SandboxException.refused("OCI blob " + blob + " does not match its digest: " + digest + " expected, " + actual + " found");
      return blob;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + blob, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    if (!hex.matches("[0-9a-f]{64}")) throw SandboxException.refused("malformed digest '" + digest + "'");
    return hex;
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw SandboxException.refused("cannot read " + file + " as JSON: " + e.getMessage());
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(path)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
