package dev.griot.agent.harness;

import java.util.List;

/**
 * Turns a harness's stdout, line by line, into {@link HarnessEvent}s. Stateful: one per attempt,
 * fed from one thread at a time. Never throws on bad input: a line it cannot read is ignored and
 * counted.
 */
public interface HarnessParser {

  /** The events one stdout line yields, in order; often none. */
  List<HarnessEvent> onLine(String line);

  /** The events the end of the process yields (a last turn, a crash), after the last line. */
  List<HarnessEvent> onExit(int exitCode);

  /** How many lines were ignored because they could not be read. */
  default int malformedLines() {
    return 0;
  }
}
