package dev.griot.agent.harness.scripted;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code scripted} harness as a program: replays a Claude Code stream-json transcript to
 * stdout, one flushed line at a time, exactly as {@code claude -p --output-format stream-json
 * --verbose} would print it, so it goes through the same parser as the real CLI. No model, no
 * network.
 *
 * <pre>
 * java -cp CLASSPATH dev.griot.agent.harness.scripted.ScriptedHarnessMain
 *     [--transcript NAME|/ABS/PATH] [--turns N] [--line-delay-ms MS]
 *     [--fail-after-turns K [--fail-mode crash|transient|fatal] [--fail-attempts F]]
 *     [--attempt A]                          (default 1)
 *     [--session-id UUID]                    (default: a random UUID)
 *     [--resume SESSION_ID --completed-turns N]
 *     [--recovery-prompt TEXT --completed-turns N]   (a new session told turns 1..N)
 * </pre>
 *
 * The options are those of {@link ScriptedOptions}, {@code _} written as {@code -}. With {@code
 * --resume} it prints {@code system/init} with that session id and goes on from turn N+1, the way
 * Claude Code's own {@code --resume} continues a session. Like Claude Code, it keeps its session
 * in {@code $HOME/.claude/projects/<cwd with / turned to ->/<session id>.jsonl}: every line it
 * prints, appended before it is printed, and, once turn K is printed whole, right before the
 * next line (the one that tells the parser turn K ended: the next turn's first, the result, a
 * failure) a record {@code {"type":"griot_scripted_turn","turn":K}}; with it, the line {@code
 * turn K} goes to {@code scripted-work.log} in the working directory. So a worker's checkpoint,
 * taken when it has read the line that closed turn K, holds turn K in both and not turn K+1. A resume does not need the files, unless
 * {@code verify_resume} asks it to check them ({@link ResumeCheck}). Exit code: 0 after a
 * successful result, 1 after an error result or a failure mode, 2 for bad arguments.
 */
public final class ScriptedHarnessMain {

  private ScriptedHarnessMain() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("scripted harness: " + e.getMessage());
      code = 2;
    } catch (java.nio.file.NoSuchFileException e) {
      System.err.println("scripted harness: no such transcript: " + e.getFile());
      code = 2; // bad options: no retry cures them
    } catch (IOException e) {
      System.err.println("scripted harness: " + e);
      code = 1; // a write that failed (a closed pipe, a full disk): worth another attempt
    }
    System.out.flush();
    System.err.flush();
    // halt, not exit: a crash is abrupt, and nothing else is left to run anyway.
    Runtime.getRuntime().halt(code);
  }

  private static int run(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>();
    int attempt = 1;
    String sessionId = null;
    String resume = null;
    String recoveryPrompt = null;
    int completedTurns = 0;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--") || i + 1 >= args.length)
        throw new IllegalArgumentException("expected --flag value, got '" + flag + "'");
      String value = args[++i];
      switch (flag) {
        case "--attempt" -> attempt = Integer.parseInt(value);
        case "--session-id" -> sessionId = value;
        case "--resume" -> resume = value;
        case "--completed-turns" -> completedTurns = Integer.parseInt(value);
        case "--recovery-prompt" -> recoveryPrompt = value;
        default -> options.put(flag.substring(2).replace('-', '_'), value);
      }
    }
    if (resume == null && recoveryPrompt == null && completedTurns != 0)
      throw new IllegalArgumentException("--completed-turns needs --resume or --recovery-prompt");
    ScriptedOptions parsed = ScriptedOptions.parse(options);
    ScriptedTranscript transcript = ScriptedTranscript.load(parsed.transcript());
    String session =
        resume != null ? resume : sessionId != null ? sessionId : UUID.randomUUID().toString();

    Writer stdout =
        new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    Optional<Path> sessionFile = sessionFile(session);
    if (parsed.verifyResume() && (resume != null || recoveryPrompt != null)) {
      String problem = resume != null
          ? ResumeCheck.problem(sessionFile, Path.of(WORK_LOG), completedTurns)
          : ResumeCheck.recoveryProblem(recoveryPrompt, completedTurns);
      if (problem != null) return refuseResume(stdout, session, problem);
    }
    long delay = parsed.lineDelayMs();
    ScriptedReplay.LineSink sink =
        new ScriptedReplay.LineSink() {
          @Override
          public void line(com.fasterxml.jackson.databind.node.ObjectNode line) throws IOException {
            String json = ScriptedTranscript.MAPPER.writeValueAsString(line);
            if (sessionFile.isPresent()) append(sessionFile.get(), json);
            stdout.write(json);
            stdout.write('\n');
            stdout.flush();
            pause(delay);
          }

          @Override
          public void turnDone(int turn) throws IOException {
            if (sessionFile.isPresent()) append(sessionFile.get(), ResumeCheck.turnRecord(turn));
            append(Path.of(WORK_LOG), ResumeCheck.workLine(turn));
          }
        };
    return new ScriptedReplay(transcript, parsed, attempt, session, completedTurns, sink).run();
  }

  /** The file in the working directory that holds a line per turn done. */
  static final String WORK_LOG = "scripted-work.log";

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Tells why it will not go on, on stderr and as an error result, and ends the attempt. */
  private static int refuseResume(Writer stdout, String session, String problem) throws IOException {
    System.err.println("scripted harness: resume check failed: " + problem);
    var result = ScriptedTranscript.MAPPER.createObjectNode();
    result.put("type", "result");
    result.put("subtype", "error_during_execution");
    result.put("is_error", true);
    result.put("result", "resume check failed: " + problem);
    result.put("session_id", session);
    stdout.write(ScriptedTranscript.MAPPER.writeValueAsString(result));
    stdout.write('\n');
    stdout.flush();
    return ScriptedReplay.FAILED;
  }

  /** Where Claude Code would keep this session, created; empty without a {@code HOME}. */
  private static Optional<Path> sessionFile(String session) throws IOException {
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) return Optional.empty();
    String project = Path.of("").toAbsolutePath().toString().replace('/', '-');
    Path dir = Path.of(home, ".claude", "projects", project);
    Files.createDirectories(dir);
    return Optional.of(dir.resolve(session + ".jsonl"));
  }

  private static void pause(long millis) {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
