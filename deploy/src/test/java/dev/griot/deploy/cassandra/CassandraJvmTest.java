package dev.griot.deploy.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraJvmTest {

  @TempDir Path jvms;

  private void fakeJdk(String name) throws IOException {
    Path java = Files.createDirectories(jvms.resolve(name).resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  @Test
  void findsAJdk17AmongOthers() throws IOException {
    fakeJdk("temurin-25-jdk-amd64");
    fakeJdk("java-117-fake");
    fakeJdk("java-17-openjdk-amd64");
    assertEquals(Optional.of(jvms.resolve("java-17-openjdk-amd64")), CassandraJvm.findJdk17(jvms));
  }

  @Test
  void findsNothingWithoutAJdk17() throws IOException {
    fakeJdk("temurin-25-jdk-amd64");
    assertEquals(Optional.empty(), CassandraJvm.findJdk17(jvms));
  }

  @Test
  void commandRunsTheDaemonWithHeapModuleFlagsAndConfig() {
    CassandraSettings settings = CassandraSettings.from(
        Map.of("griot.home", "/h", "griot.cassandra.heap", "256M")::get, Map.of());
    List<String> command = CassandraJvm.command(settings, Path.of("/jdk/bin/java"),
        Path.of("/h/cassandra/conf/cassandra.yaml"), Path.of("/h/cassandra/conf/logback.xml"));
    assertEquals("/jdk/bin/java", command.get(0));
    assertEquals(CassandraJvm.MAIN_CLASS, command.get(command.size() - 1));
    assertTrue(command.containsAll(List.of("-Xms256M", "-Xmx256M")));
    assertTrue(command.contains("-Dcassandra.config=file:///h/cassandra/conf/cassandra.yaml"), command.toString());
    assertTrue(command.contains("-Dlogback.configurationFile=/h/cassandra/conf/logback.xml"));
    assertTrue(command.contains("-Dcassandra.storagedir=/h/cassandra/data"));
    assertTrue(command.contains("java.base/sun.nio.ch=ALL-UNNAMED"));
    assertTrue(command.contains("-Djdk.attach.allowAttachSelf=true"));
    assertTrue(command.contains("-Dio.netty.tryReflectionSetAccessible=true"));
    int cp = command.indexOf("-cp");
    assertEquals("/h/cassandra/5.0.9/lib/*", command.get(cp + 1));
  }

  @Test
  void fetchPomDependsOnTheConfiguredVersion() {
    String pom = CassandraFetch.pomText("5.0.9");
    assertTrue(pom.contains("<artifactId>cassandra-all</artifactId>"));
    assertTrue(pom.contains("<version>5.0.9</version>"));
    assertTrue(!pom.contains("${"), pom);
  }
}
