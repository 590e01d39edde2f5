package io.ripcord.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A listener that records every event, for asserting order and exactly-once. Optionally echoes. */
class EventLog implements TransportListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<DisconnectCause> disconnects = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger cleanups = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    final ByteArrayOutputStreamSync received = new ByteArrayOutputStreamSync();
    final List<Boolean> writability = new CopyOnWriteArrayList<>();
    final boolean echo;

    EventLog(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onAccept(Transport t) {
        events.add("ACCEPT");
    }

    @Override
    public void onConnect(Transport t) {
        events.add("CONNECT");
    }

    @Override
    public void onMessage(Transport t, ByteBuffer message) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("MSG")) {
            events.add("MSG");
        }
        bytes.addAndGet(message.remaining());
        received.write(message.duplicate());
        if (echo) {
            t.send(message);
        }
    }

    @Override
    public void onWritabilityChanged(Transport t, boolean writable) {
        writability.add(writable);
    }

    @Override
    public void onInputShutdown(Transport t) {
        events.add("INPUT_SHUTDOWN");
    }

    @Override
    public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
        events.add("DISCONNECT");
        disconnects.add(cause);
        if (error != null) {
            errors.add(error);
        }
    }

    @Override
    public void onCleanup(Transport t) {
        cleanups.incrementAndGet();
    }

    /** A byte sink safe to write from a poller and read from the test thread. */
    static final class ByteArrayOutputStreamSync {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        synchronized void write(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.write(a, 0, a.length);
        }

        synchronized byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
