package dev.griot.sandbox.egress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * A unix socket on the host that leads to the egress gateway: bound into one sandbox, it is that
 * sandbox's only way out. Every connection to it is piped to the gateway's loopback port.
 */
public final class UnixSocketBridge implements AutoCloseable {

  private final Path socket;
  private final ServerSocketChannel server;
  private final InetSocketAddress gateway;
  private final Executor executor;

  public UnixSocketBridge(Path socket, InetSocketAddress gateway, Executor executor) {
    this.socket = socket;
    this.gateway = gateway;
    this.executor = executor;
    try {
      Files.createDirectories(socket.getParent());
      Files.deleteIfExists(socket);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open egress socket " + socket, e);
    }
    executor.execute(this::accept);
  }

  public Path socket() {
    return socket;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel inside = server.accept();
        SocketChannel outside = SocketChannel.open(gateway);
        executor.execute(() -> pump(inside, outside));
        executor.execute(() -> pump(outside, inside));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isOpen()) return;
      }
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
    try (from; to) {
      while (from.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) to.write(buf);
        buf.clear();
      }
    } catch (IOException e) {
      // one side closed: both go
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
