package io.ripcord.rpc.rpcbind;

/**
 * Wire constants of rpcbind, the port mapper (RFC 1833). Version 2 (PMAP) maps (program, version, protocol)
 * to a port; versions 3 and 4 (RPCBIND) map (program, version, netid) to a universal address.
 */
public final class Rpcbind {

    /** {@code PMAP_PROG} / {@code RPCBPROG} (RFC 1833 sections 2.2 and 3.2). */
    public static final int PROGRAM = 100000;
    /** The well-known port, TCP and UDP (RFC 1833 section 3). */
    public static final int PORT = 111;

    /** {@code PMAP_VERS} (RFC 1833 section 3.2). */
    public static final int VERSION_2 = 2;
    /** {@code RPCBVERS} (RFC 1833 section 2.2). */
    public static final int VERSION_3 = 3;
    /** {@code RPCBVERS4} (RFC 1833 section 2.2). */
    public static final int VERSION_4 = 4;

    /** Version 2 procedures (RFC 1833 section 3.2). */
    public static final int PMAPPROC_NULL = 0;
    public static final int PMAPPROC_SET = 1;
    public static final int PMAPPROC_UNSET = 2;
    public static final int PMAPPROC_GETPORT = 3;
    public static final int PMAPPROC_DUMP = 4;

    /** Version 3 and 4 procedures (RFC 1833 section 2.2). */
    public static final int RPCBPROC_NULL = 0;
    public static final int RPCBPROC_SET = 1;
    public static final int RPCBPROC_UNSET = 2;
    public static final int RPCBPROC_GETADDR = 3;
    public static final int RPCBPROC_DUMP = 4;

    /** {@code IPPROTO_TCP} and {@code IPPROTO_UDP} as version 2 names protocols (RFC 1833 section 3.1). */
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    /** The longest netid, address or owner string read back ({@code string r_netid<>} has no bound). */
    static final int MAX_STRING = 1024;

    private Rpcbind() {
    }
}
