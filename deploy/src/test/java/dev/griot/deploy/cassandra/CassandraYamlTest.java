package dev.griot.deploy.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CassandraYamlTest {

  private static CassandraSettings settings(Map<String, String> properties) {
    return CassandraSettings.from(properties::get, Map.of());
  }

  private static final CassandraSettings SETTINGS = settings(Map.of(
      "griot.home", "/tmp/griot-home",
      "griot.cassandra.port", "9142",
      "griot.cassandra.storage-port", "7100",
      "griot.cassandra.listen-address", "127.0.0.2"));

  @Test
  void namesTheConfiguredAddressesAndPorts() {
    String yaml = CassandraYaml.render(SETTINGS);
    assertTrue(yaml.contains("\nlisten_address: 127.0.0.2\n"), yaml);
    assertTrue(yaml.contains("\nrpc_address: 127.0.0.2\n"), yaml);
    assertTrue(yaml.contains("\nnative_transport_port: 9142\n"), yaml);
    assertTrue(yaml.contains("\nstorage_port: 7100\n"), yaml);
    assertTrue(yaml.contains("- seeds: \"127.0.0.2:7100\""), yaml);
  }

  @Test
  void putsEveryFolderUnderTheDataDir() {
    String yaml = CassandraYaml.render(SETTINGS);
    String data = "/tmp/griot-home/cassandra/data";
    assertTrue(yaml.contains("  - \"" + data + "/data\""), yaml);
    for (String key : new String[] {"commitlog_directory", "saved_caches_directory", "hints_directory", "cdc_raw_directory"}) {
      assertTrue(yaml.lines().anyMatch(line -> line.startsWith(key + ": \"" + data + "/")), key + " in\n" + yaml);
    }
  }

  @Test
  void singleNodeLoopbackDefaults() {
    String yaml = CassandraYaml.render(SETTINGS);
    assertTrue(yaml.contains("\nendpoint_snitch: SimpleSnitch\n"));
    assertTrue(yaml.contains("\nauthenticator: AllowAllAuthenticator\n"));
    assertTrue(yaml.contains("\nauto_bootstrap: false\n"));
    assertTrue(yaml.contains("\nauto_snapshot: false\n"));
    assertFalse(yaml.contains("%"), "no unformatted placeholder");
  }

  @Test
  void everyTopLevelKeyIsUniqueAndKnown() {
    // Cassandra 5.0 rejects unknown keys; these are all fields of its Config class.
    Set<String> known = Set.of("cluster_name", "num_tokens", "partitioner", "endpoint_snitch", "auto_bootstrap",
        "listen_address", "rpc_address", "storage_port", "start_native_transport", "native_transport_port",
        "seed_provider", "authenticator", "authorizer", "role_manager", "data_file_directories",
        "commitlog_directory", "saved_caches_directory", "hints_directory", "cdc_raw_directory", "commitlog_sync",
        "commitlog_sync_period", "commitlog_segment_size", "commitlog_total_space", "memtable_heap_space",
        "memtable_offheap_space", "key_cache_size", "counter_cache_size", "prepared_statements_cache_size",
        "file_cache_size", "concurrent_reads", "concurrent_writes", "concurrent_counter_writes",
        "concurrent_compactors", "hinted_handoff_enabled", "dynamic_snitch", "auto_snapshot",
        "snapshot_before_compaction", "cdc_enabled", "materialized_views_enabled", "sasi_indexes_enabled",
        "storage_compatibility_mode", "disk_failure_policy", "commit_failure_policy");
    Set<String> seen = new HashSet<>();
    CassandraYaml.render(SETTINGS).lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith(" "))
        .map(line -> line.substring(0, line.indexOf(':')))
        .forEach(key -> {
          assertTrue(known.contains(key), "unexpected key " + key);
          assertTrue(seen.add(key), "duplicate key " + key);
        });
    assertEquals(known, seen);
  }

  @Test
  void quotesPathsForYaml() {
    assertEquals("\"/a b/\\\"c\\\"\"", CassandraYaml.quote(Path.of("/a b/\"c\"")));
  }
}
