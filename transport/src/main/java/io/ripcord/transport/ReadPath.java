package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * How one connection turns what it receives into messages: reads bytes (from the socket, or as plaintext from
 * its {@link TlsStage}), runs them through the frame decoder, hands each frame to the listener, and keeps what
 * is left of a partial frame. One code path for plain and TLS connections; only where the bytes come from
 * differs ({@link SocketTransport#fill}).
 *
 * <h2>Buffers</h2>
 * A read goes into the poller's shared scratch buffer (direct for a plain socket, heap for TLS plaintext, see
 * {@link BufferPool}) unless the connection holds part of a frame; then it goes after that part, in a buffer of
 * the connection's own that grows by doubling up to what the decoder may need ({@link FrameDecoder#maxBufferedBytes})
 * and is released as soon as it is empty. So idle connections hold no buffer.
 *
 * <h2>Batching</h2>
 * While the frames of one read are delivered, what the listener sends on this connection is queued (not written
 * at once), and written in one gathering write after the batch: pipelined requests cost one write for all
 * their replies. Batching starts with the first frame that has bytes after it: a frame alone in its read is
 * answered by an inline write, which copies nothing. TLS batches always (the replies leave in as few records as
 * they fill).
 *
 * <h2>Pauses and switches</h2>
 * Delivery stops between frames when reading is paused; the rest stays buffered and is delivered by
 * {@link #drain} once reading resumes (no poll-in will come for bytes already read). When TLS starts on the
 * connection during a delivery ({@link Transport#startTls}), the bytes after that frame are no plaintext: they go
 * to the new stage as records.
 *
 * <p>Thread rules: owner poller only.
 */
final class ReadPath {

    private final FrameDecoder decoder;
    /** Bytes of a partial frame (write mode), or {@code null}. */
    private ByteBuffer leftover;
    /** While one read's frames are delivered: sends queue up and leave in one write afterwards. */
    private boolean batching;
    /** Inside {@link #read} or {@link #drain}: a resume then leaves the delivering to the loop in progress. */
    private boolean reading;
    /** A pause stopped delivery with frames still in {@link #leftover}. */
    private boolean interrupted;

    ReadPath(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    boolean isBatching() {
        return batching;
    }

    boolean isReading() {
        return reading;
    }

    /** Whether part of a frame is held: bytes here, or the decoder's own reassembly. */
    boolean hasPartialFrame() {
        return (leftover != null && leftover.position() > 0) || (decoder != null && decoder.hasPartialFrame());
    }

    /**
     * Poll-in: reads and delivers, at most {@link TransportOptions#maxReadsPerWakeup()} times, until the source
     * has nothing more, reading pauses, or the connection ends.
     */
    void read(ConnectionIo c) throws Exception {
        run(c, true);
    }

    /**
     * Delivers what earlier reads left when reading resumes (or a TLS stage's delegated tasks are done), without
     * reading the socket: only the connection's own buffers are used, since this may run within another
     * connection's delivery from the poller's scratch buffer.
     */
    void drain(ConnectionIo c) throws Exception {
        if (!reading) {
            run(c, false);
        }
    }

    private void run(ConnectionIo c, boolean fromSocket) throws Exception {
        TlsStage tls = c.tls();
        reading = true;
        if (tls != null) {
            tls.readsBegin(c.options().maxReadsPerWakeup());
        }
        try {
            deliverLeftover(c);
            if (fromSocket || tls != null) {
                readLoop(c, fromSocket);
            }
        } finally {
            reading = false;
            tls = c.tls();
            if (tls != null) {
                tls.readsEnd();
            }
        }
    }

    /**
     * Reads until the source has nothing now. A plain socket is read at most
     * {@link TransportOptions#maxReadsPerWakeup()} times; a TLS stage keeps that budget for its socket reads and
     * is asked until the records it holds are all unwrapped.
     */
    private void readLoop(ConnectionIo c, boolean fromSocket) throws Exception {
        int reads = c.options().maxReadsPerWakeup();
        for (int i = 0; c.canRead() && (i < reads || c.tls() != null); i++) {
            TlsStage tls = c.tls();
            int room = tls == null ? 1 : tls.plaintextRoom();
            boolean scratch = leftover == null && fromSocket;
            ByteBuffer buf = scratch ? scratch(c, tls, room) : ownRoom(c, room);
            int space = buf.remaining();
            int n = c.fill(buf, fromSocket);
            if (n == TlsStage.MORE_ROOM) {
                continue;
            }
            if (n < 0) {
                if (buf.position() > 0) {
                    buf.flip();
                    deliverBatch(c, buf, tls);
                    keepRest(c, buf, scratch);
                }
                c.endOfStream();
                return;
            }
            if (n == 0) {
                releaseIfEmpty();
                return;
            }
            buf.flip();
            deliverBatch(c, buf, tls);
            keepRest(c, buf, scratch);
            deliverLeftover(c);
            if (c.tls() == null && n < space) {
                return; // the socket is drained: another read would only return 0 (unless TLS just started)
            }
        }
    }

    private static ByteBuffer scratch(ConnectionIo c, TlsStage tls, int room) {
        int size = Math.max(c.options().readBufferSize(), room);
        return tls == null ? BufferPool.local().scratch(size) : BufferPool.localHeap().plainScratch(size);
    }

    /** The connection's own buffer with at least {@code room} bytes free after what it holds. */
    private ByteBuffer ownRoom(ConnectionIo c, int room) throws FrameException {
        BufferPool pool = c.buffers();
        if (leftover == null) {
            leftover = pool.acquire(Math.max(room, Math.min(4096, c.options().readBufferSize())));
            return leftover;
        }
        if (leftover.remaining() >= room) {
            return leftover;
        }
        int limit = decoder == null ? c.options().readBufferSize() : decoder.maxBufferedBytes();
        if (leftover.position() >= limit) {
            throw new FrameException("a frame needs more than " + limit + " buffered bytes");
        }
        int cap = leftover.capacity();
        ByteBuffer bigger = pool.acquire(Math.max(leftover.position() + room, (int) Math.min((long) cap * 2, limit)));
        leftover.flip();
        bigger.put(leftover);
        pool.release(leftover);
        leftover = bigger;
        return leftover;
    }

    /**
     * Delivers the frames in {@code buf}; replies sent meanwhile on this poller are queued and leave in one
     * gathering write afterwards.
     */
    private void deliverBatch(ConnectionIo c, ByteBuffer buf, TlsStage source) throws Exception {
        if (decoder == null && source == null) {
            // Raw bytes on a plain socket are one message per read: nothing to batch, and an inline write copies
            // nothing.
            c.deliver(buf);
            buf.position(buf.limit());
            return;
        }
        // On TLS even raw bytes batch: what is sent while a wakeup's records are delivered is wrapped and written
        // once at its end (ConnectionIo.read), not one record and one write per record read. A plain connection
        // batches from its second frame on (see deliver).
        batching = source != null;
        try {
            if (decoder == null) {
                c.deliver(buf);
                buf.position(buf.limit());
            } else {
                deliver(c, buf, source);
            }
        } finally {
            batching = false;
            // Also when a bad frame is about to end the connection: the answers to the good frames before it
            // leave first (best effort, what the socket takes now), as they would have in an earlier read.
            c.batchDelivered();
        }
    }

    private void deliver(ConnectionIo c, ByteBuffer buf, TlsStage source) throws Exception {
        while (buf.hasRemaining() && c.canDeliver()) {
            if (c.tls() != source) {
                // TLS started on this connection during the last frame: what follows it is records, not plaintext.
                c.tls().takeEarlyBytes(buf);
                return;
            }
            if (c.readPaused()) {
                interrupted = true;
                return;
            }
            ByteBuffer frame = decoder.decode(buf);
            if (frame == null) {
                return;
            }
            // Bytes after this frame may hold another: replies wait from here on and leave together. A frame alone
            // in its read (one call, the gluster CLI's) is answered by an inline write, with nothing copied.
            batching |= buf.hasRemaining();
            c.deliver(frame);
        }
    }

    /** Delivers frames left in the connection's buffer when a pause interrupted them and has since ended. */
    private void deliverLeftover(ConnectionIo c) throws Exception {
        while (interrupted && !c.readPaused() && leftover != null && c.canDeliver()) {
            interrupted = false;
            leftover.flip();
            deliverBatch(c, leftover, c.tls());
            keepRest(c, leftover, false);
        }
    }

    /** Keeps what a read left undelivered (a partial frame, or frames a pause held back) in the own buffer. */
    private void keepRest(ConnectionIo c, ByteBuffer buf, boolean scratch) {
        if (!buf.hasRemaining()) {
            if (!scratch) {
                release();
            }
            return;
        }
        if (scratch) {
            int rest = buf.remaining();
            leftover = c.buffers().acquire(Math.max(rest * 2, Math.min(4096, c.options().readBufferSize())));
            leftover.put(buf);
        } else {
            leftover.compact();
        }
    }

    private void releaseIfEmpty() {
        if (leftover != null && leftover.position() == 0) {
            release();
        }
    }

    /** Gives the own buffer back; the connection has ended, or the buffer is empty. */
    void release() {
        if (leftover != null) {
            BufferPool.local().release(leftover);
            leftover = null;
        }
    }
}
