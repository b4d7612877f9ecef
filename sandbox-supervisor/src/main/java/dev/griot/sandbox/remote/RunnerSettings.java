package dev.griot.sandbox.remote;

import com.typesafe.config.Config;
import dev.griot.sandbox.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the {@code griot runner} daemon, read from {@code griot.runner}.
 *
 * @param host the address the runner's gRPC API listens on
 * @param port its port (0: any free port)
 * @param token the token every call must carry
 * @param workspaceRoot the folder holding one workspace per sandbox; a node names a workspace,
 *     never a path, so a runner writes nowhere else
 * @param spoolDir the folder holding one output spool per sandbox
 * @param retainEnded how long an ended sandbox and its spool are kept for a caller to attach
 *     before they are deleted (a caller that got the exit releases them at once)
 * @param tls the PEM certificate chain and PKCS#8 key to serve TLS with; empty for plain HTTP/2
 */
public record RunnerSettings(
    String host, int port, String token, Path workspaceRoot, Path spoolDir, Duration retainEnded,
    Optional<RunnerTls> tls) {

  /** The runner's certificate chain and private key, both PEM files. */
  public record RunnerTls(Path certificate, Path privateKey) {}

  /**
   * Reads the settings; the token comes from {@code token}, else the file {@code token-file}, else
   * the environment variable named by {@code token-env}.
   *
   * @throws SandboxException when no token is configured (a runner never serves without one)
   */
  public static RunnerSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.runner");
    Path home = c.getString("home").isBlank()
        ? Path.of(System.getProperty("user.home"), ".griot", "runner") : Path.of(c.getString("home"));
    String token = token(c);
    if (token.isBlank())
      throw new SandboxException("the griot runner needs a token: set griot.runner.token-file, or the environment "
          + "variable named by griot.runner.token-env (" + c.getString("token-env") + ")");
    Optional<RunnerTls> tls = c.getString("tls.certificate").isBlank() ? Optional.empty()
        : Optional.of(new RunnerTls(Path.of(c.getString("tls.certificate")), Path.of(c.getString("tls.private-key"))));
    return new RunnerSettings(c.getString("host"), c.getInt("port"), token,
        home.resolve("workspaces"), home.resolve("spool"), c.getDuration("retain-ended"), tls);
  }

  /** The token from {@code token}, {@code token-file} or {@code token-env} of a runner or client section. */
  static String token(Config c) {
    if (!c.getString("token").isBlank()) return c.getString("token");
    if (!c.getString("token-file").isBlank()) {
      try {
        return Files.readString(Path.of(c.getString("token-file"))).strip();
      } catch (java.io.IOException e) {
        throw new SandboxException("cannot read the runner token file " + c.getString("token-file") + ": " + e);
      }
    }
    String env = c.getString("token-env");
    String value = env.isBlank() ? null : System.getenv(env);
    return value == null ? "" : value.strip();
  }
}
