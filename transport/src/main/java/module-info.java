/**
 * Ripcord's connections over the event pool: listeners, connectors, framing, write queues, TLS, Unix domain
 * sockets and UDP. See the package {@link io.ripcord.transport} for its thread rules.
 */
module io.ripcord.transport {
    requires transitive io.ripcord.core;
    // Transport.peerCredentials() returns jdk.net.UnixDomainPrincipal; keep-alive options are jdk.net's too.
    requires transitive jdk.net;
    requires org.slf4j;
    // Flight Recorder events (connections accepted, connected, ended): free when nothing records.
    requires jdk.jfr;

    exports io.ripcord.transport;
}
