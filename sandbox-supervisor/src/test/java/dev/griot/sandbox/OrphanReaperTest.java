package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrphanReaperTest {

  @Test
  void aNotedHarnessThatStillRunsIsKilledWithItsTreeAndAnEndedOneIsLeftAlone() throws Exception {
    Path dir = Files.createTempDirectory("reaper");
    Path ws = Files.createTempDirectory("ws");
    var settings = ProcessSandboxSettings.load();
    var sandbox = new ProcessSandbox(settings, Executors.newCachedThreadPool());
    var reaper = new OrphanReaper(dir, settings);

    var orphan = sandbox.start(new SandboxSpec(List.of("sh", "-c", "sleep 300 & sleep 300 & wait"), ws, Map.of()), new RecordingListener());
    reaper.started(orphan.pid());
    var child = ProcessHandle.of(orphan.pid()).orElseThrow();
    var grandchildren = awaitChildren(child, 2);

    var ended = sandbox.start(new SandboxSpec(List.of("true"), ws, Map.of()), new RecordingListener());
    reaper.started(ended.pid());
    ended.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Files.writeString(dir.resolve("999999999"), "2020-01-01T00:00:00Z"); // a pid long gone

    assertEquals(List.of(orphan.pid()), reaper.reapAll());
    orphan.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (ProcessHandle g : grandchildren) g.onExit().get(30, TimeUnit.SECONDS);
    assertFalse(child.isAlive());
    assertTrue(grandchildren.stream().noneMatch(ProcessHandle::isAlive), "the whole tree is gone");
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "every note is forgotten");
    }
  }

  private static List<ProcessHandle> awaitChildren(ProcessHandle parent, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> c = parent.children().toList();
      if (c.size() >= n) return c;
      Thread.onSpinWait();
    }
    throw new AssertionError("children did not start");
  }
}
