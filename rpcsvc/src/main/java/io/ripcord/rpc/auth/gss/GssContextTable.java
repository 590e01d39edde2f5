package io.ripcord.rpc.auth.gss;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's contexts by handle, bounded in number. Handles are 16 bytes from a {@link SecureRandom}: knowing
 * one handle tells nothing of another, so a handle cannot be guessed into a context (the header checksum would
 * refuse a guessed one anyway; unguessable handles also keep a stranger from destroying or probing contexts).
 *
 * <p>At the limit, adding a context first evicts one that has expired, else the least recently used one; the
 * scan is linear in the table's size and happens only at the limit. The count is reserved before a context is
 * inserted, so concurrent additions never take the table past its bound.
 *
 * <p>Thread-safe; no lock is held.
 */
final class GssContextTable {

    static final int HANDLE_LENGTH = 16;

    /** A context handle as a map key: 16 random bytes as two longs. */
    record Handle(long high, long low) {
        byte[] toBytes() {
            return ByteBuffer.allocate(HANDLE_LENGTH).putLong(high).putLong(low).array();
        }

        /** @return the key of a handle read from a credential, or null when it cannot be one of ours */
        static Handle of(byte[] handle) {
            if (handle.length != HANDLE_LENGTH) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(handle);
            return new Handle(b.getLong(), b.getLong());
        }
    }

    private final ConcurrentHashMap<Handle, GssServerContext> contexts = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final int max;
    private final long idleNanos;

    GssContextTable(int max, long idleNanos) {
        this.max = max;
        this.idleNanos = idleNanos;
    }

    /** @return the context for {@code handle}, or null */
    GssServerContext get(byte[] handle) {
        Handle key = Handle.of(handle);
        return key == null ? null : contexts.get(key);
    }

    /**
     * Reserves room for one more context, evicting at the limit.
     *
     * @return false when the table is full of contexts being added right now and nothing could be evicted
     */
    boolean reserve(long now) {
        while (true) {
            int n = count.get();
            if (n < max) {
                if (count.compareAndSet(n, n + 1)) {
                    return true;
                }
            } else if (!evictOne(now)) {
                return false;
            }
        }
    }

    /** Gives back a reservation that was not used. */
    void release() {
        count.decrementAndGet();
    }

    /** A new, unguessable handle that no context holds. */
    Handle newHandle() {
        Handle h;
        do {
            h = new Handle(random.nextLong(), random.nextLong());
        } while (contexts.containsKey(h));
        return h;
    }

    /** Inserts a context for which {@link #reserve} returned true. */
    void put(GssServerContext context) {
        contexts.put(context.key(), context);
    }

    /** Removes and disposes of {@code context}, once however many threads ask. */
    boolean remove(GssServerContext context) {
        if (contexts.remove(context.key(), context)) {
            count.decrementAndGet();
            context.dispose();
            return true;
        }
        return false;
    }

    int size() {
        return contexts.size();
    }

    long idleNanos() {
        return idleNanos;
    }

    private boolean evictOne(long now) {
        GssServerContext oldest = null;
        for (GssServerContext c : contexts.values()) {
            if (c.expired(now, idleNanos)) {
                if (remove(c)) {
                    return true;
                }
            } else if (oldest == null || c.lastUsed() - oldest.lastUsed() < 0) {
                oldest = c;
            }
        }
        return oldest != null && (remove(oldest) || !contexts.isEmpty());
    }
}
