package dev.griot.persistence.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lowercase hex SHA-256, the keys of a {@link BlobStore}. */
public final class Sha256 {

  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  /** The hex SHA-256 of {@code data}. */
  public static String hex(byte[] data) {
    return hex(data, 0, data.length);
  }

  /** The hex SHA-256 of {@code length} bytes of {@code data} from {@code offset}. */
  public static String hex(byte[] data, int offset, int length) {
    MessageDigest digest = digest();
    digest.update(data, offset, length);
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
