package dev.griot.node.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** "500ms", "90s", "5m", "2h", "1d" (a leading '-' is passed on for the server to refuse). */
final class DurationConverter implements ITypeConverter<com.google.protobuf.Duration> {
  private static final Pattern FORMAT = Pattern.compile("(-?)(\\d+)(ms|s|m|h|d)");

  @Override
  public com.google.protobuf.Duration convert(String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) throw new IllegalArgumentException("'" + value + "' is not a duration like 500ms, 90s, 5m, 2h, 1d");
    long n = Long.parseLong(m.group(2)) * (m.group(1).isEmpty() ? 1 : -1);
    java.time.Duration d = switch (m.group(3)) {
      case "ms" -> java.time.Duration.ofMillis(n);
      case "s" -> java.time.Duration.ofSeconds(n);
      case "m" -> java.time.Duration.ofMinutes(n);
      case "h" -> java.time.Duration.ofHours(n);
      default -> java.time.Duration.ofDays(n);
    };
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
