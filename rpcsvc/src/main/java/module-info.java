/**
 * Ripcord's ONC RPC (RFC 5531): XDR, record marking, {@code RpcService}, {@code RpcClient}, authentication
 * flavors (AUTH_SYS, GlusterFS, RPCSEC_GSS), RPC-with-TLS and rpcbind. See each package for its thread rules.
 */
module io.ripcord.rpc {
    requires transitive io.ripcord.transport;
    // RPCSEC_GSS: Kerberos through the JDK's GSS-API.
    requires transitive java.security.jgss;
    requires org.slf4j;
    // Flight Recorder events (each call served): free when nothing records.
    requires jdk.jfr;

    exports io.ripcord.rpc;
    exports io.ripcord.rpc.auth;
    exports io.ripcord.rpc.auth.gss;
    exports io.ripcord.rpc.client;
    exports io.ripcord.rpc.rpcbind;
    exports io.ripcord.rpc.tls;
    exports io.ripcord.rpc.xdr;
}
