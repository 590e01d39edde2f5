package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.xdr.XdrException;

/** {@code enum rpc_gss_proc_t}: what an RPCSEC_GSS credential asks for (RFC 2203 section 5). */
public enum GssProc {
    /** A call to the program's procedure, under an established context (section 5.3). */
    DATA(0),
    /** The first context creation call, through the NULL procedure (section 5.2.2). */
    INIT(1),
    /** A further context creation call, when the GSS-API mechanism needs another round (section 5.2.2). */
    CONTINUE_INIT(2),
    /** Context destruction, through the NULL procedure (section 5.4). */
    DESTROY(3);

    private final int wire;

    GssProc(int wire) {
        this.wire = wire;
    }

    /** {@return the value on the wire} */
    public int wire() {
        return wire;
    }

    /**
     * The constant for a {@code gss_proc} on the wire.
     *
     * @param value a {@code gss_proc} read from a credential
     * @return its constant
     * @throws XdrException when the value is none of the four
     */
    public static GssProc fromWire(int value) throws XdrException {
        switch (value) {
            case 0: return DATA;
            case 1: return INIT;
            case 2: return CONTINUE_INIT;
            case 3: return DESTROY;
            default: throw new XdrException("unknown rpc_gss_proc_t " + value);
        }
    }
}
