package dev.griot.agent.harness.scripted;

import dev.griot.agent.harness.FailureKind;

import dev.griot.agent.harness.HarnessEvent;

import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.claude.ClaudeStreamJsonParser;
import dev.griot.sandbox.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The {@code scripted} harness: runs {@link ScriptedHarnessMain} in a child JVM on the node's own
 * classpath, and reads it with the Claude Code stream-json parser. Options: see {@link
 * ScriptedOptions}.
 *
 * <p>Session ids: a fresh attempt gets {@code --session-id} = the name-based UUID of {@code
 * "griot:<runId>:<attempt>"} (deterministic, distinct per attempt, like {@code claude
 * --session-id}); a resumed attempt gets {@code --resume <sessionId> --completed-turns <n>} and
 * keeps the session id, like {@code claude --resume}.
 *
 * <p>In an isolating sandbox the harness needs to read its JVM and its classpath: the spec
 * declares the JVM's home and every classpath entry as read-only paths (with the jars a
 * manifest-only jar, like Surefire's booter, names in its {@code Class-Path}).
 */
public final class ScriptedAdapter implements HarnessAdapter {

  public static final String NAME = "scripted";

  private static final List<String> JVM_FLAGS =
      List.of("-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final String java;
  private final String classpath;
  private final List<Path> readOnlyPaths;

  /** Starts the harness with the node's own java and classpath. */
  public ScriptedAdapter() {
    this(currentJava(), System.getProperty("java.class.path"));
  }

  public ScriptedAdapter(String java, String classpath) {
    this.java = Objects.requireNonNull(java, "java");
    this.classpath = Objects.requireNonNull(classpath, "classpath");
    this.readOnlyPaths = readOnlyPaths(java, classpath);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(Map<String, String> options) {
    return ScriptedOptions.problems(options);
  }

  @Override
  public SandboxSpec command(HarnessInvocation inv) {
    ScriptedOptions.parse(inv.options());
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", classpath, ScriptedHarnessMain.class.getName()));
    new TreeMap<>(inv.options())
        .forEach((key, value) -> command.addAll(List.of("--" + key.replace('_', '-'), value)));
    command.addAll(List.of("--attempt", String.valueOf(inv.attempt())));
    if (inv.nativeResume().isPresent()) {
      ResumeContext resume = inv.nativeResume().get();
      command.addAll(
          List.of(
              "--resume", resume.sessionId(),
              "--completed-turns", String.valueOf(resume.completedTurns())));
    } else if (inv.isRecovery()) { // a new session, told the journaled turns
      command.addAll(List.of(
          "--session-id", sessionId(inv.runId(), inv.attempt()),
          "--completed-turns", String.valueOf(inv.completedTurns()),
          "--recovery-prompt", inv.prompt()));
    } else {
      command.addAll(List.of("--session-id", sessionId(inv.runId(), inv.attempt())));
    }
    return new SandboxSpec(command, inv.workspace(), Map.of()).withReadOnlyPaths(readOnlyPaths);
  }

  /** The exit code of {@link ScriptedHarnessMain} for arguments it refuses: no retry cures that. */
  public static final int EXIT_BAD_ARGUMENTS = 2;

  @Override
  public HarnessParser newParser(int startTurnNumber) {
    ClaudeStreamJsonParser claude = new ClaudeStreamJsonParser(startTurnNumber);
    return new HarnessParser() {
      @Override
      public List<HarnessEvent> onLine(String line) {
        return claude.onLine(line);
      }

      @Override
      public List<HarnessEvent> onExit(int exitCode) {
        List<HarnessEvent> events = claude.onExit(exitCode);
        if (exitCode != EXIT_BAD_ARGUMENTS || events.isEmpty()) return events;
        return List.of(new HarnessEvent.Error(FailureKind.FATAL, "the scripted harness refused its options (exit 2)"));
      }

      @Override
      public int malformedLines() {
        return claude.malformedLines();
      }
    };
  }

  /** The session id a fresh attempt of a run starts with. */
  public static String sessionId(String runId, int attempt) {
    return UUID.nameUUIDFromBytes(("griot:" + runId + ":" + attempt).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The JVM's home and the classpath's files and folders, as the harness must see them. */
  static List<Path> readOnlyPaths(String java, String classpath) {
    LinkedHashSet<Path> paths = new LinkedHashSet<>();
    Path javaPath = Path.of(java).toAbsolutePath().normalize();
    Path bin = javaPath.getParent();
    paths.add(bin != null && bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null
        ? bin.getParent()
        : Path.of(System.getProperty("java.home")));
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) continue;
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (paths.add(p)) paths.addAll(manifestClassPath(p));
    }
    return List.copyOf(paths);
  }

  /** The entries the {@code Class-Path} of a jar's manifest names (files only). */
  private static List<Path> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) return List.of();
    try (JarFile file = new JarFile(jar.toFile())) {
      var manifest = file.getManifest();
      String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp == null || cp.isBlank()) return List.of();
      List<Path> entries = new ArrayList<>();
      URI base = jar.getParent().toUri();
      for (String e : cp.trim().split("\\s+")) {
        try {
          URI uri = base.resolve(e);
          if ("file".equals(uri.getScheme())) entries.add(Path.of(uri).normalize());
        } catch (RuntimeException ignored) {
          // not a path: nothing to bind
        }
      }
      return entries;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
