package dev.griot.agent.harness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.griot.persistence.CborSerializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a run, as a harness adapter needs it to build a command line.
 *
 * @param runId the run
 * @param attempt the attempt number, from 1
 * @param prompt the user's prompt
 * @param workspace the sandbox's workspace, the harness's working directory
 * @param options harness-specific options, already validated by {@link HarnessRegistry}
 * @param resume the session and turn count to continue from, when an earlier attempt got that far
 */
public record HarnessInvocation(
    String runId,
    int attempt,
    String prompt,
    Path workspace,
    Map<String, String> options,
    Optional<ResumeContext> resume)
    implements CborSerializable {

  public HarnessInvocation {
    Objects.requireNonNull(runId, "runId");
    if (attempt < 1) throw new IllegalArgumentException("attempts count from 1: " + attempt);
    prompt = prompt == null ? "" : prompt;
    Objects.requireNonNull(workspace, "workspace");
    options = options == null ? Map.of() : Map.copyOf(options);
    resume = resume == null ? Optional.empty() : resume;
  }

  /** The harness's own session to continue ({@code --resume}); empty for a fresh start and a recovery. */
  public Optional<ResumeContext> nativeResume() {
    return resume.filter(ResumeContext::isNative);
  }

  /** Whether this attempt starts a new session told the run's journaled turns in its prompt. */
  @JsonIgnore
  public boolean isRecovery() {
    return resume.isPresent() && !resume.get().isNative();
  }

  /** The turns already completed by earlier attempts: where this attempt's numbering continues. */
  public int completedTurns() {
    return resume.map(ResumeContext::completedTurns).orElse(0);
  }
}
