package dev.griot.node.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.grpc.GrpcServiceException;
import picocli.CommandLine;

/** Turns failures into one line on stderr and an exit code: 2 for bad input, 1 for the rest. */
final class CliErrors {
  private CliErrors() {}

  static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
    Status status = null;
    if (t instanceof StatusRuntimeException s) status = s.getStatus();
    if (t instanceof GrpcServiceException g) status = g.status();
    if (status != null) {
      cmd.getErr().println("griot: " + status.getCode() + ": " + status.getDescription());
      return status.getCode() == Status.Code.INVALID_ARGUMENT ? 2 : 1;
    }
    cmd.getErr().println("griot: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
    return t instanceof IllegalArgumentException ? 2 : 1;
  }
}
