package dev.griot.sandbox;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Objects;

/**
 * Settings of the {@link ProcessSandbox}, read from {@code griot.sandbox.process} (defaults in
 * this module's {@code reference.conf}).
 *
 * @param path the {@code PATH} every sandboxed process gets; also where {@code setsid} and {@code
 *     kill} are looked up
 * @param lang the {@code LANG} every sandboxed process gets
 * @param newSession start each sandbox in its own session with {@code setsid}, so its whole
 *     process group can be signalled
 */
public record ProcessSandboxSettings(String path, String lang, boolean newSession) {

  public ProcessSandboxSettings {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lang, "lang");
  }

  /** Reads the settings from a full configuration (the actor system's, usually). */
  public static ProcessSandboxSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.sandbox.process");
    return new ProcessSandboxSettings(
        c.getString("path"), c.getString("lang"), c.getBoolean("new-session"));
  }

  /** Reads the settings from {@link ConfigFactory#load()}. */
  public static ProcessSandboxSettings load() {
    return fromConfig(ConfigFactory.load());
  }
}
