package dev.griot.deploy.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CassandraSettingsTest {

  @Test
  void defaultsFollowGriotHome() {
    CassandraSettings s = CassandraSettings.from(Map.<String, String>of()::get, Map.of("GRIOT_HOME", "/srv/griot"));
    assertEquals(Path.of("/srv/griot"), s.home());
    assertEquals("5.0.9", s.version());
    assertEquals(Path.of("/srv/griot/cassandra/5.0.9/lib"), s.libDir());
    assertEquals(Path.of("/srv/griot/cassandra/data"), s.dataDir());
    assertEquals(Path.of("/srv/griot/cassandra/conf"), s.confDir());
    assertEquals(Path.of("/srv/griot/cassandra/logs/cassandra.log"), s.logFile());
    assertEquals(Path.of("/srv/griot/cassandra/cassandra.pid"), s.pidFile());
    assertEquals("127.0.0.1", s.listenAddress());
    assertEquals(9042, s.nativePort());
    assertEquals(7000, s.storagePort());
    assertEquals("512M", s.heap());
    assertEquals(Duration.ofSeconds(120), s.startTimeout());
    assertEquals(Optional.empty(), s.javaHome());
  }

  @Test
  void systemPropertiesWinOverTheEnvironment() {
    Map<String, String> properties = Map.of(
        "griot.home", "/p/home",
        "griot.cassandra.port", "19042",
        "griot.cassandra.heap", "256M",
        "griot.cassandra.data-dir", "/p/data",
        "griot.cassandra.lib-dir", "/p/lib",
        "griot.cassandra.start-timeout", "30",
        "griot.cassandra.java-home", "/opt/jdk17");
    CassandraSettings s = CassandraSettings.from(properties::get, Map.of("GRIOT_HOME", "/env/home"));
    assertEquals(Path.of("/p/home"), s.home());
    assertEquals(19042, s.nativePort());
    assertEquals("256M", s.heap());
    assertEquals(Path.of("/p/data"), s.dataDir());
    assertEquals(Path.of("/p/lib"), s.libDir());
    assertEquals(Path.of("/p/logs/cassandra.log"), s.logFile());
    assertEquals(Duration.ofSeconds(30), s.startTimeout());
    assertEquals(Optional.of(Path.of("/opt/jdk17")), s.javaHome());
  }

  @Test
  void rejectsAMalformedHeap() {
    assertThrows(IllegalArgumentException.class,
        () -> CassandraSettings.from(Map.of("griot.cassandra.heap", "-Xmx1G")::get, Map.of()));
  }
}
