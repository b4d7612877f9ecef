package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgroupLimitsTest {

  @Test
  void findsTheOwnCgroupOfEachV1Controller() {
    List<String> mountinfo = List.of(
        "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
        "31 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
        "32 25 0:28 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids",
        "33 25 0:29 / /sys/fs/cgroup/cpuset rw,nosuid - cgroup cgroup rw,cpuset",
        "34 25 0:30 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw");
    List<String> own = List.of(
        "5:pids:/",
        "4:memory:/process_api/abc",
        "3:cpuset:/x",
        "2:cpu,cpuacct:/",
        "0::/");
    assertEquals(Map.of(
            "memory", Path.of("/sys/fs/cgroup/memory/process_api/abc"),
            "pids", Path.of("/sys/fs/cgroup/pids"),
            "cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct")),
        CgroupLimits.v1Dirs(mountinfo, own));
  }

  @Test
  void aMountOfASubtreeIsResolvedAgainstItsRoot() {
    List<String> mountinfo = List.of("31 25 0:27 /docker/c1 /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory");
    assertEquals(Map.of("memory", Path.of("/sys/fs/cgroup/memory/node")),
        CgroupLimits.v1Dirs(mountinfo, List.of("4:memory:/docker/c1/node")));
  }

  @Test
  void findsTheOwnCgroupInTheUnifiedHierarchy() {
    List<String> mountinfo = List.of("25 20 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup/user.slice/griot.service")),
        CgroupLimits.v2Dir(mountinfo, List.of("0::/user.slice/griot.service")));
  }

  @Test
  void cpuQuotaIsPerPeriodOfATenthOfASecond() {
    assertEquals(150_000, CgroupLimits.quotaMicros(1500));
    assertEquals(200_000, CgroupLimits.quotaMicros(2000));
    assertEquals(1000, CgroupLimits.quotaMicros(1));
  }
}
