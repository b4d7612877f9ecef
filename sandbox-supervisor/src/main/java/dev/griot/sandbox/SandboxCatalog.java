package dev.griot.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sandbox kinds a node offers: its default ({@code griot.sandbox.kind}) and those of {@code
 * griot.sandbox.offered}. A run names a kind, or none for the default.
 *
 * @param defaultKind the kind of a run that names none
 * @param kinds every kind the node offers, the default first
 */
public record SandboxCatalog(String defaultKind, Map<String, Sandbox> kinds) {

  /** Every kind Griot knows, offered here or not. */
  public static final List<String> KNOWN =
      List.of(Sandboxes.PROCESS, Sandboxes.CONTAINER, Sandboxes.REMOTE, Sandboxes.HOST);

  public SandboxCatalog {
    Objects.requireNonNull(defaultKind, "defaultKind");
    kinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
    if (!kinds.containsKey(defaultKind)) throw new IllegalArgumentException("the default kind must be offered: " + defaultKind);
  }

  /** A node offering only {@code sandbox}, as kind {@code kind}. */
  public static SandboxCatalog of(String kind, Sandbox sandbox) {
    return new SandboxCatalog(kind, Map.of(kind, sandbox));
  }

  /** Whether {@code kind} is a kind Griot knows (empty: the default, known too). */
  public static boolean known(String kind) {
    return kind.isEmpty() || KNOWN.contains(kind);
  }

  /**
   * The sandbox of {@code kind} (empty: the default).
   *
   * @throws SandboxException (a refusal) for a kind Griot does not know or this node does not offer
   */
  public Sandbox forKind(String kind) {
    String k = kind == null || kind.isEmpty() ? defaultKind : kind;
    Sandbox sandbox = kinds.get(k);
    if (sandbox != null) return sandbox;
    if (!KNOWN.contains(k))
      throw SandboxException.refused("unknown sandbox kind '" + k + "': use " + String.join(", ", KNOWN));
    throw SandboxException.refused("this node offers no '" + k + "' sandbox: it offers " + String.join(", ", kinds.keySet())
        + " (griot.sandbox.kind and griot.sandbox.offered)");
  }
}
