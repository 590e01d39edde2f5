package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;

/**
 * The header of one ONC RPC message as a service receives it (RFC 5531 section 9: {@code xid}, {@code msg_type},
 * and for a CALL {@code rpcvers}, {@code prog}, {@code vers}, {@code proc}, {@code cred}, {@code verf}), read once
 * by the service's dispatch and handed to each step after it: the credential's flavor, the program lookup, the
 * argument decoding, and the {@link RpcCall} (which keeps it).
 *
 * <p>Its numbers are values and valid forever (the header of a call whose actor {@linkplain RpcActor#repliesInline
 * replies inline} is reused with its {@link RpcCall}, see there). Its byte views ({@link #credentialBody()},
 * {@link #verifierBody()}, {@link #bytesThroughCredential()}, {@link #arguments()}) are slices of the received
 * message, which the transport reuses: they are valid only during dispatch, on the thread that dispatches (the
 * connection's poller). A flavor that checks a verifier over the header (RPCSEC_GSS's MIC) reads them there.
 *
 * <p>A header read from a message that breaks RFC 5531 says so with a {@link Defect}: the service answers each
 * kind as the RFC says, in the order they are listed (see {@code RpcService}).
 */
public final class CallHeader {

    /** The most bytes an {@code opaque_auth} body may have (RFC 5531 section 8.2). */
    private static final int MAX_AUTH_BODY = AuthFlavor.MAX_BODY;
    /** Where {@code cred}'s flavor is, counted from the xid: after six 4-byte words (RFC 5531 section 9). */
    private static final int CREDENTIAL_AT = 24;
    /** A message type for a message too short to have one: it holds an xid and no more. */
    public static final int NO_MESSAGE_TYPE = -1;
    /** The body of an empty credential (AUTH_NONE's): one buffer for all, so it costs no slice per call. */
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** What is wrong with a call's header; each kind has its answer (RFC 5531 section 9). */
    public enum Defect {
        /** {@code rpcvers} is not 2: MSG_DENIED RPC_MISMATCH (2, 2). */
        RPC_VERSION,
        /** The header ends before the procedure number: MSG_ACCEPTED GARBAGE_ARGS. */
        TRUNCATED,
        /** The credential is cut short or its body exceeds 400 bytes: MSG_DENIED AUTH_ERROR AUTH_BADCRED. */
        CREDENTIAL,
        /** The verifier is cut short or its body exceeds 400 bytes: MSG_DENIED AUTH_ERROR AUTH_BADVERF. */
        VERIFIER
    }

    // Not final: a header that dispatch keeps with a reused RpcCall is read again for the next call (see
    // CallPool); to everyone else it is read once and never changes.
    private ByteBuffer message;
    private int start;
    private int xid;
    private int messageType;
    private int rpcVersion;
    private int program;
    private int version;
    private int procedure;
    private int credentialFlavor;
    private int credentialLength;
    private int verifierFlavor;
    private int verifierLength;
    private Defect defect;

    /** An empty header, for {@link #read}. */
    CallHeader() {
    }

    private CallHeader set(ByteBuffer message, int start, int xid, int messageType, int rpcVersion, int program,
                           int version, int procedure, int credentialFlavor, int credentialLength, int verifierFlavor,
                           int verifierLength, Defect defect) {
        this.message = message;
        this.start = start;
        this.xid = xid;
        this.messageType = messageType;
        this.rpcVersion = rpcVersion;
        this.program = program;
        this.version = version;
        this.procedure = procedure;
        this.credentialFlavor = credentialFlavor;
        this.credentialLength = credentialLength;
        this.verifierFlavor = verifierFlavor;
        this.verifierLength = verifierLength;
        this.defect = defect;
        return this;
    }

