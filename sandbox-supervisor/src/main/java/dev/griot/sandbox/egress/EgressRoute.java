package dev.griot.sandbox.egress;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.Optional;

/**
 * One model endpoint a sandbox may reach: requests to {@code /<name>/...} on the sandbox's egress
 * URL go to {@code upstream + ...}, with the credential put into {@code credentialHeader}. The
 * credential comes from the node's environment ({@code credential-env}) or, for development, the
 * config itself ({@code credential}); it never enters a sandbox.
 */
public record EgressRoute(String name, URI upstream, String credentialHeader, String credentialPrefix, Optional<String> credential) {

  static EgressRoute fromConfig(String name, Config c) {
    Optional<String> credential = c.hasPath("credential") && !c.getString("credential").isEmpty()
        ? Optional.of(c.getString("credential"))
        : c.hasPath("credential-env") ? Optional.ofNullable(System.getenv(c.getString("credential-env"))) : Optional.empty();
    String upstream = c.getString("upstream");
    return new EgressRoute(name, URI.create(upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream),
        c.getString("credential-header"), c.hasPath("credential-prefix") ? c.getString("credential-prefix") : "", credential);
  }
}
