package dev.griot.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code griot}: starts Griot and drives its runs. Reference: docs/cli.md. */
@Command(
    name = "griot",
    mixinStandardHelpOptions = true,
    version = "griot 0.1.0",
    description = "Durable execution of AI agent harnesses.",
    subcommands = {UpCommand.class, NodeCommand.class, ClusterCommand.class, RunnerCommand.class, SchemaCommand.class, CassandraCommand.class, RunCli.class, QueueCli.class})
public final class GriotCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // Only a running node logs at INFO; client commands print their answers and nothing else.
    boolean runsNode = args.length > 0 && (args[0].equals("up") || args[0].equals("node") || args[0].equals("runner"));
    if (!runsNode && System.getProperty("GRIOT_LOG_LEVEL") == null && System.getenv("GRIOT_LOG_LEVEL") == null)
      System.setProperty("GRIOT_LOG_LEVEL", "WARN");
    org.slf4j.LoggerFactory.getLogger(GriotCli.class); // initialise logging before any thread logs
    System.exit(new CommandLine(new GriotCli()).setExecutionExceptionHandler(CliErrors::handle).execute(args));
  }
}
