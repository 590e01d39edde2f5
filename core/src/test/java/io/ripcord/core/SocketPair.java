package io.ripcord.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Two connected loopback sockets, for tests that need a channel both readable and writable. */
public final class SocketPair implements AutoCloseable {
    public final SocketChannel left;
    public final SocketChannel right;

    private SocketPair(SocketChannel left, SocketChannel right) {
        this.left = left;
        this.right = right;
    }

    public static SocketPair open() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(server.getLocalAddress());
            SocketChannel b = server.accept();
            return new SocketPair(a, b);
        }
    }

    @Override
    public void close() throws IOException {
        left.close();
        right.close();
    }
}
