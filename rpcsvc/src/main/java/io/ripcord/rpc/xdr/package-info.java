/**
 * XDR, the External Data Representation of RFC 4506: {@link io.ripcord.rpc.xdr.XdrDecoder} reads values in
 * place from a buffer, {@link io.ripcord.rpc.xdr.XdrEncoder} writes them into a growable buffer it owns, and
 * user types take part through {@link io.ripcord.rpc.xdr.XdrAble} or the
 * {@link io.ripcord.rpc.xdr.XdrReader}/{@link io.ripcord.rpc.xdr.XdrWriter} pair.
 *
 * <p>Every length read from the wire is checked against its declared maximum and the bytes present before
 * anything is allocated; a violation is an {@link io.ripcord.rpc.xdr.XdrException}, which the RPC layer
 * answers with {@code GARBAGE_ARGS}.
 *
 * <h2>Threads</h2>
 * <p>Nothing here is thread-safe and nothing here needs a particular thread. A decoder belongs to the one
 * thread decoding a message: the connection's owner poller, or the executor running the actor it was handed
 * to. An encoder belongs to one caller at a time: a poller or an actor building a reply keeps its own and
 * resets it per message; hand the encoded buffer, not the encoder, to the transport. Nothing here blocks.
 */
package io.ripcord.rpc.xdr;
