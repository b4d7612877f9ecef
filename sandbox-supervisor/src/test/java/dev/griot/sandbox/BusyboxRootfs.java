package dev.griot.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A container rootfs for tests: the static busybox binary (Debian package {@code busybox-static})
 * and a link per applet in {@code /bin}, a minimal {@code /etc}; about 2 MB.
 */
final class BusyboxRootfs {

  static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  /** Builds the rootfs in the empty or missing folder {@code dir}. */
  static Path create(Path dir) throws IOException, InterruptedException {
    if (!Files.isExecutable(BUSYBOX))
      throw new IllegalStateException(BUSYBOX + " is missing: apt-get install -y busybox-static");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
    Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
    List<String> applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (list.waitFor() != 0 || applets.size() < 100) throw new IllegalStateException("busybox --list: " + applets);
    for (String applet : applets) {
      if (applet.isBlank() || applet.equals("busybox") || applet.contains("/")) continue;
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Files.createSymbolicLink(dir.resolve("sbin"), Path.of("bin"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
    for (String d : List.of("proc", "dev", "sys", "tmp", "root", "usr/bin")) Files.createDirectories(dir.resolve(d));
    return dir;
  }
}