    /**
     * Reads the header of {@code message} (from its position; the position does not move), checking every length
     * against the bytes present before reading past it.
     *
     * @param message an RPC message of at least four bytes (an xid)
     * @return its header; a message that is not a CALL has only its xid and {@link #messageType()}
     * @throws IllegalArgumentException when the message is shorter than an xid
     */
    public static CallHeader parse(ByteBuffer message) {
        return new CallHeader().read(message);
    }

    /** {@link #parse} into this header, replacing what it held. */
    CallHeader read(ByteBuffer message) {
        int p = message.position();
        int n = message.remaining();
        if (n < 4) {
            throw new IllegalArgumentException("a " + n + "-byte message holds no xid");
        }
        int xid = message.getInt(p);
        if (n < 8) {
            return set(message, p, xid, NO_MESSAGE_TYPE, 0, 0, 0, 0, 0, 0, 0, 0, null);
        }
        int type = message.getInt(p + 4);
        if (type != MsgType.CALL || n < 12) {
            return set(message, p, xid, type, 0, 0, 0, 0, 0, 0, 0, 0,
                    type == MsgType.CALL ? Defect.TRUNCATED : null);
        }
        int rpcvers = message.getInt(p + 8);
        if (rpcvers != RpcService.RPC_VERSION || n < CREDENTIAL_AT) {
            return set(message, p, xid, type, rpcvers, 0, 0, 0, 0, 0, 0, 0,
                    rpcvers != RpcService.RPC_VERSION ? Defect.RPC_VERSION : Defect.TRUNCATED);
        }
        int prog = message.getInt(p + 12);
        int vers = message.getInt(p + 16);
        int proc = message.getInt(p + 20);
        int credLength = bodyLength(message, CREDENTIAL_AT);
        if (credLength < 0) {
            return set(message, p, xid, type, rpcvers, prog, vers, proc,
                    n >= CREDENTIAL_AT + 4 ? message.getInt(p + CREDENTIAL_AT) : 0, 0, 0, 0, Defect.CREDENTIAL);
        }
        int credFlavor = message.getInt(p + CREDENTIAL_AT);
        int verifierAt = CREDENTIAL_AT + 8 + padded(credLength);
        int verfLength = bodyLength(message, verifierAt);
        if (verfLength < 0) {
            return set(message, p, xid, type, rpcvers, prog, vers, proc, credFlavor, credLength, 0, 0,
                    Defect.VERIFIER);
        }
        return set(message, p, xid, type, rpcvers, prog, vers, proc, credFlavor, credLength,
                message.getInt(p + verifierAt), verfLength, null);
    }

    /**
     * Writes the words that open a CALL message (RFC 5531 section 9): xid, CALL, rpcvers 2, program, version,
     * procedure. The credential and verifier follow. How clients begin a call.
     *
     * @param out       where to write the six words (24 bytes)
     * @param xid       the transaction id the reply will echo
     * @param program   the program number
     * @param version   the program version
     * @param procedure the procedure number
     */
    public static void writeCall(XdrEncoder out, int xid, int program, int version, int procedure) {
        out.writeInt(xid);
        out.writeInt(MsgType.CALL);
        out.writeInt(RpcService.RPC_VERSION);
        out.writeInt(program);
        out.writeInt(version);
        out.writeInt(procedure);
    }

