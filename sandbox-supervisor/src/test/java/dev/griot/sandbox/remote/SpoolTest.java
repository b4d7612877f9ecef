package dev.griot.sandbox.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.runner.v1.OutputRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;

  private static OutputRecord now(CompletableFuture<Optional<OutputRecord>> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void recordsAreNumberedReadFromAnyOffsetAndEndWithTheExit() throws Exception {
    Path file = dir.resolve("s.spool");
    try (Spool spool = new Spool(file)) {
      spool.stdout("one");
      spool.stderr("oops ünïcode");
      spool.stdout("");
      spool.exit(3);
      spool.stdout("after the exit is ignored");
      assertEquals(4, spool.size());
      assertTrue(Files.size(file) > 0);
      assertEquals("oops ünïcode", now(spool.next(1).toCompletableFuture()).getStderrLine());
      OutputRecord first = now(spool.next(0).toCompletableFuture());
      assertEquals(0, first.getOffset());
      assertEquals("one", first.getStdoutLine());
      assertEquals("", now(spool.next(2).toCompletableFuture()).getStdoutLine());
      OutputRecord exit = now(spool.next(3).toCompletableFuture());
      assertEquals(3, exit.getOffset());
      assertEquals(3, exit.getExitCode());
      assertEquals(Optional.empty(), spool.next(4).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    assertFalse(Files.exists(file), "closing deletes the spool");
  }

  @Test
  void aReaderAtTheEndWaitsForTheNextRecord() throws Exception {
    try (Spool spool = new Spool(dir.resolve("w.spool"))) {
      spool.stdout("zero");
      CompletableFuture<Optional<OutputRecord>> waiting = spool.next(1).toCompletableFuture();
      assertFalse(waiting.isDone());
      spool.stdout("one");
      assertEquals("one", now(waiting).getStdoutLine());
      CompletableFuture<Optional<OutputRecord>> atEnd = spool.next(2).toCompletableFuture();
      spool.close();
      assertEquals(Optional.empty(), atEnd.get(5, TimeUnit.SECONDS), "closing wakes readers with the end");
    }
  }
}
