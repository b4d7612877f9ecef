package dev.griot.agent.queue;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class QueueSettingsTest {

  private static QueueSettings load(String overrides) {
    return QueueSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  @Test
  void aQueueTakesItsOwnLimitsAndTheDefaultsForTheRest() {
    QueueSettings s = load("griot.queue.per-queue { gpu { max-concurrency = 4 }, \"odd-name_1\" { max-depth = 7 } }");
    assertEquals(new QueueSettings.Limits(4, 100_000), s.limits("gpu"));
    assertEquals(new QueueSettings.Limits(0, 7), s.limits("odd-name_1"));
    assertEquals(new QueueSettings.Limits(0, 100_000), s.limits("default"));
    assertEquals(s.refreshInterval().multipliedBy(3), s.staleAfter());
  }

  @Test
  void aNegativeLimitStopsTheNodeAtStart() {
    var e = assertThrows(IllegalArgumentException.class, () -> load("griot.queue.per-queue.gpu.max-depth = -1"));
    assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> load("griot.queue.defaults.max-concurrency = -2"));
  }
}
