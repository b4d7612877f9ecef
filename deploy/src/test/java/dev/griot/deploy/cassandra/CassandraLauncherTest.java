package dev.griot.deploy.cassandra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Starts the real Cassandra (or reuses the one already answering) and leaves it running for the
 * rest of the build.
 */
class CassandraLauncherTest {

  @Test
  void startMakesCqlAnswer() {
    CassandraLauncher launcher = CassandraLauncher.fromSystemProperties();
    StartResult result = launcher.start();
    System.out.println("cassandra " + result.describe());
    assertTrue(CqlPing.answers(launcher.host(), launcher.port(), Duration.ofSeconds(5)));
    CassandraStatus status = launcher.status();
    assertTrue(status.answering(), status.describe());
    // a second start reuses the running server
    assertTrue(launcher.start().outcome() == StartResult.Outcome.ALREADY_RUNNING);
  }
}
