package dev.griot.sandbox.remote;

import com.typesafe.config.Config;
import dev.griot.sandbox.SandboxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a node reaches its {@code griot runner}, read from {@code griot.sandbox.remote}.
 *
 * @param host the runner's address
 * @param port the runner's port
 * @param token the runner's token
 * @param tls whether the runner serves TLS
 * @param trustedCertificate a PEM file of the certificate (or its CA) to trust; empty: the JVM's
 *     trust store
 * @param callTimeout how long a start, kill or release call may take
 * @param minBackoff the first wait before attaching again after the output stream broke
 * @param maxBackoff the longest wait between two attempts to attach
 * @param reattachTimeout how long the node keeps trying to reach a runner it lost before it takes
 *     the sandbox as lost (the attempt then fails, and is retried)
 */
public record RemoteSettings(
    String host, int port, String token, boolean tls, Optional<Path> trustedCertificate, Duration callTimeout,
    Duration minBackoff, Duration maxBackoff, Duration reattachTimeout) {

  /**
   * Reads the settings.
   *
   * @throws SandboxException when no runner host or token is configured
   */
  public static RemoteSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.sandbox.remote");
    if (c.getString("host").isBlank())
      throw new SandboxException("griot.sandbox.kind = remote needs griot.sandbox.remote.host: the griot runner's address");
    String token = RunnerSettings.token(c);
    if (token.isBlank())
      throw new SandboxException("griot.sandbox.kind = remote needs the runner's token: set griot.sandbox.remote.token-file, "
          + "or the environment variable named by griot.sandbox.remote.token-env (" + c.getString("token-env") + ")");
    String trusted = c.getString("trusted-certificate");
    return new RemoteSettings(c.getString("host"), c.getInt("port"), token, c.getBoolean("tls"),
        trusted.isBlank() ? Optional.empty() : Optional.of(Path.of(trusted)), c.getDuration("call-timeout"),
        c.getDuration("reattach.min-backoff"), c.getDuration("reattach.max-backoff"), c.getDuration("reattach.timeout"));
  }

  /** This, with another token (tests of a wrong token). */
  public RemoteSettings withToken(String token) {
    return new RemoteSettings(host, port, token, tls, trustedCertificate, callTimeout, minBackoff, maxBackoff,
        reattachTimeout);
  }

  /** This, reaching the runner at another port (tests through a proxy). */
  public RemoteSettings withPort(int port) {
    return new RemoteSettings(host, port, token, tls, trustedCertificate, callTimeout, minBackoff, maxBackoff,
        reattachTimeout);
  }
}
