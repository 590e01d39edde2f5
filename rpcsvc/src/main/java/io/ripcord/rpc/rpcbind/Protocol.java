package io.ripcord.rpc.rpcbind;

/** The transports a mapping names: a netid for versions 3 and 4, an IP protocol number for version 2. */
public enum Protocol {
    TCP("tcp", Rpcbind.IPPROTO_TCP),
    UDP("udp", Rpcbind.IPPROTO_UDP);

    private final String netid;
    private final int ipProtocol;

    Protocol(String netid, int ipProtocol) {
        this.netid = netid;
        this.ipProtocol = ipProtocol;
    }

    /** The netid rpcbind versions 3 and 4 use ({@code "tcp"}, {@code "udp"}), as in {@code /etc/netconfig}. */
    public String netid() {
        return netid;
    }

    /** The protocol number version 2 uses ({@code IPPROTO_TCP} 6, {@code IPPROTO_UDP} 17). */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** The protocol with this version 2 number, or {@code null}. */
    public static Protocol ofIpProtocol(int number) {
        for (Protocol p : values()) {
            if (p.ipProtocol == number) {
                return p;
            }
        }
        return null;
    }
}
