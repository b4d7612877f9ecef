package dev.griot.agent.harness.codex;

import dev.griot.agent.harness.CliHarnessAdapter;
import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.OptionChecks;
import dev.griot.agent.harness.CliOptionChecks;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code codex} harness: Codex CLI headless,
 *
 * <pre>
 * codex exec --json --skip-git-repo-check --sandbox danger-full-access [--model M]
 *   [-c model_provider="griot" -c model_providers.griot.…] -- PROMPT
 * codex exec --json --skip-git-repo-check --sandbox danger-full-access [--model M]
 *   [-c …] resume -- THREAD_ID PROMPT
 * </pre>
 *
 * read by {@link CodexExecJsonParser}. {@code exec}'s options come before the {@code resume}
 * subcommand, and the positional arguments after {@code --}, so a prompt starting with {@code -}
 * stays a prompt. Griot's sandbox is the isolation, so Codex's own sandbox is off ({@code
 * danger-full-access}: it cannot nest one inside bubblewrap); standard input is {@code /dev/null}
 * (the sandbox gives nothing else), which {@code codex exec} needs so as not to wait for a prompt
 * there.
 *
 * <p>Codex keeps its sessions under {@code $CODEX_HOME/sessions/…/rollout-…-<thread id>.jsonl};
 * {@code CODEX_HOME} is left at its default {@code $HOME/.codex}, which in the sandbox is {@code
 * <workspace>/.home/.codex}, so a resumed attempt (same workspace) finds the thread. (Setting
 * {@code CODEX_HOME} would need the folder to exist first: Codex refuses a {@code CODEX_HOME} that
 * is not there.)
 *
 * <p>The sandbox has no network. Codex reaches a model only through the node's egress gateway:
 * option {@code egress=true} asks for it, and {@code base_url} (the gateway's route, for example
 * {@code http://127.0.0.1:8080/openai/v1}) becomes a model provider {@code griot} with {@code
 * wire_api = "responses"} and no {@code env_key}: Codex then sends no key at all, and the gateway
 * adds the real one.
 */
public final class CodexAdapter extends CliHarnessAdapter {

  public static final String NAME = "codex";

  /** The model provider a {@code base_url} defines. */
  public static final String PROVIDER = "griot";


  /** Codex found on the sandbox's {@code PATH} (or under the system folders). */
  public CodexAdapter() {
    this(List.of());
  }

  /**
   * @param readOnlyPaths host folders the harness needs to read, such as an npm installation
   *     outside the system folders; set by the node's operator, never by a run
   */
  public CodexAdapter(List<Path> readOnlyPaths) {
    super(NAME, Set.of(), readOnlyPaths);
  }

  @Override
  protected SandboxSpec spec(HarnessInvocation inv) {
    Map<String, String> o = inv.options();
    List<String> cmd = new ArrayList<>();
    cmd.add(o.getOrDefault("program", "codex"));
    cmd.addAll(List.of("exec", "--json", "--skip-git-repo-check", "--sandbox", "danger-full-access"));
    if (o.containsKey("model")) cmd.addAll(List.of("--model", o.get("model")));
    if (o.containsKey("base_url")) {
      String p = "model_providers." + PROVIDER + ".";
      // TOML strings: a valid URL holds neither '"' nor '\'
      cmd.addAll(
          List.of(
              "-c", "model_provider=\"" + PROVIDER + "\"",
              "-c", p + "name=\"" + PROVIDER + "\"",
              "-c", p + "base_url=\"" + o.get("base_url") + "\"",
              "-c", p + "wire_api=\"responses\""));
    }
    if (inv.nativeResume().isPresent())
      cmd.addAll(List.of("resume", "--", inv.nativeResume().get().sessionId(), inv.prompt()));
    else cmd.addAll(List.of("--", inv.prompt()));
    return new SandboxSpec(cmd, inv.workspace(), Map.of());
  }

  @Override
  public HarnessParser newParser(int startTurnNumber) {
    return new CodexExecJsonParser(startTurnNumber);
  }
}
