/** An echo server on Ripcord's transport, small enough to link into its own runtime image. */
module com.example.echo {
    requires io.ripcord.transport;

    exports com.example.echo;
}
