package dev.griot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CqlScriptTest {

  @Test
  void splitsOnSemicolonsAndDropsComments() {
    String script = """
        -- a comment; with a semicolon
        CREATE TABLE a (x int PRIMARY KEY); // trailing; comment
        /* block; comment */ CREATE TABLE b (y int PRIMARY KEY);
        ;
        """;
    assertEquals(List.of("CREATE TABLE a (x int PRIMARY KEY)", "CREATE TABLE b (y int PRIMARY KEY)"),
        CqlScript.statements(script));
  }

  @Test
  void keepsSemicolonsInsideStringsIdentifiersAndDollarStrings() {
    String script = "INSERT INTO t (k, v) VALUES ('a;b', 'it''s; fine');\n"
        + "SELECT \"odd;name\" FROM t;\n"
        + "CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$";
    assertEquals(List.of(
        "INSERT INTO t (k, v) VALUES ('a;b', 'it''s; fine')",
        "SELECT \"odd;name\" FROM t",
        "CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$"),
        CqlScript.statements(script));
  }

  @Test
  void commentMarkersInsideStringsAreText() {
    assertEquals(List.of("INSERT INTO t (v) VALUES ('-- not a comment /* nor this */')"),
        CqlScript.statements("INSERT INTO t (v) VALUES ('-- not a comment /* nor this */');"));
  }

  @Test
  void substitutesPlaceholders() {
    assertEquals("CREATE KEYSPACE griot WITH replication = {'class': 'SimpleStrategy'}",
        CqlScript.substitute("CREATE KEYSPACE ${keyspace} WITH replication = ${replication}",
            Map.of("keyspace", "griot", "replication", "{'class': 'SimpleStrategy'}")));
  }

  @Test
  void refusesAnUnknownPlaceholder() {
    assertThrows(IllegalArgumentException.class, () -> CqlScript.substitute("${nope}", Map.of()));
  }

  @Test
  void schemaFilesSubstituteEveryPlaceholder() {
    PersistenceSettings settings = new PersistenceSettings("ks_test",
        "{'class': 'SimpleStrategy', 'replication_factor': 1}",
        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
    List<String> statements = SchemaApplier.statements(settings);
    assertEquals(9, statements.size(), String.join("\n\n", statements));
    statements.forEach(s -> assertEquals(-1, s.indexOf("${"), s));
    assertEquals("CREATE KEYSPACE IF NOT EXISTS ks_test\n  WITH replication = "
        + "{'class': 'SimpleStrategy', 'replication_factor': 1}", statements.get(0));
  }
}
