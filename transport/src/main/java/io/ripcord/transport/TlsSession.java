package io.ripcord.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * One connection's {@link SSLEngine} and the network-side buffers around it: records read but not yet
 * unwrapped ({@code netIn}) and records wrapped but not yet written ({@code netOut}). The
 * {@link SocketTransport} that owns it drives it; this class only keeps the buffers right.
 *
 * <p>Both buffers come from the owner poller's {@link BufferPool} and go back to it as soon as they are empty,
 * so an idle TLS connection holds no buffer. {@code netIn} is kept in write mode (bytes at
 * {@code 0..position}), {@code netOut} in read mode (bytes at {@code position..limit}).
 *
 * <p>Thread rules: owner poller only, including the engine's {@code wrap}/{@code unwrap}; only the engine's
 * delegated tasks run elsewhere (on {@link TlsOptions#delegatedTaskExecutor()}).
 */
final class TlsSession {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    final SSLEngine engine;
    final Executor taskExecutor;
    final long handshakeTimeoutNanos;

    /** The handshake has finished once; application data may be wrapped. */
    boolean handshakeDone;
    /** Delegated tasks are running elsewhere: neither wrap nor unwrap until they are done. */
    boolean taskPending;
    /** {@code closeOutbound} was called: a close_notify is wrapped (or written), no more data goes out. */
    boolean outboundClosed;
    /** The peer's close_notify arrived (or its end-of-stream did). */
    boolean inboundDone;
    /** Plaintext bytes wrapped into {@code netOut} and not yet written: still counted as queued. */
    long wrappedPlain;

    private ByteBuffer netIn;
    private ByteBuffer netOut;

    TlsSession(TlsOptions options, boolean clientMode) {
        this.engine = options.newEngine(clientMode);
        this.taskExecutor = options.delegatedTaskExecutor();
        this.handshakeTimeoutNanos = options.handshakeTimeout().toNanos();
    }

    int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    int appSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    // --- read side --------------------------------------------------------------------------------------

    /** Where the next read goes: after the bytes of a partial record, or else the poller's read buffer. */
    ByteBuffer readBuffer(int readBufferSize) {
        if (netIn == null) {
            return BufferPool.localHeap().scratch(Math.max(readBufferSize, packetSize()));
        }
        if (!netIn.hasRemaining()) {
            // A full buffer without a whole record: the session now allows larger records than at first.
            ByteBuffer bigger = BufferPool.localHeap().acquire(Math.max(netIn.capacity() * 2, packetSize()));
            netIn.flip();
            bigger.put(netIn);
            BufferPool.localHeap().release(netIn);
            netIn = bigger;
        }
        return netIn;
    }

    /** Whether {@code buf} (from {@link #readBuffer}) is the connection's own partial-record buffer. */
    boolean isNetIn(ByteBuffer buf) {
        return buf == netIn;
    }

    /** Bytes of records read and kept (a partial record, or records a pause left), between reads. */
    boolean hasBufferedNetIn() {
        return netIn != null && netIn.position() > 0;
    }

    /** Records read and kept, flipped for unwrapping; {@code null} when there are none. */
    ByteBuffer bufferedNetIn() {
        if (netIn == null || netIn.position() == 0) {
            return null;
        }
        netIn.flip();
        return netIn;
    }

    /**
     * Keeps what unwrapping left of {@code net} (in read mode): a partial record, or records not unwrapped
     * because delivery paused. Leaves the connection's own buffer in write mode, or releases it when empty.
     */
    void keepNetIn(ByteBuffer net) {
        boolean own = net == netIn;
        if (!net.hasRemaining()) {
            if (own) {
                BufferPool.localHeap().release(netIn);
                netIn = null;
            }
            return;
        }
        if (own) {
            netIn.compact();
        } else {
            netIn = BufferPool.localHeap().acquire(Math.max(net.remaining(), packetSize()));
            netIn.put(net);
        }
    }

    /** Releases {@code netIn} if a read into it found nothing and it holds nothing. */
    void releaseEmptyNetIn() {
        if (netIn != null && netIn.position() == 0) {
            BufferPool.localHeap().release(netIn);
            netIn = null;
        }
    }

    // --- write side -------------------------------------------------------------------------------------

    /** Whether wrapped bytes wait to be written. */
    boolean hasNetOut() {
        return netOut != null && netOut.hasRemaining();
    }

    /** Whether {@code netOut} can take one more full record without growing. */
    boolean roomForRecord() {
        return netOut == null || netOut.capacity() - netOut.remaining() >= packetSize();
    }

    /** Wraps handshake or alert messages (no application data), growing {@code netOut} as they need. */
    SSLEngineResult wrapControl() throws SSLException {
        return wrap(NOTHING, 0, 1);
    }

    /**
     * Wraps application data from {@code srcs[off..off+len)} into one record appended to {@code netOut}. The
     * caller checks {@link #roomForRecord()} first; an overflow then means the session grew, and is retried.
     */
    SSLEngineResult wrapData(ByteBuffer[] srcs, int off, int len) throws SSLException {
        return wrap(srcs, off, len);
    }

    private SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len) throws SSLException {
        for (;;) {
            ByteBuffer out = netOutForWrap();
            SSLEngineResult r;
            try {
                r = engine.wrap(srcs, off, len, out);
            } finally {
                out.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            ByteBuffer bigger = BufferPool.localHeap().acquire(Math.max(netOut.capacity() * 2,
                    netOut.remaining() + packetSize()));
            bigger.put(netOut).flip();
            BufferPool.localHeap().release(netOut);
            netOut = bigger;
        }
    }

    /** {@code netOut} compacted into write mode (the caller flips it back). */
    private ByteBuffer netOutForWrap() {
        if (netOut == null) {
            netOut = BufferPool.localHeap().acquire(2 * packetSize());
        } else {
            netOut.compact();
        }
        return netOut;
    }

    /**
     * Writes wrapped bytes to {@code channel}, releasing the buffer once it is drained.
     *
     * @return the bytes written (0 when the socket is full or nothing waits)
     */
    long writeNetOut(SocketChannel channel) throws IOException {
        if (netOut == null) {
            return 0;
        }
        long w = channel.write(netOut);
        if (!netOut.hasRemaining()) {
            BufferPool.localHeap().release(netOut);
            netOut = null;
        }
        return w;
    }

    /** Gives both buffers back to the pool; the connection is done. */
    void release() {
        if (netIn != null) {
            BufferPool.localHeap().release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            BufferPool.localHeap().release(netOut);
            netOut = null;
        }
    }
}
