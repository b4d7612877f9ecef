package dev.griot.sandbox.remote;

import dev.griot.runner.v1.OutputRecord;
import dev.griot.runner.v1.SandboxInfo;
import dev.griot.runner.v1.StartRequest;
import dev.griot.runner.v1.StartResponse;
import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxLimits;
import dev.griot.sandbox.SandboxListener;
import dev.griot.sandbox.SandboxSpec;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The sandboxes a runner started, by the caller's id: each with its handle and its output spool.
 * An ended sandbox stays until its caller releases it, or {@code retain-ended} after its end.
 * Errors are {@link GrpcServiceException}s carrying the status the API documents.
 */
final class RunnerSandboxes implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

  private record Entry(StartRequest request, SandboxHandle handle, Spool spool, Instant[] endedAt) {}

  private final Sandbox sandbox;
  private final RunnerSettings settings;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  RunnerSandboxes(Sandbox sandbox, RunnerSettings settings, Clock clock) {
    this.sandbox = sandbox;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts the sandbox, or finds the one started under the same id; blocks while it starts. */
  synchronized StartResponse start(StartRequest request) {
    String id = validName("sandbox_id", request.getSandboxId());
    Entry existing = entries.get(id);
    if (existing != null) {
      if (!existing.request().equals(request))
        throw error(Status.ALREADY_EXISTS, "sandbox " + id + " was started with a different spec");
      return StartResponse.newBuilder().setPid(existing.handle().pid()).setCreated(false).build();
    }
    SandboxSpec spec = spec(request);
    Spool spool = new Spool(settings.spoolDir().resolve(id + ".spool"));
    Instant[] endedAt = new Instant[1];
    SandboxHandle handle;
    try {
      handle = sandbox.start(spec, new SandboxListener() {
        @Override
        public void onStdoutLine(String line) {
          spool.stdout(line);
        }

        @Override
        public void onStderrLine(String line) {
          spool.stderr(line);
        }

        @Override
        public void onExit(int exitCode) {
          spool.exit(exitCode);
          endedAt[0] = clock.instant();
        }
      });
    } catch (SandboxException e) {
      spool.close();
      throw error(e.permanent() ? Status.FAILED_PRECONDITION : Status.UNAVAILABLE, e.getMessage());
    } catch (RuntimeException e) {
      spool.close();
      throw error(Status.UNAVAILABLE, "cannot start sandbox " + id + ": " + e);
    }
    entries.put(id, new Entry(request, handle, spool, endedAt));
    return StartResponse.newBuilder().setPid(handle.pid()).setCreated(true).build();
  }

  /** The records of sandbox {@code id} from {@code from} on, live, ending after the exit record. */
  Source<OutputRecord, NotUsed> attach(String id, long from) {
    Entry entry = entry(id);
    if (from < 0) throw error(Status.INVALID_ARGUMENT, "from_offset must not be negative: " + from);
    long size = entry.spool().size();
    if (from > size)
      throw error(Status.OUT_OF_RANGE, "from_offset " + from + " lies beyond the " + size + " records of sandbox " + id);
    return Source.unfoldAsync(from, offset -> entry.spool().next(offset)
        .thenApply(record -> record.map(r -> Pair.create(offset + 1, r))));
  }

  void kill(String id, Duration grace) {
    entry(id).handle().kill(grace);
  }

  SandboxInfo describe(String id) {
    Entry e = entry(id);
    SandboxInfo.Builder info = SandboxInfo.newBuilder()
        .setSandboxId(id).setPid(e.handle().pid()).setRecords(e.spool().size());
    Integer code = e.handle().exit().toCompletableFuture().getNow(null);
    if (code != null && e.spool().ended()) info.setEnded(true).setExitCode(code);
    return info.build();
  }

  /** Forgets sandbox {@code id}: kills it when it still runs, deletes its spool. */
  void release(String id) {
    Entry e = entries.remove(validName("sandbox_id", id));
    if (e == null) return;
    e.handle().kill(Duration.ZERO);
    e.spool().close();
  }

  /** Releases the sandboxes that ended longer than {@code retain-ended} ago; returns their ids. */
  List<String> sweep() {
    Instant cutoff = clock.instant().minus(settings.retainEnded());
    List<String> old = entries.entrySet().stream()
        .filter(e -> e.getValue().endedAt()[0] != null && e.getValue().endedAt()[0].isBefore(cutoff))
        .map(Map.Entry::getKey).toList();
    old.forEach(this::release);
    return old;
  }

  int size() {
    return entries.size();
  }

  /** Kills every sandbox and deletes every spool (the runner stops). */
  @Override
  public void close() {
    List.copyOf(entries.keySet()).forEach(this::release);
  }

  private Entry entry(String id) {
    Entry e = entries.get(validName("sandbox_id", id));
    if (e == null) throw error(Status.NOT_FOUND, "no sandbox " + id + " on this runner");
    return e;
  }

  private SandboxSpec spec(StartRequest r) {
    if (r.getCommandCount() == 0) throw error(Status.INVALID_ARGUMENT, "command must not be empty");
    Path workspace = settings.workspaceRoot().resolve(validName("workspace", r.getWorkspace()));
    List<Path> readOnly = r.getReadOnlyPathsList().stream().map(p -> {
      Path path = Path.of(p);
      if (!path.isAbsolute()) throw error(Status.INVALID_ARGUMENT, "read_only_paths must be absolute: " + p);
      return path;
    }).toList();
    SandboxLimits limits = null;
    if (r.hasLimits()) {
      var l = r.getLimits();
      if (l.getMemoryBytes() < 0 || l.getPids() < 0 || l.getCpus() < 0)
        throw error(Status.INVALID_ARGUMENT, "limits must not be negative");
      limits = new SandboxLimits(l.getMemoryBytes(), l.getPids(), Math.round(l.getCpus() * 1000));
    }
    return new SandboxSpec(r.getCommandList(), workspace, r.getEnvironmentMap(), readOnly, r.getNetwork(), limits,
        r.getEgress());
  }

  private static String validName(String field, String value) {
    if (!NAME.matcher(value).matches() || value.equals(".") || value.equals(".."))
      throw error(Status.INVALID_ARGUMENT,
          field + " must be 1 to 200 letters, digits, '-', '_' or '.', not '" + value + "'");
    return value;
  }

  static GrpcServiceException error(Status status, String message) {
    return new GrpcServiceException(status.withDescription(message));
  }
}
