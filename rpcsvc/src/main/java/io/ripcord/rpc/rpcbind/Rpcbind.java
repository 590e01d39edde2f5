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

    /** Version 2 NULL (RFC 1833 section 3.2): does nothing, answers void. */
    public static final int PMAPPROC_NULL = 0;
    /** Version 2 SET: maps (program, version, protocol) to a port; answers whether it did. */
    public static final int PMAPPROC_SET = 1;
    /** Version 2 UNSET: removes the mappings of (program, version), every protocol; answers whether any was. */
    public static final int PMAPPROC_UNSET = 2;
    /** Version 2 GETPORT: the port of (program, version, protocol), 0 if none. */
    public static final int PMAPPROC_GETPORT = 3;
    /** Version 2 DUMP: every mapping, as a linked list of {@code pmap}. */
    public static final int PMAPPROC_DUMP = 4;

    /** Version 3 and 4 NULL (RFC 1833 section 2.2): does nothing, answers void. */
    public static final int RPCBPROC_NULL = 0;
    /** Version 3 and 4 SET: maps (program, version, netid) to a universal address; answers whether it did. */
    public static final int RPCBPROC_SET = 1;
    /** Version 3 and 4 UNSET: removes the mappings of (program, version) for a netid, or all with {@code ""}. */
    public static final int RPCBPROC_UNSET = 2;
    /** Version 3 and 4 GETADDR: the universal address of (program, version, netid), {@code ""} if none. */
    public static final int RPCBPROC_GETADDR = 3;
    /** Version 3 and 4 DUMP: every mapping, as a linked list of {@code rpcb}. */
    public static final int RPCBPROC_DUMP = 4;

    /** {@code IPPROTO_TCP} as version 2 names TCP (RFC 1833 section 3.1). */
    public static final int IPPROTO_TCP = 6;
    /** {@code IPPROTO_UDP} as version 2 names UDP (RFC 1833 section 3.1). */
    public static final int IPPROTO_UDP = 17;

    /** The longest netid, address or owner string read back ({@code string r_netid<>} has no bound). */
    static final int MAX_STRING = 1024;

    private Rpcbind() {
    }
}
