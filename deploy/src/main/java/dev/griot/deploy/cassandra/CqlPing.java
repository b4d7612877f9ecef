package dev.griot.deploy.cassandra;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Checks that a CQL server answers, without any driver: it sends a native protocol v4
 * {@code OPTIONS} frame and expects a {@code SUPPORTED} response.
 *
 * <p>A v4 frame header is nine bytes: version ({@code 0x04} for a request, {@code 0x84} for a
 * response), flags, a two-byte stream id, the opcode and a four-byte body length.
 */
public final class CqlPing {

  static final byte REQUEST_V4 = 0x04;
  static final byte RESPONSE_V4 = (byte) 0x84;
  static final byte OPCODE_OPTIONS = 0x05;
  static final byte OPCODE_SUPPORTED = 0x06;
  private static final int HEADER_LENGTH = 9;
  private static final int MAX_BODY = 64 * 1024;

  private CqlPing() {}

  /**
   * Whether a CQL server on {@code host:port} answers an {@code OPTIONS} request with
   * {@code SUPPORTED} within {@code timeout} (used for connecting and again for reading).
   */
  public static boolean answers(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(optionsFrame((short) 1));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[HEADER_LENGTH];
      in.readFully(header);
      int length = ((header[5] & 0xff) << 24) | ((header[6] & 0xff) << 16)
          | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
      if (header[0] != RESPONSE_V4 || header[4] != OPCODE_SUPPORTED || length < 0 || length > MAX_BODY) {
        return false;
      }
      in.readFully(new byte[length]);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The nine bytes of a v4 {@code OPTIONS} request with the given stream id and no body. */
  static byte[] optionsFrame(short streamId) {
    return new byte[] {
      REQUEST_V4, 0, (byte) (streamId >> 8), (byte) streamId, OPCODE_OPTIONS, 0, 0, 0, 0
    };
  }
}
