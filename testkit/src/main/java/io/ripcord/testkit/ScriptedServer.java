package io.ripcord.testkit;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.MsgType;
import io.ripcord.rpc.RecordMarkingDecoder;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in ONC RPC server on loopback for testing a client ({@code RpcClient} and code built on it): the test
 * takes each call the client makes ({@link #nextCall}) and decides the answer ({@link ScriptedCall}): a result, an
 * exact error status, garbage, no answer at all, or a dropped connection ({@link #disconnectAll()}). With the
 * client's pool on a {@link ManualClock}, its call timeouts and pings fire when the test advances the clock.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * EventPool pool = clock.startPool(1);
 * try (ScriptedServer server = ScriptedServer.start(pool)) {
 *     RpcClient client = RpcClient.connect(pool, server.address()).get();
 *     CompletableFuture<Integer> f = client.call(PROG, 1, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt);
 *     server.nextCall().reply(42, XdrEncoder::writeInt);      // or: let it time out
 *     clock.advance(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Thread rules: any thread. Calls arrive on the pool's pollers and wait in a queue for the test.
 */
public final class ScriptedServer implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Listener listener;
    private final LinkedBlockingQueue<ScriptedCall> calls = new LinkedBlockingQueue<>();
    private final List<Transport> connections = new CopyOnWriteArrayList<>();

    private ScriptedServer(EventPool pool, SocketAddress address) throws IOException {
        TransportOptions framed = TransportOptions.builder()
                .decoder(() -> new RecordMarkingDecoder(64 * 1024 * 1024)).build();
        this.listener = Listener.bind(pool, address, ListenerOptions.builder().transportOptions(framed).build(),
                t -> new Calls());
    }

    /**
     * Listens on an ephemeral loopback port.
     *
     * @param pool the pool that accepts and serves the connections; it may be the client's own
     * @return the server, listening; {@link #address()} says where
     * @throws IOException if no loopback port can be bound
     */
    public static ScriptedServer start(EventPool pool) throws IOException {
        return start(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * Listens on {@code address} (TCP, or a Unix domain socket path).
     *
     * @param pool the pool that accepts and serves the connections; it may be the client's own
     * @param address where to listen
     * @return the server, listening
     * @throws IOException if the address cannot be bound
     */
    public static ScriptedServer start(EventPool pool, SocketAddress address) throws IOException {
        return new ScriptedServer(pool, address);
    }

    /**
     * Where the client should connect.
     *
     * @return the address bound, with the real port
     */
    public SocketAddress address() {
        return listener.address();
    }

    /**
     * The next call a client made, waiting up to 10 seconds (real time) for it.
     *
     * @return the call, taken off the queue
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws IllegalStateException if none came
     */
    public ScriptedCall nextCall() throws InterruptedException {
        ScriptedCall c = nextCall(WAIT);
        if (c == null) {
            throw new IllegalStateException("no call reached " + this + " within " + WAIT.toSeconds() + " s");
        }
        return c;
    }

    /**
     * The next call a client made, waiting for it; also a way to check that no call comes.
     *
     * @param timeout the longest to wait, in real time
     * @return the call, taken off the queue, or {@code null} if none came within {@code timeout}
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public ScriptedCall nextCall(Duration timeout) throws InterruptedException {
        return calls.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * How many calls wait for the test.
     *
     * @return calls received and not taken by {@link #nextCall} yet
     */
    public int waitingCalls() {
        return calls.size();
    }

    /**
     * How many clients are connected.
     *
     * @return connections accepted and not yet disconnected
     */
    public int connectionCount() {
        return listener.connectionCount();
    }

    /** Closes every connection: the clients see their end of stream (EOF). */
    public void disconnectAll() {
        for (Transport t : connections) {
            t.close();
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listener.close();
        disconnectAll();
    }

    @Override
    public String toString() {
        return "ScriptedServer[" + address() + "]";
    }

    /** One connection: every CALL record goes to the queue; other messages are ignored. */
    private final class Calls implements TransportListener {
        @Override
        public void onAccept(Transport t) {
            connections.add(t);
        }

        @Override
        public void onMessage(Transport t, ByteBuffer message) {
            if (message.remaining() < 4) {
                return;
            }
            CallHeader h = CallHeader.parse(message);
            if (h.messageType() == MsgType.CALL && h.defect() == null) {
                calls.add(new ScriptedCall(t, h));
            }
        }

        @Override
        public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
            connections.remove(t);
        }
    }
}
