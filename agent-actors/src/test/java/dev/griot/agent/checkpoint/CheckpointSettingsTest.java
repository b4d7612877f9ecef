package dev.griot.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointSettingsTest {

  @Test
  void readsTheDefaultsOfReferenceConf() {
    CheckpointSettings s = CheckpointSettings.fromConfig(ConfigFactory.load());
    assertEquals(new CheckpointSettings(64 * 1024, List.of(".home/.npm", ".home/.cache"), 2L * 1024 * 1024 * 1024, true), s);
  }

  @Test
  void excludesAPathAndWhatIsUnderIt() {
    CheckpointSettings s = new CheckpointSettings(64, List.of("./.home/.npm/", "build"), 1000, true);
    assertEquals(List.of(".home/.npm", "build"), s.exclude());
    assertTrue(s.excludes(".home/.npm"));
    assertTrue(s.excludes(".home/.npm/_cacache/index"));
    assertTrue(s.excludes("build"));
    assertFalse(s.excludes(".home/.npmrc"));
    assertFalse(s.excludes(".home"));
    assertFalse(s.excludes("src/build"));
  }

  @Test
  void refusesChunksCassandraCannotHold() {
    assertThrows(IllegalArgumentException.class, () -> new CheckpointSettings(0, List.of(), 1, true));
    assertThrows(IllegalArgumentException.class, () -> CheckpointSettings.fromConfig(
        ConfigFactory.parseString("griot.checkpoint.chunk-size = 64MiB").withFallback(ConfigFactory.load())));
  }
}
