package io.ripcord.testkit;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.RejectStat;
import io.ripcord.rpc.ReplyStat;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.Transport;
import java.nio.ByteBuffer;

/**
 * One call a client made to a {@link ScriptedServer}: what was called, with which credential and arguments, and
 * the ways to answer it, including the answers a well-behaved service never gives. Not answering at all is an
 * answer too (the client's call then times out, or fails when the connection ends).
 *
 * <p>Thread rules: read it on any thread; each reply method may be called from any thread, and more than once
 * (a duplicate reply is something to test).
 */
public final class ScriptedCall {

    private final Transport connection;
    private final CallHeader header;
    private final int xid;
    private final byte[] credentialBody;
    private final byte[] arguments;

    ScriptedCall(Transport connection, CallHeader header) {
        this.connection = connection;
        this.header = header;
        this.xid = header.xid();
        this.credentialBody = copy(header.credentialBody());
        this.arguments = copy(header.arguments());
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * What was called: xid, program, version, procedure, credential and verifier flavors. (Its byte views are not
     * valid any more: use {@link #credentialBody()} and {@link #arguments()}.)
     *
     * @return the call's parsed header
     */
    public CallHeader header() {
        return header;
    }

    /**
     * The credential's body, to check what an authenticating client sent.
     *
     * @return a copy of the body as sent (for AUTH_SYS, the encoded {@code authsys_parms}); empty for AUTH_NONE
     */
    public byte[] credentialBody() {
        return credentialBody.clone();
    }

    /**
     * The arguments' wire bytes.
     *
     * @return a copy of the bytes after the call header, as sent
     */
    public byte[] arguments() {
        return arguments.clone();
    }

    /**
     * The arguments, decoded as the service would.
     *
     * @param reader decodes the procedure's arguments from their first byte
     * @param <A> the arguments' type
     * @return what {@code reader} returned
     * @throws XdrException if the bytes do not decode
     */
    public <A> A arguments(XdrReader<? extends A> reader) throws XdrException {
        return new XdrDecoder(ByteBuffer.wrap(arguments)).read(reader);
    }

    /**
     * The connection the call came on, to close or reset it in the middle of a call.
     *
     * @return the server side of the client's connection
     */
    public Transport connection() {
        return connection;
    }

    /**
     * Answers SUCCESS with {@code result} encoded by {@code writer}, and an AUTH_NONE verifier.
     *
     * @param result the procedure's results
     * @param writer encodes them, as the service would
     * @param <T> the results' type
     */
    public <T> void reply(T result, XdrWriter<? super T> writer) {
        XdrEncoder e = accepted(AcceptStat.SUCCESS);
        writer.write(e, result);
        send(e);
    }

    /** Answers SUCCESS with no results. */
    public void replyVoid() {
        send(accepted(AcceptStat.SUCCESS));
    }

    /**
     * Answers an accepted error with nothing after the status.
     *
     * @param acceptStat PROG_UNAVAIL, PROC_UNAVAIL, GARBAGE_ARGS or SYSTEM_ERR ({@link AcceptStat}), or any
     *     number, to see what the client makes of it
     */
    public void replyError(int acceptStat) {
        send(accepted(acceptStat));
    }

    /**
     * Answers PROG_MISMATCH with the versions the "server" serves.
     *
     * @param low the lowest program version served
     * @param high the highest program version served
     */
    public void replyProgramMismatch(int low, int high) {
        XdrEncoder e = accepted(AcceptStat.PROG_MISMATCH);
        e.writeInt(low);
        e.writeInt(high);
        send(e);
    }

    /**
     * Answers MSG_DENIED RPC_MISMATCH with the RPC versions the "server" speaks.
     *
     * @param low the lowest RPC version spoken (2 is the only one RFC 5531 defines)
     * @param high the highest RPC version spoken
     */
    public void replyRpcMismatch(int low, int high) {
        XdrEncoder e = CallMessages.reply(xid, ReplyStat.MSG_DENIED);
        e.writeInt(RejectStat.RPC_MISMATCH);
        e.writeInt(low);
        e.writeInt(high);
        send(e);
    }

    /**
     * Answers MSG_DENIED AUTH_ERROR.
     *
     * @param authStat why the credential was refused ({@code AuthStat}: AUTH_BADCRED, AUTH_TOOWEAK...)
     */
    public void replyAuthError(int authStat) {
        XdrEncoder e = CallMessages.reply(xid, ReplyStat.MSG_DENIED);
        e.writeInt(RejectStat.AUTH_ERROR);
        e.writeInt(authStat);
        send(e);
    }

    /**
     * Sends {@code message} as one record, whatever it holds (another xid, garbage, half a reply).
     *
     * @param message the record's content, framed here with one last-fragment record mark
     */
    public void replyRaw(byte[] message) {
        connection.send(RecordMarking.frame(ByteBuffer.wrap(message)));
    }

    private XdrEncoder accepted(int acceptStat) {
        XdrEncoder e = CallMessages.reply(xid, ReplyStat.MSG_ACCEPTED);
        e.writeInt(AuthFlavor.AUTH_NONE);
        e.writeInt(0);
        e.writeInt(acceptStat);
        return e;
    }

    private void send(XdrEncoder e) {
        connection.send(RecordMarking.frame(e.toBuffer()));
    }

    @Override
    public String toString() {
        return "Scripted" + header;
    }
}
