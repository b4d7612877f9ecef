package dev.griot.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A harness CLI installed from the npm registry into a test folder (its package.json and lock). */
final class NpmCli {

  private NpmCli() {}

  /**
   * Runs {@code npm ci} in {@code folder} unless {@code program} (relative to it) is already there,
   * and returns the program's absolute path, failing after 10 minutes. npm's output goes to a file
   * and is shown only when it fails, never inherited: a forked test JVM's own stdout is Surefire's
   * channel.
   */
  static Path ensureInstalled(Path folder, String program) throws IOException, InterruptedException {
    Path bin = folder.resolve(program);
    if (Files.isRegularFile(bin)) return bin;
    Path log = Files.createTempFile("npm-ci", ".log");
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(folder.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = npm.waitFor(600, TimeUnit.SECONDS);
    if (!ended) npm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertTrue(ended && npm.exitValue() == 0, "npm ci in " + folder + ":\n" + out);
    assertTrue(Files.isRegularFile(bin), "npm ci in " + folder + " gave no " + program + ":\n" + out);
    return bin;
  }
}
