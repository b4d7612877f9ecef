package dev.griot.deploy.cassandra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CqlPingTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  /** A one-connection server that reads the request frame and writes {@code response}, or nothing. */
  private record FakeServer(ServerSocket socket, CompletableFuture<byte[]> request) implements AutoCloseable {

    static FakeServer answering(byte[] response) throws IOException {
      ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      CompletableFuture<byte[]> request = CompletableFuture.supplyAsync(() -> {
        try (Socket client = server.accept()) {
          byte[] frame = new byte[9];
          new DataInputStream(client.getInputStream()).readFully(frame);
          if (response != null) {
            OutputStream out = client.getOutputStream();
            out.write(response);
            out.flush();
          }
          // keep the connection open until the client gives up
          client.getInputStream().read();
          return frame;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      return new FakeServer(server, request);
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static byte[] frame(byte version, byte opcode, byte[] body) {
    byte[] frame = new byte[9 + body.length];
    frame[0] = version;
    frame[3] = 1;
    frame[4] = opcode;
    frame[5] = (byte) (body.length >>> 24);
    frame[6] = (byte) (body.length >>> 16);
    frame[7] = (byte) (body.length >>> 8);
    frame[8] = (byte) body.length;
    System.arraycopy(body, 0, frame, 9, body.length);
    return frame;
  }

  /** A SUPPORTED body: a string multimap with one key, CQL_VERSION -> [3.4.7]. */
  private static final byte[] SUPPORTED_BODY = {
    0, 1, 0, 11, 'C', 'Q', 'L', '_', 'V', 'E', 'R', 'S', 'I', 'O', 'N', 0, 1, 0, 5, '3', '.', '4', '.', '7'
  };

  @Test
  void answersWhenTheServerRepliesSupported() throws Exception {
    try (FakeServer server = FakeServer.answering(frame(CqlPing.RESPONSE_V4, CqlPing.OPCODE_SUPPORTED, SUPPORTED_BODY))) {
      assertTrue(CqlPing.answers("127.0.0.1", server.port(), TIMEOUT));
      byte[] request = server.request().get(5, TimeUnit.SECONDS);
      assertArrayEquals(new byte[] {0x04, 0, 0, 1, 0x05, 0, 0, 0, 0}, request);
    }
  }

  @Test
  void doesNotAnswerWhenTheServerRepliesWithAnError() throws Exception {
    byte[] error = {0, 0, 0, 10, 0, 4, 'n', 'o', 'p', 'e'};
    try (FakeServer server = FakeServer.answering(frame(CqlPing.RESPONSE_V4, (byte) 0x00, error))) {
      assertFalse(CqlPing.answers("127.0.0.1", server.port(), TIMEOUT));
    }
  }

  @Test
  void doesNotAnswerWhenTheServerStaysSilent() throws Exception {
    try (FakeServer server = FakeServer.answering(null)) {
      long begin = System.nanoTime();
      assertFalse(CqlPing.answers("127.0.0.1", server.port(), TIMEOUT));
      assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0);
    }
  }

  @Test
  void doesNotAnswerWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    assertFalse(CqlPing.answers("127.0.0.1", port, TIMEOUT));
  }

  @Test
  void optionsFrameCarriesTheStreamId() {
    assertArrayEquals(new byte[] {0x04, 0, 0x01, 0x02, 0x05, 0, 0, 0, 0}, CqlPing.optionsFrame((short) 0x0102));
  }
}