    /**
     * The body length of the {@code opaque_auth} at {@code at} (counted from the xid), or -1 if it is cut short
     * or its body is longer than RFC 5531 allows.
     */
    private static int bodyLength(ByteBuffer message, int at) {
        int n = message.remaining();
        if (n - at < 8) {
            return -1;
        }
        int body = message.getInt(message.position() + at + 4);
        if (body < 0 || body > MAX_AUTH_BODY || n - at - 8 < padded(body)) {
            return -1;
        }
        return body;
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    /**
     * The transaction id; present in every header, even a defective one.
     *
     * @return the xid
     */
    public int xid() {
        return xid;
    }

    /**
     * The message's type.
     *
     * @return {@link MsgType#CALL}, {@link MsgType#REPLY}, another number as received, or
     *         {@link #NO_MESSAGE_TYPE} for a message that holds only an xid
     */
    public int messageType() {
        return messageType;
    }

    /**
     * What is wrong with this call's header. The numbers after the defect's place read as 0.
     *
     * @return the defect, or {@code null} if the header is whole (always {@code null} for a message that is not
     *         a CALL)
     */
    public Defect defect() {
        return defect;
    }

    /**
     * The RPC protocol version the call names.
     *
     * @return {@code rpcvers}: 2 unless {@link #defect()} is {@link Defect#RPC_VERSION}; 0 if the message ends
     *         before it or is not a CALL
     */
    public int rpcVersion() {
        return rpcVersion;
    }

    /**
     * The program number the call names.
     *
     * @return the program number, or 0 if the header ends before it (or is not a CALL, or names another RPC
     *         version)
     */
    public int program() {
        return program;
    }

    /**
     * The program version the call names.
     *
     * @return the version, or 0 as {@link #program()}
     */
    public int version() {
        return version;
    }

    /**
     * The procedure number the call names.
     *
     * @return the procedure, or 0 as {@link #program()} (so a truncated header reads as NULL: check
     *         {@link #defect()})
     */
    public int procedure() {
        return procedure;
    }

    /**
     * The credential's flavor.
     *
     * @return an {@link AuthFlavor} number or a private one; 0 (AUTH_NONE's number) when the header ends before
     *         it
     */
    public int credentialFlavor() {
        return credentialFlavor;
    }

    /**
     * The verifier's flavor.
     *
     * @return the flavor number; 0 when the header ends before it or the verifier is {@link Defect#VERIFIER}
     */
    public int verifierFlavor() {
        return verifierFlavor;
    }

    /**
     * The credential's body. Valid during dispatch only, on the dispatching poller.
     *
     * @return a slice of the message holding the body (no padding), or a shared read-only empty buffer when the
     *         body is empty or the credential is defective
     */
    public ByteBuffer credentialBody() {
        return credentialLength == 0 ? EMPTY : message.slice(start + CREDENTIAL_AT + 8, credentialLength);
    }

    /**
     * The verifier's body. Valid during dispatch only, on the dispatching poller.
     *
     * @return a new slice of the message holding the body (no padding); empty when the verifier is defective
     */
    public ByteBuffer verifierBody() {
        return message.slice(verifierAt() + 8, verifierLength);
    }

    /**
     * The message's bytes from the xid through the credential: what RPCSEC_GSS's verifier checksums (RFC 2203
     * section 5.3.1). Valid during dispatch only, on the dispatching poller.
     *
     * @return a new slice of the message; meaningful only when {@link #defect()} is {@code null} or
     *         {@link Defect#VERIFIER}
     */
    public ByteBuffer bytesThroughCredential() {
        return message.slice(start, verifierAt() - start);
    }

    /**
     * The arguments: the rest of the message after the verifier. Valid during dispatch only, on the dispatching
     * poller.
     *
     * @return a new slice of the message, possibly empty; meaningful only when {@link #defect()} is {@code null}
     */
    public ByteBuffer arguments() {
        int at = argumentsAt();
        return message.slice(at, message.limit() - at);
    }

    /** Where the arguments start in the message buffer. */
    int argumentsAt() {
        return verifierAt() + 8 + padded(verifierLength);
    }

    private int verifierAt() {
        return start + CREDENTIAL_AT + 8 + padded(credentialLength);
    }

    /** Lets go of the message (the header is kept for reuse). */
    void forgetMessage() {
        message = null;
    }

    @Override
    public String toString() {
        return "CallHeader[xid=" + Integer.toUnsignedString(xid) + " " + Integer.toUnsignedString(program) + " v"
                + Integer.toUnsignedString(version) + " proc " + Integer.toUnsignedString(procedure) + " cred "
                + credentialFlavor + (defect == null ? "" : " " + defect) + "]";
    }
}
