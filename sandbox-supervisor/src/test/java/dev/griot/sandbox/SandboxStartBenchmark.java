package dev.griot.sandbox;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Start-to-first-output latency of each sandbox kind against the bare tool it is built on,
 * measured in the same run (run with bench/run-sandbox-benchmark.sh): {@code echo hi} through
 * {@link Sandbox#start} until the listener sees the line, against {@code bwrap ... echo hi} and
 * {@code runc run} of a ready bundle started by hand, until their first line; and the remote kind
 * (a griot runner on loopback, itself of the process kind) against the process kind run locally.
 */
public final class SandboxStartBenchmark {

  static final int N = Integer.getInteger("bench.starts", 50);
  static final int WARMUP = 5;

  public static void main(String[] args) throws Exception {
    ExecutorService executor = Executors.newCachedThreadPool();
    Path ws = Files.createTempDirectory("bench-ws");
    Path rootfs = BusyboxRootfs.create(Files.createTempDirectory("bench-rootfs"));
    Config base = ConfigFactory.load();
    Config container = ConfigFactory.parseMap(Map.of("griot.sandbox.kind", "container",
        "griot.sandbox.container.rootfs", rootfs.toString())).withFallback(base);
    System.out.printf("machine: %d cores, %s %s, %s %s; %d starts each, p50 / p99%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), N);

    List<Long> host = measure(() -> viaSandbox(new ProcessSandbox(ProcessSandboxSettings.fromConfig(base), executor), ws));
    Sandbox bwrapSandbox = Sandboxes.fromConfig(ConfigFactory.parseMap(Map.of("griot.sandbox.kind", "process")).withFallback(base), executor);
    List<Long> process = measure(() -> viaSandbox(bwrapSandbox, ws));
    List<Long> bareBwrap = measure(() -> bare(List.of("bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--", "/usr/bin/echo", "hi")));
    Sandbox runcSandbox = Sandboxes.fromConfig(container, executor);
    List<Long> containerKind = measure(() -> viaSandbox(runcSandbox, ws));
    Path bundle = Files.createTempDirectory("bench-bundle");
    OciBundle.create(bundle, rootfs, new OciBundle.Params(List.of("/bin/echo", "hi"), Map.of("PATH", "/bin"), ws, List.of(),
        false, SandboxLimits.NONE, 0, 0, "griot/bench-" + UUID.randomUUID(), false));
    List<Long> bareRunc = measure(() -> {
      String id = "griot-bench-" + UUID.randomUUID();
      long t = bare(List.of("runc", "run", "--bundle", bundle.toString(), id));
      run(List.of("runc", "delete", "-f", id));
      return t;
    });

    // the remote kind: a griot runner on loopback (its own kind: process), reached over gRPC
    var runner = dev.griot.sandbox.remote.GriotRunner.start(ConfigFactory.parseMap(Map.of("griot.runner.port", 0,
        "griot.runner.token", "bench", "griot.runner.home", Files.createTempDirectory("bench-runner").toString())));
    var client = org.apache.pekko.actor.typed.ActorSystem.create(
        org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "bench-node");
    Sandbox remoteSandbox = Sandboxes.fromConfig(ConfigFactory.parseMap(Map.of("griot.sandbox.kind", "remote",
        "griot.sandbox.remote.host", "127.0.0.1", "griot.sandbox.remote.port", runner.address().getPort(),
        "griot.sandbox.remote.token", "bench")).withFallback(base), executor, java.util.Optional.empty(), client);
    List<Long> remote = measure(() -> viaSandbox(remoteSandbox, ws));

    print("host (no isolation)", host, null);
    print("process (bwrap + cgroups)", process, bareBwrap);
    print("  bare bwrap", bareBwrap, null);
    print("container (runc + bundle)", containerKind, bareRunc);
    print("  bare runc run", bareRunc, null);
    print("remote (runner on loopback)", remote, process, "the process kind run locally");
    runner.close();
    client.terminate();
    executor.shutdownNow();
    System.exit(0);
  }

  static List<Long> measure(Supplier<Long> once) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < WARMUP + N; i++) {
      long t = once.get();
      if (i >= WARMUP) nanos.add(t);
    }
    Collections.sort(nanos);
    return nanos;
  }

  /** Nanoseconds from start() until the listener sees the first line; waits for the exit too. */
  static long viaSandbox(Sandbox sandbox, Path ws) {
    CompletableFuture<Long> first = new CompletableFuture<>();
    long t0 = System.nanoTime();
    SandboxHandle h = sandbox.start(new SandboxSpec(List.of("echo", "hi"), ws, Map.of()), new SandboxListener() {
      public void onStdoutLine(String line) {
        first.complete(System.nanoTime() - t0);
      }

      public void onStderrLine(String line) {}

      public void onExit(int exitCode) {}
    });
    try {
      long t = first.get(30, TimeUnit.SECONDS);
      h.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return t;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long bare(List<String> cmd) {
    try {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (var r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
        r.readLine();
        long t = System.nanoTime() - t0;
        p.waitFor(30, TimeUnit.SECONDS);
        return t;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void run(List<String> cmd) {
    try {
      new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
  }

  static void print(String name, List<Long> t, List<Long> baseline) {
    print(name, t, baseline, "the bare tool");
  }

  static void print(String name, List<Long> t, List<Long> baseline, String against) {
    String ratio = baseline == null ? "" : String.format("   ratio to %s: p50 %.2fx, p99 %.2fx", against,
        (double) pct(t, 50) / pct(baseline, 50), (double) pct(t, 99) / pct(baseline, 99));
    System.out.printf("%-28s %6.1f ms / %6.1f ms%s%n", name, pct(t, 50) / 1e6, pct(t, 99) / 1e6, ratio);
  }
}
