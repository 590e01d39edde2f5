package io.ripcord.rpc;

import io.ripcord.transport.FrameDecoder;
import io.ripcord.transport.FrameException;
import java.nio.ByteBuffer;

/**
 * Splits a byte stream into RPC records (RFC 5531 section 11): each record is one or more fragments, each
 * fragment a four-byte header (bit 31 = last fragment, bits 0..30 = length) and its data. Each frame this
 * decoder returns is one record's data, headers removed.
 *
 * <p><b>Limits.</b> A header that would take the record past the maximum record size, or a record with more
 * than the maximum number of fragments, is a {@link FrameException} the moment the header is read, before
 * anything is allocated for it. The fragment cap ends a peer's stream of zero-length non-last fragments,
 * which are legal but make no progress. It defaults to 1024 or one fragment per KiB of the maximum record
 * size, whichever is more: libtirpc cuts records into fragments of about 4000 bytes, so any real sender
 * stays well under it.
 *
 * <p><b>Buffers.</b> A record that is one fragment and lies whole in the transport's buffer is returned as a
 * view of it: no copy, and no object either, since the view is one this thread keeps for that buffer and moves
 * to each record (its position is the record's first byte, its limit the record's end; a slice would be a new
 * object per record). Such a record is left unconsumed until it is whole, so the transport must be able to
 * hold one maximum record and its header, which is what {@link #maxBufferedBytes()} says. A record of several
 * fragments is consumed as it arrives and reassembled in the decoder's own heap buffer, each byte copied
 * once; the buffer starts at 4 KiB (or the maximum, if smaller), doubles as data actually arrives (never on a
 * header's promise alone) and is reused for the next record, unless it grew past 64 KiB, in which case it is
 * released so idle connections do not pin large buffers.
 *
 * <p>Called only on the connection's owner poller, like every {@link FrameDecoder}; not thread-safe.
 */
public final class RecordMarkingDecoder implements FrameDecoder {

    /** Reassembly starts with a buffer this size (or the maximum record size, if smaller). */
    static final int INITIAL_ASSEMBLY_CAPACITY = 4096;
    /** A reassembly buffer grown past this is released after its record, not reused. */
    static final int RETAINED_ASSEMBLY_CAPACITY = 64 * 1024;
    /** The record size bound: a record is reassembled into one heap array. */
    static final int MAX_RECORD_SIZE_LIMIT = Integer.MAX_VALUE - 8;

    /** This thread's views of the buffers it decodes from (see "Buffers" above). */
    private static final ThreadLocal<Views> VIEWS = ThreadLocal.withInitial(Views::new);

    private final int maxRecordSize;
    private final int maxFragments;

    private ByteBuffer assembly;
    /** Whether the last frame returned was {@link #assembly}, to be cleared on the next call. */
    private boolean assemblyReturned;
    /** Fragment headers consumed for the record in progress. */
    private int fragments;
    /** Data bytes copied into {@link #assembly} for the record in progress. */
    private int recordLength;
    private boolean inFragment;
    private boolean lastFragment;
    private int fragmentRemaining;

    /**
     * A decoder with the default fragment cap, {@code max(1024, maxRecordSize / 1024)}.
     *
     * @param maxRecordSize the most data bytes one record may carry, headers excluded
     * @throws IllegalArgumentException when {@code maxRecordSize} is negative or over
     *                                  {@code Integer.MAX_VALUE - 8}
     */
    public RecordMarkingDecoder(int maxRecordSize) {
        this(maxRecordSize, defaultMaxFragments(maxRecordSize));
    }

