/**
 * Ripcord's test kit, for users' tests: an embedded {@code Transport}, a manual clock, and harnesses that call
 * RPC programs and services, and script an RPC server, without sockets or threads of their own.
 */
module io.ripcord.testkit {
    requires transitive io.ripcord.rpc;
    requires org.slf4j;

    exports io.ripcord.testkit;
}
