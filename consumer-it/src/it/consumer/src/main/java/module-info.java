/** A user's module: it needs Ripcord's RPC module, nothing else. */
module com.example.greeter {
    requires io.ripcord.rpc;

    exports com.example.greeter;
    exports com.example.greeter.protocol;
}
