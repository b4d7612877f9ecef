package dev.griot.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a CQL file into statements: substitutes {@code ${name}} placeholders and splits on
 * {@code ;} outside of string literals, quoted identifiers, {@code $$} strings and comments.
 * Comments ({@code --}, {@code //}, {@code /* *}{@code /}) are dropped.
 */
public final class CqlScript {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  private CqlScript() {}

  /**
   * Replaces every {@code ${name}} with its value.
   *
   * @throws IllegalArgumentException if the text names a placeholder without a value
   */
  public static String substitute(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for placeholder ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The statements of a script, trimmed, without their terminating {@code ;}, empty ones left out. */
  public static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      char next = i + 1 < n ? script.charAt(i + 1) : '\0';
      if (c == '\'' || c == '"') {
        int end = endOfQuoted(script, i, c);
        current.append(script, i, end);
        i = end;
      } else if (c == '$' && next == '$') {
        int close = script.indexOf("$$", i + 2);
        int end = close < 0 ? n : close + 2;
        current.append(script, i, end);
        i = end;
      } else if ((c == '-' && next == '-') || (c == '/' && next == '/')) {
        int newline = script.indexOf('\n', i);
        i = newline < 0 ? n : newline; // keep the newline as whitespace
      } else if (c == '/' && next == '*') {
        int close = script.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
        current.append(' ');
      } else if (c == ';') {
        add(statements, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return List.copyOf(statements);
  }

  /** Index just past a quoted run starting at {@code start}; a doubled quote is an escaped one. */
  private static int endOfQuoted(String script, int start, char quote) {
    int i = start + 1;
    while (i < script.length()) {
      if (script.charAt(i) == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return script.length();
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
