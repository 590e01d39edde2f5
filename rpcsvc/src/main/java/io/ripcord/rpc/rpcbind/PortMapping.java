package io.ripcord.rpc.rpcbind;

import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;

/**
 * A version 2 mapping, {@code struct mapping { unsigned int prog; unsigned int vers; unsigned int prot;
 * unsigned int port; }} (RFC 1833 section 3.1). Compare numbers unsigned.
 *
 * @param program  the program number
 * @param version  the program version
 * @param protocol {@link Rpcbind#IPPROTO_TCP} or {@link Rpcbind#IPPROTO_UDP}
 * @param port     the port, 0 in a GETPORT answer for "not registered"
 */
public record PortMapping(int program, int version, int protocol, int port) {

    void write(XdrEncoder e) {
        e.writeInt(program);
        e.writeInt(version);
        e.writeInt(protocol);
        e.writeInt(port);
    }

    static PortMapping read(XdrDecoder d) throws XdrException {
        return new PortMapping(d.readInt(), d.readInt(), d.readInt(), d.readInt());
    }

    @Override
    public String toString() {
        Protocol p = Protocol.ofIpProtocol(protocol);
        return Integer.toUnsignedString(program) + " v" + Integer.toUnsignedString(version) + " "
                + (p != null ? p.netid() : "proto " + protocol) + " port " + port;
    }
}
