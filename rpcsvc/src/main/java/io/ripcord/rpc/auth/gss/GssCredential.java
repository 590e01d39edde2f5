package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The body of an RPCSEC_GSS credential, {@code rpc_gss_cred_vers_1_t} inside {@code rpc_gss_cred_t} (RFC 2203
 * section 5):
 * <pre>
 * union rpc_gss_cred_t switch (unsigned int version) {
 *     case RPCSEC_GSS_VERS_1: struct { rpc_gss_proc_t gss_proc; unsigned int seq_num;
 *                                      rpc_gss_service_t service; opaque handle&lt;&gt;; } rpc_gss_cred_vers_1_t;
 * };
 * </pre>
 *
 * @param proc    what the call asks for
 * @param seqNum  the sequence number, {@code 0 .. 2^32-1} as on the wire; at or above {@link RpcGss#MAXSEQ}
 *                the call is refused, so it is kept whole to be able to say so
 * @param service what protects the arguments and results
 * @param handle  the server's context handle, empty in an INIT call; never modified
 */
public record GssCredential(GssProc proc, long seqNum, GssService service, byte[] handle) {

    /**
     * The longest handle a credential can carry: the 400-byte body (RFC 5531 section 8.2) less the version,
     * proc, sequence number, service and the handle's length.
     */
    public static final int MAX_HANDLE = AuthFlavor.MAX_BODY - 5 * 4;

    /**
     * Checks the components; the handle is kept as given, not copied.
     *
     * @param proc    what the call asks for
     * @param seqNum  the sequence number, {@code 0 .. 2^32-1}
     * @param service what protects the arguments and results
     * @param handle  the server's context handle, at most {@link #MAX_HANDLE} bytes
     * @throws NullPointerException     when a component is null
     * @throws IllegalArgumentException when the sequence number is out of {@code 0 .. 2^32-1} or the handle
     *                                  longer than {@link #MAX_HANDLE}
     */
    public GssCredential {
        Objects.requireNonNull(proc, "proc");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(handle, "handle");
        if ((seqNum >>> 32) != 0) {
            throw new IllegalArgumentException("seq_num out of range 0..4294967295: " + seqNum);
        }
        if (handle.length > MAX_HANDLE) {
            throw new IllegalArgumentException("handle of " + handle.length + " bytes exceeds " + MAX_HANDLE);
        }
    }

    /**
     * Decodes a credential body: the whole of it, nothing left over.
     *
     * @param body the opaque body of an {@code opaque_auth} of flavor RPCSEC_GSS (at most 400 bytes); its
     *             position is advanced past what was read
     * @return the credential
     * @throws XdrException when the version is not 1, an enumeration value is unknown, the handle is longer than
     *                      the bytes present, or bytes are left after it: the server answers AUTH_BADCRED
     */
    public static GssCredential decode(ByteBuffer body) throws XdrException {
        XdrDecoder d = new XdrDecoder(body);
        long version = d.readUnsignedInt();
        if (version != RpcGss.VERSION_1) {
            throw new XdrException("RPCSEC_GSS credential version " + version + ", only " + RpcGss.VERSION_1
                    + " is defined");
        }
        GssProc proc = GssProc.fromWire(d.readEnum());
        long seqNum = d.readUnsignedInt();
        GssService service = GssService.fromWire(d.readEnum());
        byte[] handle = d.readOpaque(MAX_HANDLE);
        if (d.hasRemaining()) {
            throw new XdrException(d.remaining() + " bytes after the RPCSEC_GSS credential");
        }
        return new GssCredential(proc, seqNum, service, handle);
    }

    /**
     * Appends this credential's body (without the flavor and length of its {@code opaque_auth}).
     *
     * @param out the destination
     */
    public void encode(XdrEncoder out) {
        out.writeInt(RpcGss.VERSION_1);
        out.writeEnum(proc.wire());
        out.writeUnsignedInt(seqNum);
        out.writeEnum(service.wire());
        out.writeOpaque(handle, MAX_HANDLE);
    }

    /** {@return this credential's body in a new array} */
    public byte[] toBytes() {
        XdrEncoder out = new XdrEncoder();
        encode(out);
        return GssProtection.copy(out.toBuffer());
    }

    /** {@return whether the sequence number is at or above {@link RpcGss#MAXSEQ}} */
    public boolean seqNumExhausted() {
        return seqNum >= RpcGss.MAXSEQ;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GssCredential c && proc == c.proc && seqNum == c.seqNum && service == c.service
                && Arrays.equals(handle, c.handle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(proc, seqNum, service, Arrays.hashCode(handle));
    }

    @Override
    public String toString() {
        return "GssCredential[" + proc + " seq " + seqNum + " " + service + " handle "
                + HexFormat.of().formatHex(handle) + "]";
    }
}
