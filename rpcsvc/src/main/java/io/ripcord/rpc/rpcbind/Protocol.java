package io.ripcord.rpc.rpcbind;

/** The transports a mapping names: a netid for versions 3 and 4, an IP protocol number for version 2. */
public enum Protocol {
    /** TCP: netid {@code "tcp"}, IP protocol 6. */
    TCP("tcp", Rpcbind.IPPROTO_TCP),
    /** UDP: netid {@code "udp"}, IP protocol 17. */
    UDP("udp", Rpcbind.IPPROTO_UDP);

    private final String netid;
    private final int ipProtocol;

    Protocol(String netid, int ipProtocol) {
        this.netid = netid;
        this.ipProtocol = ipProtocol;
    }

    /**
     * The netid rpcbind versions 3 and 4 use for it over IPv4, as in {@code /etc/netconfig}.
     *
     * @return {@code "tcp"} or {@code "udp"} (IPv6 adds a {@code 6})
     */
    public String netid() {
        return netid;
    }

    /**
     * The protocol number version 2 uses.
     *
     * @return {@code IPPROTO_TCP} 6 or {@code IPPROTO_UDP} 17
     */
    public int ipProtocol() {
        return ipProtocol;
    }

    /**
     * The protocol with this version 2 number, as a DUMP reply names it.
     *
     * @param number an IP protocol number
     * @return the protocol, or {@code null} for any number but 6 and 17
     */
    public static Protocol ofIpProtocol(int number) {
        for (Protocol p : values()) {
            if (p.ipProtocol == number) {
                return p;
            }
        }
        return null;
    }
}
