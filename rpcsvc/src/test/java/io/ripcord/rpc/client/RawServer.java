package io.ripcord.rpc.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A blocking one-connection server scripted by the test: for replies a real service would never send. */
final class RawServer implements AutoCloseable {

    interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    /** Completes when the script returns, or with what it threw. */
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Socket socket;

    RawServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                socket = s;
                script.run(s);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() throws Exception {
        server.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        thread.join(10_000);
    }

    /** Reads one record (all fragments). */
    static ByteBuffer readRecord(InputStream in) throws IOException {
        return ByteBuffer.wrap(io.ripcord.rpc.Wire.readRecord(in));
    }

    /** Writes {@code ints} as one record. */
    static void writeRecord(OutputStream out, int... ints) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * ints.length).putInt(0x80000000 | 4 * ints.length);
        for (int v : ints) {
            b.putInt(v);
        }
        out.write(b.array());
        out.flush();
    }
}
