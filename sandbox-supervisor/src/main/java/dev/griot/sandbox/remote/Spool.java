package dev.griot.sandbox.remote;

import dev.griot.runner.v1.OutputRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One sandbox's output on the runner's disk: every stdout line, stderr line and finally the exit
 * code, each an {@link OutputRecord} numbered from 0 by its offset. Records are appended by the
 * sandbox's reader threads and read by any number of attached streams, each from its own offset,
 * live: a reader at the end waits for the next record. The exit record is always the last.
 *
 * <p>The file holds each record as a 4-byte length and the record's protobuf bytes; the spool keeps
 * only the start position of each record in memory (8 bytes a line).
 */
final class Spool implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private long[] positions = new long[64];
  private int count;
  private long end;
  private boolean ended;
  private boolean closed;
  private CompletableFuture<Void> appended = new CompletableFuture<>();

  Spool(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.getParent());
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the spool " + file, e);
    }
  }

  void stdout(String line) {
    append(OutputRecord.newBuilder().setStdoutLine(line));
  }

  void stderr(String line) {
    append(OutputRecord.newBuilder().setStderrLine(line));
  }

  /** The last record: no record is accepted after it. */
  void exit(int exitCode) {
    append(OutputRecord.newBuilder().setExitCode(exitCode));
  }

  private void append(OutputRecord.Builder record) {
    CompletableFuture<Void> wake;
    synchronized (this) {
      if (ended || closed) return;
      byte[] bytes = record.setOffset(count).build().toByteArray();
      ByteBuffer buf = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
      try {
        long at = end;
        while (buf.hasRemaining()) at += channel.write(buf, at);
        if (count == positions.length) positions = Arrays.copyOf(positions, count * 2);
        positions[count++] = end;
        end = at;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the spool " + file, e);
      }
      if (record.hasExitCode()) ended = true;
      wake = appended;
      appended = new CompletableFuture<>();
    }
    wake.complete(null);
  }

  /** Records spooled so far: the offset the next one gets. */
  synchronized long size() {
    return count;
  }

  synchronized boolean ended() {
    return ended;
  }

  /**
   * The record at {@code offset}: at once when it is spooled, once it is when the sandbox still
   * runs, empty past the exit record (or once the spool is closed).
   */
  CompletionStage<Optional<OutputRecord>> next(long offset) {
    long position;
    long length;
    CompletableFuture<Void> wait;
    synchronized (this) {
      if (closed) return CompletableFuture.completedFuture(Optional.empty());
      if (offset < count) {
        position = positions[(int) offset];
        length = (offset + 1 < count ? positions[(int) offset + 1] : end) - position;
        wait = null;
      } else if (ended) {
        return CompletableFuture.completedFuture(Optional.empty());
      } else {
        position = length = -1;
        wait = appended;
      }
    }
    if (wait != null) return wait.thenCompose(v -> next(offset));
    return CompletableFuture.completedFuture(Optional.of(read(position, length)));
  }

  private OutputRecord read(long position, long length) {
    ByteBuffer buf = ByteBuffer.allocate((int) length);
    try {
      while (buf.hasRemaining()) {
        if (channel.read(buf, position + buf.position()) < 0) throw new IOException("spool ends early");
      }
      buf.flip();
      buf.getInt();
      return OutputRecord.parseFrom(buf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool " + file, e);
    }
  }

  /** Closes and deletes the file; readers waiting at the end see the end. */
  @Override
  public void close() {
    CompletableFuture<Void> wake;
    synchronized (this) {
      if (closed) return;
      closed = true;
      wake = appended;
    }
    wake.complete(null);
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the spool " + file, e);
    }
  }
}
