package dev.griot.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on a given search path (the sandbox's, never the node's). */
final class Executables {

  private Executables() {}

  /**
   * The absolute path of {@code program}: as given when it holds a slash (relative ones against
   * {@code workingDirectory}), otherwise the first executable match on {@code searchPath}.
   */
  static Optional<Path> resolve(String program, String searchPath, Path workingDirectory) {
    if (program.contains("/")) {
      Path p = workingDirectory.resolve(program).toAbsolutePath().normalize();
      return isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, program);
      if (isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
