package io.ripcord.transport;

import io.ripcord.core.EventHandler;
import io.ripcord.core.EventPool;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Poller;
import io.ripcord.core.Slot;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A stream connection as its users see it: the {@link Transport} (every method callable from any thread; what
 * must run on the owner poller is queued to it) and the connection's lifecycle: registration, connect, the
 * {@link EventHandler} the slot calls, close, and the one DISCONNECT. What the owner does with the socket is
 * {@link ConnectionIo}'s; the state both share is {@link Connection}'s, and the parts the work is split into are
 * listed there.
 */
final class SocketTransport extends ConnectionIo implements Transport, EventHandler, Runnable {

    // A field updater rather than an AtomicInteger: an idle connection should cost as few objects as possible.
    private static final AtomicIntegerFieldUpdater<SocketTransport> REFS =
            AtomicIntegerFieldUpdater.newUpdater(SocketTransport.class, "refs");

    private volatile int refs = 1;
    private volatile Object attachment;

    /**
     * @param dialing for a client connection, its connect in progress; {@code null} for an accepted one
     * @param connecting the connect is still pending
     */
    SocketTransport(SocketChannel channel, TransportOptions options, Dialing dialing, boolean connecting) {
        super(channel, options, dialing, connecting);
    }

    void listener(TransportListener l) {
        this.listener = l;
    }

    void onDisconnected(Runnable r) {
        this.onDisconnected = r;
    }

