package io.ripcord.rpc.rpcbind;

import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.util.Objects;

/**
 * A version 3/4 mapping, {@code struct rpcb { unsigned long r_prog; unsigned long r_vers; string r_netid<>;
 * string r_addr<>; string r_owner<>; }} (RFC 1833 section 2.1). rpcbind fills in the owner itself from the
 * caller's credentials ({@code "superuser"} for root over its local socket, {@code "unknown"} over TCP).
 *
 * @param program the program number
 * @param version the program version
 * @param netid   the transport ({@code "tcp"}, {@code "udp"}, ...)
 * @param address the {@linkplain UniversalAddress universal address}
 * @param owner   who registered it
 */
public record RpcbMapping(int program, int version, String netid, String address, String owner) {

    /**
     * Checks that every string is present (an empty string stands for "any" or "none" on the wire).
     *
     * @param program the program number
     * @param version the program version
     * @param netid   the transport
     * @param address the universal address
     * @param owner   who registered it
     * @throws NullPointerException if a string is null
     */
    public RpcbMapping {
        Objects.requireNonNull(netid, "netid");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(owner, "owner");
    }

    void write(XdrEncoder e) {
        e.writeInt(program);
        e.writeInt(version);
        e.writeString(netid, Rpcbind.MAX_STRING);
        e.writeString(address, Rpcbind.MAX_STRING);
        e.writeString(owner, Rpcbind.MAX_STRING);
    }

    static RpcbMapping read(XdrDecoder d) throws XdrException {
        return new RpcbMapping(d.readInt(), d.readInt(), d.readString(Rpcbind.MAX_STRING),
                d.readString(Rpcbind.MAX_STRING), d.readString(Rpcbind.MAX_STRING));
    }
}
