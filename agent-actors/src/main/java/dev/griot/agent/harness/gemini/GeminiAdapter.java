package dev.griot.agent.harness.gemini;

import dev.griot.agent.harness.HarnessJson;
import dev.griot.agent.harness.CliHarnessAdapter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.OptionChecks;
import dev.griot.agent.harness.CliOptionChecks;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code gemini} harness: Gemini CLI headless, read by {@link GeminiStreamJsonParser}:
 *
 * <pre>
 * sh -c 'mkdir -p "$HOME/.gemini" &amp;&amp; printf '%s\n' "$1" &gt; "$HOME/.gemini/settings.json" &amp;&amp; shift &amp;&amp; exec "$@"' \
 *   griot-gemini SETTINGS_JSON \
 *   gemini --prompt=PROMPT --skip-trust --output-format stream-json [--model M]
 *   [--approval-mode A] [--resume SESSION_ID]
 * </pre>
 *
 * <p><b>Why a shell.</b> The CLI starts only with an auth type in {@code
 * ~/.gemini/settings.json} ({@code {"security":{"auth":{"selectedType":"gemini-api-key"}}}});
 * neither an environment variable nor a flag replaces it (without it: exit 41 "Invalid auth
 * method selected"). {@link #command} only describes the process and writes nothing, and the
 * sandbox's HOME ({@code <workspace>/.home}) exists only once the sandbox starts, so the file is
 * written by the harness's own first step, inside the sandbox, from an argument ({@code $1}, no
 * quoting of JSON or prompt into the script); then {@code exec} replaces the shell by the CLI, so
 * the exit code and signals are the CLI's. The file is written on every attempt (a resumed
 * attempt gets the same one). Option {@code max_turns} goes there too ({@code
 * model.maxSessionTurns}: the CLI has no flag for it). A program that is not there makes the
 * shell exit 127, read as a {@code SANDBOX} failure.
 *
 * <p>The prompt is passed as {@code --prompt=PROMPT}, one argument, so a prompt starting with
 * {@code -} stays a prompt. A fresh attempt lets the CLI choose its session id (it prints it in
 * {@code init}); a resumed one passes {@code --resume <session id>}. The CLI keeps its sessions
 * under {@code ~/.gemini/tmp/}, in the workspace's HOME.
 *
 * <p>The sandbox has no network. Gemini reaches a model only through the node's egress gateway:
 * option {@code egress=true} asks for it, and {@code base_url} (the gateway's route, for example
 * {@code http://127.0.0.1:8080/gemini}) becomes {@code GOOGLE_GEMINI_BASE_URL}. The CLI will not
 * start without {@code GEMINI_API_KEY}, so it gets {@value #PLACEHOLDER_KEY}: not a credential, the
 * gateway drops the key a request carries and adds the real one.
 */
public final class GeminiAdapter extends CliHarnessAdapter {

  public static final String NAME = "gemini";

  /** The API key the harness is given: not a credential, the egress gateway replaces it. */
  public static final String PLACEHOLDER_KEY = "griot-egress-gateway";

  /** The shell step that writes the settings file (argument 1) and then runs the rest. */
  public static final String SETTINGS_SCRIPT =
      "mkdir -p \"$HOME/.gemini\" && printf '%s\\n' \"$1\" > \"$HOME/.gemini/settings.json\" && shift && exec \"$@\"";

  static final Set<String> OPTIONS = Set.of("approval_mode", "max_turns");

  static final Set<String> APPROVAL_MODES = Set.of("default", "auto_edit", "yolo", "plan");

  /** Gemini CLI found on the sandbox's {@code PATH} (or under the system folders). */
  public GeminiAdapter() {
    this(List.of());
  }

  /**
   * @param readOnlyPaths host folders the harness needs to read, such as an npm installation
   *     outside the system folders; set by the node's operator, never by a run
   */
  public GeminiAdapter(List<Path> readOnlyPaths) {
    super(NAME, OPTIONS, readOnlyPaths);
  }

  @Override
  protected void validateOwn(Map<String, String> options, List<String> problems) {
    OptionChecks.oneOf(options, "approval_mode", APPROVAL_MODES, problems);
    OptionChecks.intInRange(options, "max_turns", 1, 10_000, problems);
  }

  @Override
  protected SandboxSpec spec(HarnessInvocation inv) {
    Map<String, String> o = inv.options();
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", SETTINGS_SCRIPT, "griot-gemini", settings(o)));
    cmd.add(o.getOrDefault("program", "gemini"));
    cmd.addAll(List.of("--prompt=" + inv.prompt(), "--skip-trust", "--output-format", "stream-json"));
    if (o.containsKey("model")) cmd.addAll(List.of("--model", o.get("model")));
    if (o.containsKey("approval_mode")) cmd.addAll(List.of("--approval-mode", o.get("approval_mode")));
    inv.nativeResume().ifPresent(r -> cmd.addAll(List.of("--resume", r.sessionId())));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GEMINI_API_KEY", PLACEHOLDER_KEY);
    if (o.containsKey("base_url")) env.put("GOOGLE_GEMINI_BASE_URL", o.get("base_url"));
    return new SandboxSpec(cmd, inv.workspace(), env);
  }

  /** The settings file the CLI needs: api-key auth, and the turn limit when one is set. */
  static String settings(Map<String, String> options) {
    ObjectNode root = HarnessJson.MAPPER.createObjectNode();
    root.putObject("security").putObject("auth").put("selectedType", "gemini-api-key");
    if (options.containsKey("max_turns"))
      root.putObject("model").put("maxSessionTurns", Integer.parseInt(options.get("max_turns").trim()));
    return HarnessJson.compact(root);
  }

  @Override
  public HarnessParser newParser(int startTurnNumber) {
    return new GeminiStreamJsonParser(startTurnNumber);
  }
}
