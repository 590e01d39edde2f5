package io.ripcord.testkit;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrReader;
import java.nio.ByteBuffer;

/**
 * One reply a service sent, as a {@link ServiceHarness} read it off the wire: its exact status (accepted or
 * denied, {@code accept_stat}, {@code reject_stat}, {@code auth_stat}, a mismatch's versions) and its results.
 * Immutable.
 */
public final class RpcReply {

    private final byte[] message;
    private final ReplyHeader header;

    RpcReply(byte[] message) throws XdrException {
        this.message = message;
        this.header = ReplyHeader.parse(ByteBuffer.wrap(message));
    }

    /**
     * Which call this reply answers.
     *
     * @return the transaction id, as on the wire
     */
    public int xid() {
        return header.xid();
    }

    /**
     * Whether the call succeeded.
     *
     * @return {@code true} only for MSG_ACCEPTED with SUCCESS
     */
    public boolean isSuccess() {
        return header.isAccepted() && header.acceptStat() == AcceptStat.SUCCESS;
    }

    /**
     * The status of an accepted reply (RFC 5531 section 9, {@code accept_stat}).
     *
     * @return a {@link AcceptStat} value for an accepted reply, -1 for a denied one
     */
    public int acceptStat() {
        return header.acceptStat();
    }

    /**
     * Why a reply was denied (RFC 5531 section 9, {@code reject_stat}).
     *
     * @return {@code RPC_MISMATCH} or {@code AUTH_ERROR} for a denied reply, -1 for an accepted one
     */
    public int rejectStat() {
        return header.rejectStat();
    }

    /**
     * Why authentication failed (RFC 5531 section 9, {@code auth_stat}).
     *
     * @return the {@code auth_stat} of a denied AUTH_ERROR reply, -1 otherwise
     */
    public int authStat() {
        return header.authStat();
    }

    /**
     * The lowest version the server supports, from a mismatch reply.
     *
     * @return the low version of a PROG_MISMATCH (program versions) or RPC_MISMATCH (RPC versions); 0 otherwise
     */
    public int mismatchLow() {
        return header.mismatchLow();
    }

    /**
     * The highest version the server supports, from a mismatch reply.
     *
     * @return the high version of a PROG_MISMATCH or RPC_MISMATCH; 0 otherwise
     */
    public int mismatchHigh() {
        return header.mismatchHigh();
    }

    /**
     * Everything the reply says before its results.
     *
     * @return the parsed header, verifier included
     */
    public ReplyHeader header() {
        return header;
    }

    /**
     * The results of a SUCCESS reply, decoded by {@code reader}, which must consume them all (unless it is
     * {@link RpcActor#IGNORED}).
     *
     * @param reader decodes the procedure's results, as the client stub would
     * @param <T> the results' type
     * @return what {@code reader} returned
     * @throws IllegalStateException if the reply is no SUCCESS, or its results do not decode or leave bytes over
     */
    public <T> T result(XdrReader<? extends T> reader) {
        if (!isSuccess()) {
            throw new IllegalStateException("the call was answered " + header + ", not SUCCESS");
        }
        XdrDecoder d = new XdrDecoder(header.results());
        try {
            T result = reader.read(d);
            if (reader != RpcActor.IGNORED && d.hasRemaining()) {
                throw new IllegalStateException(d.remaining() + " bytes left after the results of " + header);
            }
            return result;
        } catch (XdrException e) {
            throw new IllegalStateException("the results of " + header + " do not decode: " + e.getMessage(), e);
        }
    }

    /**
     * The reply's wire bytes, to compare with what another server sends.
     *
     * @return a copy of the reply message as sent, without its record mark
     */
    public byte[] bytes() {
        return message.clone();
    }

    @Override
    public String toString() {
        return header.toString();
    }
}
