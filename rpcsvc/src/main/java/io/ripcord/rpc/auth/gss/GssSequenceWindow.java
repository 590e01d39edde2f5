package io.ripcord.rpc.auth.gss;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server's sequence window of one context (RFC 2203 section 5.3.3.1): a call whose sequence number was
 * seen before, or lies at or below the highest seen less the window's size, is dropped without an answer.
 *
 * <p><b>Shape.</b> Sequence numbers are grouped in blocks of 32; a ring of {@code ceil(size / 32) + 1} 64-bit
 * words holds, each, a block number in its high half and which of that block's 32 numbers were seen in its low
 * half. A number's block has exactly one slot in the ring ({@code block % ring}). The ring is one block longer
 * than the window, so a slot is only ever taken over by a newer block once the older block lies wholly below
 * the window; and a slot's block number only grows, so a number whose slot moved on is refused for good.
 *
 * <p><b>Threads.</b> Calls of one context may arrive on several connections, so on several pollers at once.
 * Every operation is a few reads and compare-and-set loops on one word and the highest number: no lock and no
 * allocation. {@link #accept} is atomic per sequence number: of two threads accepting the same number, exactly
 * one succeeds. The below-the-window test reads the highest number without ordering it against the word, so a
 * number that falls below the window while it is being accepted may still be accepted once; it can never be
 * accepted twice.
 */
final class GssSequenceWindow {

    private static final int BLOCK_BITS = 5;
    private static final int BLOCK_MASK = (1 << BLOCK_BITS) - 1;
    /** The largest window accepted; NFS servers use 32 to 512. */
    static final int MAX_SIZE = 1 << 16;

    private final int size;
    private final AtomicLongArray ring;
    private final AtomicInteger highest = new AtomicInteger(-1);

    /**
     * @param size the window advertised in {@code rpc_gss_init_res.seq_window}, 1 to {@value #MAX_SIZE}
     */
    GssSequenceWindow(int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("sequence window must be 1.." + MAX_SIZE + ": " + size);
        }
        this.size = size;
        this.ring = new AtomicLongArray(((size + BLOCK_MASK) >>> BLOCK_BITS) + 1);
    }

    /** {@return the window's size} */
    int size() {
        return size;
    }

    /** {@return the highest sequence number accepted so far, or -1} */
    int highest() {
        return highest.get();
    }

    /**
     * Whether {@code seq} would be accepted now, changing nothing: the cheap test before the header checksum is
     * verified (a replay costs no cryptography).
     *
     * @param seq a sequence number below {@link RpcGss#MAXSEQ}
     * @return false for a number seen before or below the window
     */
    boolean mayAccept(int seq) {
        checkSeq(seq);
        if (belowWindow(seq)) {
            return false;
        }
        long word = ring.get(slot(seq));
        int tag = tag(word);
        int block = seq >>> BLOCK_BITS;
        return tag < block || (tag == block && (word & bit(seq)) == 0);
    }

    /**
     * Accepts {@code seq} once: call it after the header checksum has been verified, so that forged calls do not
     * move the window (RFC 2203 section 5.3.3.1).
     *
     * @param seq a sequence number below {@link RpcGss#MAXSEQ}
     * @return true the first time for a number inside the window; false for a replay or a number below it
     */
    boolean accept(int seq) {
        checkSeq(seq);
        if (belowWindow(seq)) {
            return false;
        }
        int slot = slot(seq);
        int block = seq >>> BLOCK_BITS;
        long bit = bit(seq);
        while (true) {
            long word = ring.get(slot);
            int tag = tag(word);
            long next;
            if (tag > block) {
                return false;
            } else if (tag == block) {
                if ((word & bit) != 0) {
                    return false;
                }
                next = word | bit;
            } else {
                next = ((long) block << 32) | bit;
            }
            if (ring.compareAndSet(slot, word, next)) {
                break;
            }
        }
        int h;
        do {
            h = highest.get();
        } while (seq > h && !highest.compareAndSet(h, seq));
        return true;
    }

    private boolean belowWindow(int seq) {
        int h = highest.get();
        return h >= 0 && seq <= h - size;
    }

    private int slot(int seq) {
        return (seq >>> BLOCK_BITS) % ring.length();
    }

    private static int tag(long word) {
        return (int) (word >>> 32);
    }

    private static long bit(int seq) {
        return 1L << (seq & BLOCK_MASK);
    }

    private static void checkSeq(int seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence number at or above MAXSEQ: " + Integer.toUnsignedString(seq));
        }
    }
}
