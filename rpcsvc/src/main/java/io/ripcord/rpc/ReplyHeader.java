package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;

/**
 * The header of one ONC RPC reply (RFC 5531 section 9, {@code reply_body}): whether it was accepted or denied,
 * and with what status, read once; the results follow it. Used by the clients to turn a reply into a result or
 * a typed exception, and by tests to read the exact status a service answered.
 *
 * <p>Its numbers are values. {@link #verifierBody()} and {@link #results()} are slices of the message it was
 * read from, valid as long as that buffer is.
 */
public final class ReplyHeader {

    private final ByteBuffer message;
    private final int xid;
    private final int replyStat;
    /** {@code accept_stat} of an accepted reply, {@code reject_stat} of a denied one. */
    private final int stat;
    /** PROG_MISMATCH's or RPC_MISMATCH's lowest version; a denied AUTH_ERROR's {@code auth_stat}. */
    private final int low;
    private final int high;
    private final int verifierFlavor;
    private final int verifierAt;
    private final int verifierLength;
    private final int resultsAt;

    private ReplyHeader(ByteBuffer message, int xid, int replyStat, int stat, int low, int high, int verifierFlavor,
                        int verifierAt, int verifierLength, int resultsAt) {
        this.message = message;
        this.xid = xid;
        this.replyStat = replyStat;
        this.stat = stat;
        this.low = low;
        this.high = high;
        this.verifierFlavor = verifierFlavor;
        this.verifierAt = verifierAt;
        this.verifierLength = verifierLength;
        this.resultsAt = resultsAt;
    }

    /**
     * Reads the reply header of {@code message} (from its position, which does not move), checking every length
     * against the bytes present.
     *
     * @param message a whole reply message (no record mark), from its xid
     * @return the header; its byte views are slices of {@code message}
     * @throws XdrException if it is cut short, is not a REPLY, or has a verifier longer than 400 bytes (an
     *                      unknown {@code reply_stat}, {@code accept_stat} or {@code reject_stat} is no error
     *                      here: the reader decides)
     */
    public static ReplyHeader parse(ByteBuffer message) throws XdrException {
        int p = message.position();
        int end = message.limit();
        int xid = word(message, p, end);
        if (word(message, p + 4, end) != MsgType.REPLY) {
            throw new XdrException("not a REPLY: message type " + message.getInt(p + 4));
        }
        int replyStat = word(message, p + 8, end);
        if (replyStat == ReplyStat.MSG_ACCEPTED) {
            int flavor = word(message, p + 12, end);
            int length = word(message, p + 16, end);
            int padded = (length + 3) & ~3;
            if (length < 0 || length > AuthFlavor.MAX_BODY || end - (p + 20) < padded) {
                throw new XdrException("reply verifier of " + Integer.toUnsignedString(length) + " bytes");
            }
            int at = p + 20 + padded;
            int acceptStat = word(message, at, end);
            if (acceptStat == AcceptStat.PROG_MISMATCH) {
                return new ReplyHeader(message, xid, replyStat, acceptStat, word(message, at + 4, end),
                        word(message, at + 8, end), flavor, p + 20, length, at + 12);
            }
            return new ReplyHeader(message, xid, replyStat, acceptStat, 0, 0, flavor, p + 20, length, at + 4);
        }
        if (replyStat == ReplyStat.MSG_DENIED) {
            int rejectStat = word(message, p + 12, end);
            if (rejectStat == RejectStat.RPC_MISMATCH) {
                return new ReplyHeader(message, xid, replyStat, rejectStat, word(message, p + 16, end),
                        word(message, p + 20, end), 0, 0, 0, p + 24);
            }
            if (rejectStat == RejectStat.AUTH_ERROR) {
                return new ReplyHeader(message, xid, replyStat, rejectStat, word(message, p + 16, end), 0, 0, 0, 0,
                        p + 20);
            }
            return new ReplyHeader(message, xid, replyStat, rejectStat, 0, 0, 0, 0, 0, p + 16);
        }
        return new ReplyHeader(message, xid, replyStat, 0, 0, 0, 0, 0, 0, p + 12);
    }

    private static int word(ByteBuffer b, int at, int end) throws XdrException {
        if (end - at < 4) {
            throw new XdrException("the reply ends after " + (at - b.position()) + " bytes, within its header");
        }
        return b.getInt(at);
    }

