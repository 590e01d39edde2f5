package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A man in the middle for one RPC connection on loopback: calls go to the server as they are; replies come back
 * record by record, and the next one can be altered ({@link #alterNextReply}) to see what the client makes of it.
 */
final class ReplyTamperingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService relays = Executors.newCachedThreadPool();
    private final AtomicReference<Consumer<byte[]>> nextReply = new AtomicReference<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream calls = new ByteArrayOutputStream();

    ReplyTamperingProxy(SocketAddress server) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        relays.execute(() -> {
            try (Socket client = listener.accept(); Socket upstream = new Socket()) {
                sockets.add(client);
                sockets.add(upstream);
                upstream.connect(server, 5000);
                relays.execute(() -> copyCalls(client, upstream));
                relayReplies(upstream.getInputStream(), client.getOutputStream());
            } catch (IOException e) {
                // One side closed: the relay ends with the connection.
            }
        });
    }

    /** {@return where clients connect} */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The next reply record (without its record mark) goes through {@code change} first. */
    void alterNextReply(Consumer<byte[]> change) {
        nextReply.set(change);
    }

    private void relayReplies(InputStream from, OutputStream to) throws IOException {
        while (true) {
            byte[] reply = Wire.readRecord(from);
            Consumer<byte[]> change = nextReply.getAndSet(null);
            if (change != null) {
                change.accept(reply);
            }
            to.write(Wire.record(reply));
            to.flush();
        }
    }

    /** {@return every byte the client has sent so far} */
    byte[] callsSoFar() {
        synchronized (calls) {
            return calls.toByteArray();
        }
    }

    private void copyCalls(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (calls) {
                    calls.write(buffer, 0, n);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // One side closed: the relay ends with the connection.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        relays.shutdownNow();
    }
}
