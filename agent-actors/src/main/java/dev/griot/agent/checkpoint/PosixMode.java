package dev.griot.agent.checkpoint;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** POSIX permission bits ({@code 0755}) to and from {@link PosixFilePermission} sets. */
final class PosixMode {

  private static final PosixFilePermission[] BITS = PosixFilePermission.values(); // OWNER_READ (0400) first

  private PosixMode() {}

  static int of(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (BITS.length - 1 - p.ordinal());
    }
    return mode;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : BITS) {
      if ((mode & (1 << (BITS.length - 1 - p.ordinal()))) != 0) {
        set.add(p);
      }
    }
    return set;
  }
}
