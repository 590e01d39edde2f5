/**
 * XDR, the External Data Representation of RFC 4506: {@link io.ripcord.rpc.xdr.XdrDecoder} reads values in
 * place from a buffer, {@link io.ripcord.rpc.xdr.XdrEncoder} writes them into a growable buffer it owns, and
 * user types take part through {@link io.ripcord.rpc.xdr.XdrAble} or the
 * {@link io.ripcord.rpc.xdr.XdrReader}/{@link io.ripcord.rpc.xdr.XdrWriter} pair. Code that xdrgen generates from
 * {@code .x} files also uses {@link io.ripcord.rpc.xdr.XdrStrict} (strict strings, C's narrow integers),
 * {@link io.ripcord.rpc.xdr.XdrText} and {@link io.ripcord.rpc.xdr.XdrTextReader} (the text form of values),
 * {@link io.ripcord.rpc.xdr.XdrType} (its registries' entries) and {@link io.ripcord.rpc.xdr.XdrValues}.
 *
 * <p>Every length read from the wire is checked against its declared maximum and the bytes present before
 * anything is allocated; a violation is an {@link io.ripcord.rpc.xdr.XdrException}, which the RPC layer
 * answers with {@code GARBAGE_ARGS}.
 *
 * <h2>Threads</h2>
 * <p>Decoders, encoders and text readers are not thread-safe, and nothing here needs a particular thread. A
 * decoder belongs to the one thread decoding a message: the connection's owner poller, or the executor running
 * the actor it was handed to. An encoder belongs to one caller at a time: a poller or an actor building a reply keeps its own and
 * resets it per message; hand the encoded buffer, not the encoder, to the transport. A text reader belongs to
 * one thread too; {@code XdrStrict}, {@code XdrText}, {@code XdrValues} and {@code XdrType} hold no mutable state
 * and any thread may call them. Nothing here blocks.
 */
package io.ripcord.rpc.xdr;
