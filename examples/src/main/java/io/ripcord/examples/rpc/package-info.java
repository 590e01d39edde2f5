/**
 * The RPC examples: {@code rpc-server} serves the KV store, and {@code rpc} is a generic ONC RPC client on the
 * command line ({@code ping}, {@code dump}, {@code call}, {@code rpcbind}), a small {@code rpcinfo} that also
 * speaks GlusterFS's GF-DUMP.
 *
 * <p>Thread rules: each command runs on the thread that executes it and blocks there on its calls; the
 * {@link io.ripcord.rpc.client.RpcClient} it opens completes its futures on its own poller, which nothing here
 * blocks.
 */
package io.ripcord.examples.rpc;