    /**
     * A decoder with an explicit fragment cap.
     *
     * @param maxRecordSize the most data bytes one record may carry, headers excluded
     * @param maxFragments  the most fragments one record may have, at least 1
     * @throws IllegalArgumentException when an argument is out of range
     */
    public RecordMarkingDecoder(int maxRecordSize, int maxFragments) {
        if (maxRecordSize < 0 || maxRecordSize > MAX_RECORD_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxRecordSize must be between 0 and " + MAX_RECORD_SIZE_LIMIT
                    + ": " + maxRecordSize);
        }
        if (maxFragments < 1) {
            throw new IllegalArgumentException("maxFragments must be at least 1: " + maxFragments);
        }
        this.maxRecordSize = maxRecordSize;
        this.maxFragments = maxFragments;
    }

    static int defaultMaxFragments(int maxRecordSize) {
        return Math.max(1024, maxRecordSize / 1024);
    }

    /** {@return the most data bytes one record may carry} */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /** {@return the most fragments one record may have} */
    public int maxFragments() {
        return maxFragments;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The frame is either a view of {@code in} (from the frame's first byte at its position to its end at its
     * limit) or the decoder's reassembly buffer; either way it is valid only until the next call, and a view
     * only until the next record any decoder on this thread takes from the same buffer.
     *
     * @throws FrameException when a header takes the record past the maximum size or fragment count
     */
    @Override
    public ByteBuffer decode(ByteBuffer in) throws FrameException {
        if (assemblyReturned) {
            assemblyReturned = false;
            if (assembly.capacity() > RETAINED_ASSEMBLY_CAPACITY) {
                assembly = null;
            } else {
                assembly.clear();
            }
        }
        for (;;) {
            if (!inFragment) {
                int available = in.remaining();
                if (available < RecordMarking.HEADER_SIZE) {
                    return null;
                }
                int p = in.position();
                int header = readHeader(in, p);
                boolean last = RecordMarking.isLast(header);
                int length = RecordMarking.fragmentLength(header);
                checkHeader(length, header);
                if (fragments == 0 && last) {
                    if (available - RecordMarking.HEADER_SIZE < length) {
                        return null; // a whole record in one fragment: wait for it and hand out a slice
                    }
                    ByteBuffer frame = VIEWS.get().of(in, p + RecordMarking.HEADER_SIZE, length);
                    in.position(p + RecordMarking.HEADER_SIZE + length);
                    return frame;
                }
                in.position(p + RecordMarking.HEADER_SIZE);
                fragments++;
                inFragment = true;
                lastFragment = last;
                fragmentRemaining = length;
            }
            int n = Math.min(fragmentRemaining, in.remaining());
            if (n > 0) {
                ensureAssembly(recordLength + n);
                assembly.put(recordLength, in, in.position(), n);
                in.position(in.position() + n);
                recordLength += n;
                fragmentRemaining -= n;
            }
            if (fragmentRemaining > 0) {
                return null;
            }
            inFragment = false;
            if (lastFragment) {
                ensureAssembly(recordLength); // a record of empty fragments still needs a buffer to return
                assembly.limit(recordLength).position(0);
                assemblyReturned = true;
                fragments = 0;
                recordLength = 0;
                return assembly;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A single-fragment record is returned as a slice of the transport's buffer, so the transport must be
     * able to hold one whole maximum record and its header: {@code maxRecordSize + 4}.
     */
    @Override
    public int maxBufferedBytes() {
        return maxRecordSize + RecordMarking.HEADER_SIZE;
    }

    /** {@inheritDoc} Here: a record of several fragments is being reassembled. */
    @Override
    public boolean hasPartialFrame() {
        return fragments > 0;
    }

    private void checkHeader(int length, int header) throws FrameException {
        if (fragments >= maxFragments) {
            throw new FrameException("record has more than " + maxFragments + " fragments");
        }
        long total = (long) recordLength + length;
        if (total > maxRecordSize) {
            throw new FrameException("record fragment of " + length + " bytes makes the record " + total
                    + " bytes, over the maximum record size of " + maxRecordSize + notRpc(header));
        }
    }

    /**
     * What to add when an oversized first header is text ({@code "SSH-"}, {@code "HTTP"}, a banner): the peer
     * does not speak ONC RPC at all, which says more than the size does.
     */
    private String notRpc(int header) {
        if (fragments > 0) {
            return "";
        }
        StringBuilder text = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = (header >>> shift) & 0xff;
            if (b < 0x20 || b > 0x7e) {
                return "";
            }
            text.append((char) b);
        }
        return "; its bytes are the text \"" + text + "\": the peer does not speak ONC RPC";
    }

    private void ensureAssembly(int needed) {
        if (assembly == null) {
            assembly = ByteBuffer.allocate(Math.max(needed, Math.min(INITIAL_ASSEMBLY_CAPACITY, maxRecordSize)));
        } else if (needed > assembly.capacity()) {
            long grown = assembly.capacity();
            while (grown < needed) {
                grown *= 2;
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(grown, maxRecordSize));
            bigger.put(0, assembly, 0, recordLength);
            assembly = bigger;
        }
    }

    /** The header at {@code index}, big-endian whatever {@code in}'s byte order (RFC 5531 section 11). */
    private static int readHeader(ByteBuffer in, int index) {
        return (in.get(index) & 0xFF) << 24 | (in.get(index + 1) & 0xFF) << 16
                | (in.get(index + 2) & 0xFF) << 8 | (in.get(index + 3) & 0xFF);
    }

    /**
     * One thread's views of the buffers records are read from: in practice its poller's two read buffers (a plain
     * socket's and a TLS connection's plaintext), each read into and decoded from on that thread only, so a view
     * is moved to the next record only once the record before it was delivered. A buffer that is not one of the
     * last two seen (a connection's own, holding a partial record) gets a view of its own, which replaces the
     * older of the two; one over {@link #LARGEST_KEPT} bytes gets a slice, so that no thread keeps a large buffer
     * alive after its connection let it go.
     */
    private static final class Views {
        static final int LARGEST_KEPT = 1 << 20;

        private ByteBuffer source0;
        private ByteBuffer view0;
        private ByteBuffer source1;
        private ByteBuffer view1;

        /** A view of {@code in} from {@code from}, {@code length} bytes long. */
        ByteBuffer of(ByteBuffer in, int from, int length) {
            ByteBuffer v;
            if (in == source0) {
                v = view0;
            } else if (in == source1) {
                v = view1;
            } else if (in.capacity() > LARGEST_KEPT) {
                return in.slice(from, length);
            } else {
                v = in.duplicate();
                source1 = source0;
                view1 = view0;
                source0 = in;
                view0 = v;
            }
            return v.limit(from + length).position(from);
        }
    }
}