    /**
     * The transaction id of the call this reply answers.
     *
     * @return the xid
     */
    public int xid() {
        return xid;
    }

    /**
     * Whether the call was accepted or denied, as received.
     *
     * @return {@link ReplyStat#MSG_ACCEPTED}, {@link ReplyStat#MSG_DENIED}, or another number (not RFC 5531)
     */
    public int replyStat() {
        return replyStat;
    }

    /**
     * Whether the reply is MSG_ACCEPTED (which says nothing yet of its {@link #acceptStat()}).
     *
     * @return {@code true} for MSG_ACCEPTED
     */
    public boolean isAccepted() {
        return replyStat == ReplyStat.MSG_ACCEPTED;
    }

    /**
     * Whether the reply is MSG_DENIED.
     *
     * @return {@code true} for MSG_DENIED
     */
    public boolean isDenied() {
        return replyStat == ReplyStat.MSG_DENIED;
    }

    /**
     * An accepted reply's status.
     *
     * @return its {@link AcceptStat} value as received (possibly not one RFC 5531 defines), or -1 unless the reply
     *         is accepted
     */
    public int acceptStat() {
        return isAccepted() ? stat : -1;
    }

    /**
     * A denied reply's reason.
     *
     * @return its {@link RejectStat} value as received, or -1 unless the reply is denied
     */
    public int rejectStat() {
        return isDenied() ? stat : -1;
    }

    /**
     * A denied AUTH_ERROR's reason.
     *
     * @return its {@link AuthStat} value as received, or -1 unless the reply is MSG_DENIED AUTH_ERROR
     */
    public int authStat() {
        return isDenied() && stat == RejectStat.AUTH_ERROR ? low : -1;
    }

    /**
     * The lowest version the server supports, from a PROG_MISMATCH (program versions) or an RPC_MISMATCH (RPC
     * versions).
     *
     * @return the lowest version, or 0 for any other reply
     */
    public int mismatchLow() {
        return isMismatch() ? low : 0;
    }

    /**
     * The highest version the server supports, from a PROG_MISMATCH or an RPC_MISMATCH.
     *
     * @return the highest version, or 0 for any other reply
     */
    public int mismatchHigh() {
        return isMismatch() ? high : 0;
    }

    private boolean isMismatch() {
        return (isAccepted() && stat == AcceptStat.PROG_MISMATCH) || (isDenied() && stat == RejectStat.RPC_MISMATCH);
    }

    /**
     * The flavor of an accepted reply's verifier.
     *
     * @return the flavor number (AUTH_NONE is 0); 0 for a denied reply, which has none
     */
    public int verifierFlavor() {
        return verifierFlavor;
    }

    /**
     * The body of an accepted reply's verifier (RPCSEC_GSS's checksum of the sequence number, say).
     *
     * @return a new slice of the message, valid as long as it is; empty for a denied reply
     */
    public ByteBuffer verifierBody() {
        return message.slice(verifierAt, verifierLength);
    }

    /**
     * What follows the header: a SUCCESS reply's results.
     *
     * @return a new slice of the message through its limit; empty for other replies, unless the server sent
     *         more
     */
    public ByteBuffer results() {
        return message.slice(resultsAt, message.limit() - resultsAt);
    }

    /**
     * Where the results start in the message's buffer.
     *
     * @return an absolute index into the buffer given to {@link #parse}, not relative to its position
     */
    public int resultsOffset() {
        return resultsAt;
    }

    @Override
    public String toString() {
        if (isAccepted()) {
            return "ReplyHeader[xid=" + Integer.toUnsignedString(xid) + " MSG_ACCEPTED " + AcceptStat.name(stat)
                    + (stat == AcceptStat.PROG_MISMATCH ? " " + low + ".." + high : "") + "]";
        }
        if (isDenied()) {
            return "ReplyHeader[xid=" + Integer.toUnsignedString(xid) + " MSG_DENIED "
                    + (stat == RejectStat.RPC_MISMATCH ? "RPC_MISMATCH " + low + ".." + high
                    : stat == RejectStat.AUTH_ERROR ? "AUTH_ERROR " + AuthStat.name(low) : "reject_stat " + stat) + "]";
        }
        return "ReplyHeader[xid=" + Integer.toUnsignedString(xid) + " reply_stat " + replyStat + "]";
    }
}