    /**
     * Registers the channel; the transport's first task on its owner starts it. Called on the owner itself (a
     * listener registering on its own poller), it starts at once, and an accepted connection is read at once:
     * the peer's first message is usually in the socket already (a client connects and sends its call), and
     * reading it now saves the select round that would only report it.
     */
    Slot register(EventPool pool, Poller poller) throws IOException {
        boolean connecting = state == CONNECTING;
        // Taken before the owner can see the slot: it may connect, and drop its Dialing, before we arm the timer.
        Dialing d = dialing;
        Slot s = pool.register(channel, this, !connecting, connecting, poller);
        List<Runnable> early;
        synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
            slot = s;
            early = preRegister;
            preRegister = null;
        }
        if (s.inPoller()) {
            onRegistered();
            if (early == null && d == null) {
                // Tasks given before registration (a pause asked for in onAccept) must run first: then the first
                // read waits for the selector as before.
                readAtOnce();
            }
        } else {
            s.execute(this::onRegistered);
        }
        if (early != null) {
            for (Runnable r : early) {
                s.execute(r);
            }
        }
        if (connecting && options.connectTimeout().toNanos() > 0) {
            // Armed late, the timer finds the connection connected and does nothing.
            d.timer(s.schedule(this::connectTimedOut, options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS));
        }
        return s;
    }

    // --- Transport: any thread ----------------------------------------------------------------------------

    @Override
    public void send(ByteBuffer message, Object context) {
        int len = message.remaining();
        if (state >= CLOSING) {
            message.position(message.limit());
            return;
        }
        Slot s = slot;
        if (s != null && s.inPoller() && registered) {
            if (tls == null && state == OPEN && !reads.isBatching() && !queue.hasQueued() && !queue.hasInbox()
                    && !outputShutRequested) {
                try {
                    writeInline(message);
                } catch (IOException e) {
                    failNow(DisconnectCause.RESET, e);
                    return;
                }
                if (!message.hasRemaining()) {
                    listener.onMessageSent(this, context);
                    return;
                }
                len = message.remaining();
            }
            WriteQueue q = queue();
            q.count(len);
            q.add(Outbound.pooledCopy(message, context, buffers()));
            updateWritability();
            if (!armedOut && !reads.isBatching() && state != CONNECTING) {
                flush();
            }
            return;
        }
        WriteQueue q = queue();
        q.count(len);
        if (q.handOff(Outbound.heapCopy(message, context))) {
            execute(this);
        }
        if (state == CLOSED) {
            // The connection may have ended between the check above and the hand-off: nothing will drain it.
            q.dropInbox();
        }
    }

    /**
     * The drain task the first hand-off from another thread schedules on the owner. The transport is its own
     * task so that an idle connection does not keep a task object of its own.
     */
    @Override
    public void run() {
        WriteQueue q = queue;
        if (q != WriteQueue.NONE) {
            q.drainStarted();
        }
        if (!registered || state == CONNECTING) {
            return;
        }
        queue.takeInbox();
        updateWritability();
        if (!armedOut) {
            flush();
        }
    }

    @Override
    public void close() {
        onOwner(() -> {
            if (state == CONNECTING) {
                failNow(DisconnectCause.LOCAL_CLOSE, null);
            } else if (state == OPEN) {
                state = CLOSING;
                queue.takeInbox();
                // Flushed now unless a poll-out is due anyway: then that flush ends the connection.
                if (tls != null || !queue.hasQueued() || !armedOut) {
                    flush(); // writes the queue (then a close_notify), then closes
                }
            }
        });
    }

    @Override
    public void abort() {
        onOwner(() -> failNow(DisconnectCause.LOCAL_CLOSE, null));
    }

    @Override
    public void shutdownOutput() {
        onOwner(() -> {
            if (state != OPEN || outputShutRequested) {
                return;
            }
            outputShutRequested = true;
            queue.takeInbox();
            if (tls != null || !queue.hasQueued() || !armedOut) {
                flush(); // writes the queue (then a close_notify), then shuts the output
            }
        });
    }

    @Override
    public void pauseReading() {
        onOwner(() -> {
            userPaused = true;
            updateInterest();
        });
    }

    @Override
    public void resumeReading() {
        onOwner(() -> {
            if (userPaused) {
                userPaused = false;
                resumeAfterPause();
            }
        });
    }

    @Override
    public CompletableFuture<Transport> startTls(TlsOptions tlsOptions) {
        Objects.requireNonNull(tlsOptions, "tlsOptions");
        CompletableFuture<Transport> done = new CompletableFuture<>();
        if (state >= CLOSING) {
            done.completeExceptionally(new IllegalStateException(this + " is closed; TLS cannot start"));
            return done;
        }
        onOwner(() -> beginTls(tlsOptions, done));
        if (state == CLOSED) {
            // It closed while the task was queued, which is then dropped; if the task ran, this changes nothing.
            done.completeExceptionally(new IllegalStateException(this + " is closed; TLS cannot start"));
        }
        return done;
    }

    @Override
    public SSLSession tlsSession() {
        TlsStage t = tls;
        return t == null ? null : t.session();
    }

    @Override
    public UnixDomainPrincipal peerCredentials() {
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
            return null;
        }
        try {
            return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException e) {
            log.debug("{}: no peer credentials: {}", this, e.toString());
            return null;
        }
    }

    @Override
    public boolean isWritable() {
        return queue.isWritable();
    }

    @Override
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Poller poller() {
        Slot s = slot;
        return s == null ? null : s.poller();
    }

    @Override
    public boolean inPoller() {
        Slot s = slot;
        return s != null && s.inPoller();
    }

    @Override
    public void execute(Runnable task) {
        Slot s = slot;
        if (s == null) {
            synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
                s = slot;
                if (s == null) {
                    if (preRegister == null) {
                        preRegister = new ArrayList<>();
                    }
                    preRegister.add(task);
                    return;
                }
            }
        }
        try {
            s.execute(task);
        } catch (PoolShutdownException e) {
            log.debug("{}: task dropped, the pool is shutting down", this);
        }
    }

    @Override
    public void retain() {
        int r;
        do {
            r = refs;
            if (r <= 0) {
                throw new IllegalStateException(this + " was already cleaned up");
            }
        } while (!REFS.compareAndSet(this, r, r + 1));
    }

    @Override
    public void release() {
        int r = REFS.decrementAndGet(this);
        if (r == 0) {
            TransportListener l = listener;
            if (l != null) {
                try {
                    l.onCleanup(this);
                } catch (RuntimeException e) {
                    log.warn("{}: onCleanup threw", this, e);
                }
            }
        } else if (r < 0) {
            throw new IllegalStateException(this + " released more often than retained");
        }
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object value) {
        this.attachment = value;
    }

    @Override
    public String toString() {
        return "Transport[" + localAddress + " <-> " + remoteAddress + "]";
    }

    /** A state dump's line: the addresses, the state, what is queued, what holds reading, TLS. Owner only. */
    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(toString()).append(' ')
                .append(new String[] {"CONNECTING", "OPEN", "CLOSING", "CLOSED"}[state])
                .append(", queued ").append(queuedBytes()).append(" B");
        if (userPaused || watermarkPaused) {
            b.append(", reading paused").append(userPaused ? " (by the user)" : "")
                    .append(watermarkPaused ? " (peer not draining)" : "");
        }
        if (inputShut) {
            b.append(", input shut by the peer");
        }
        if (outputShut) {
            b.append(", output shut");
        }
        if (tlsSession() != null) {
            b.append(", TLS ").append(tlsSession().getProtocol());
        } else if (tls != null) {
            b.append(", TLS handshaking");
        }
        return b.toString();
    }

    // --- EventHandler: the owner poller --------------------------------------------------------------------

    @Override
    public void handle(Slot s, boolean pollIn, boolean pollOut, boolean pollErr) throws Exception {
        if (pollErr) {
            onFinal(s);
            return;
        }
        if (!registered) {
            // The owner registered the channel and found it ready before register() returned to its caller
            // (or before our first task ran): adopt the slot now.
            if (slot == null) {
                synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
                    if (slot == null) {
                        slot = s;
                    }
                }
            }
            onRegistered();
        }
        if (pollOut) {
            if (state == CONNECTING) {
                finishConnect();
            } else {
                flush();
            }
        }
        if (pollIn) {
            read();
        }
    }

    private void onRegistered() {
        if (registered || state == CLOSED) {
            return;
        }
        registered = true;
        // What the slot was registered with (see register()).
        boolean connecting = state == CONNECTING;
        armedIn = !connecting;
        armedOut = connecting;
        if (connecting) {
            return;
        }
        if (dialing != null) {
            connected(); // the connect completed at once
            return;
        }
        if (timeouts != null) {
            timeouts.start();
        }
        if (tls != null) {
            startHandshake();
        } else {
            run();
        }
    }

    /**
     * A poll-in run by the registration rather than the selector. What would fail the slot there fails the
     * connection here, never the listener whose handler this runs in.
     */
    private void readAtOnce() {
        if (state == CLOSED || !armedIn) {
            return;
        }
        try {
            read();
        } catch (Throwable t) {
            failNow(causeOf(t), t);
        }
    }

    private void finishConnect() {
        boolean done;
        try {
            done = channel.finishConnect();
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        }
        if (done) {
            state = OPEN;
            connected();
        }
    }

    private void connected() {
        dialing.cancelTimer();
        try {
            localAddress = channel.getLocalAddress();
            remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("{}: could not read addresses", this, e);
        }
        if (timeouts != null) {
            timeouts.start();
        }
        if (tls != null) {
            startHandshake(); // CONNECT (and the connect future) wait for the handshake: see tlsHandshakeDone
            return;
        }
        notifyConnected();
        run();
        updateInterest();
    }

    private void notifyConnected() {
        Dialing d = dialing;
        dialing = null;
        ConnectionEvent.record("CONNECT", this, null, null);
        listener.onConnect(this);
        d.connected(this);
    }

    private void connectTimedOut() {
        if (state == CONNECTING) {
            failNow(DisconnectCause.TIMEOUT, new ConnectException("connect to " + peerForMessages()
                    + " timed out after " + options.connectTimeout().toMillis() + " ms"));
        }
    }

    /** The handshake is done: a client connection that waited for it is now CONNECTed. */
    @Override
    void tlsHandshakeDone() {
        if (dialing != null && state == OPEN) {
            notifyConnected();
        }
    }

    // --- the end ------------------------------------------------------------------------------------------

    private void onFinal(Slot s) {
        state = CLOSED;
        if (timeouts != null) {
            timeouts.cancel();
        }
        reads.release();
        WriteQueue q = queue;
        if (q != WriteQueue.NONE) {
            q.clear();
        }
        DisconnectCause why = cause;
        Throwable err = error;
        if (why == null) {
            err = s.failure();
            why = causeOf(err);
        }
        TlsStage t = tls;
        if (t != null) {
            t.release(err != null ? err : new SSLException("the connection ended (" + why + ") before the TLS "
                    + "handshake finished"));
        }
        Dialing d = dialing;
        if (d != null) {
            // A connection that never connected (or whose TLS handshake failed) is no connection: no DISCONNECT.
            dialing = null;
            d.failed(err, why);
            release();
            return;
        }
        // One line per disconnect, with its cause, at DEBUG: per-connection events are noise at a server's scale,
        // and a hostile peer must not be able to flood the log by opening connections. Only a protocol violation,
        // which points at a broken or hostile client, is logged at INFO.
        if (why == DisconnectCause.PROTOCOL) {
            log.info("{} disconnected: {}: {}", this, why, String.valueOf(err));
        } else if (err != null) {
            log.debug("{} disconnected: {}: {}", this, why, String.valueOf(err));
        } else {
            log.debug("{} disconnected: {}", this, why);
        }
        ConnectionEvent.record("DISCONNECT", this, why, err);
        try {
            listener.onDisconnect(this, why, err);
        } finally {
            Runnable r = onDisconnected;
            if (r != null) {
                r.run();
            }
            release();
        }
    }

}
