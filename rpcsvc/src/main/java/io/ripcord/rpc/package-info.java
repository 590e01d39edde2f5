/**
 * ONC RPC version 2 (RFC 5531) over the Ripcord transport: GlusterFS's {@code rpcsvc}. An
 * {@link io.ripcord.rpc.RpcService} holds {@link io.ripcord.rpc.RpcProgram}s, each a table of
 * {@link io.ripcord.rpc.RpcActor}s by procedure; it serves them on stream listeners (record marking:
 * {@link io.ripcord.rpc.RecordMarkingDecoder} to receive, {@link io.ripcord.rpc.RecordMarking} to send) and on
 * UDP endpoints (one call per datagram). XDR lives in {@link io.ripcord.rpc.xdr}, credentials in
 * {@link io.ripcord.rpc.auth}.
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>the connection's owner poller</td><td>decode records (one decoder per connection), check and
 *       dispatch calls, run actors that have no executor, count outstanding calls and pause or resume
 *       reading</td></tr>
 *   <tr><td>an actor's executor</td><td>run the actor with arguments decoded (from a copy) on the poller,
 *       reply</td></tr>
 *   <tr><td>any thread</td><td>reply to an {@link io.ripcord.rpc.RpcCall} (once; the reply is queued to the
 *       connection), register and unregister programs, call {@code RecordMarking}'s static methods, read
 *       {@link io.ripcord.rpc.RpcService#metrics()} and write {@link io.ripcord.rpc.RpcService#dumpState}</td></tr>
 * </table>
 * <p>Dispatch never blocks, sleeps or takes a lock: the program table is an immutable map replaced whole on
 * every change.
 *
 * <h2>The dispatch path</h2>
 * A message's header is parsed once into a {@link io.ripcord.rpc.CallHeader}; the call's origin (a stream
 * connection, or a datagram's sender) opens the call, and on a stream counts it against the outstanding limit;
 * the credential's flavor authenticates it and may answer, drop or protect it; the actor runs; the reply is
 * encoded unframed and the stream adds its record mark. The steps and the flavors' extension points are in
 * {@code rpcsvc/README.md}.
 *
 * <h2>Why replies copy</h2>
 * A reply is encoded into a per-thread {@link io.ripcord.rpc.xdr.XdrEncoder} and handed to the transport,
 * which writes it at once when it can and copies only what it could not write. The encoder is therefore
 * reused for the next reply at once, and an actor that replies inline on the poller allocates nothing for the
 * reply's bytes in the common case.
 *
 * <h2>Counting calls</h2>
 * Dispatch looks a call's program version and procedure up once, as soon as its header is read, and counts it
 * there (package-private {@code ProcedureCounters}: {@code LongAdder}s); whichever thread ends the call (replies,
 * or drops it) counts how it ended and how long it took, from the stamp of the poller's work that read it
 * ({@code Poller.workStartedNanos()}) to a clock read after the reply. No allocation per call; a flight recorder
 * event ({@code io.ripcord.RpcCall}) only while a recording wants one. The snapshots
 * ({@link io.ripcord.rpc.RpcServiceMetrics} and below) are immutable and may be read from any thread.
 *
 * <h2>Calls used again</h2>
 * A call answered on its poller during dispatch, by the service or by an actor declared
 * {@link io.ripcord.rpc.RpcActor#repliesInline()}, goes back to the poller's spare calls once its reply is written
 * and serves a later call (with its {@link io.ripcord.rpc.CallHeader}); every other call is never reused. The
 * spares are the dispatching thread's: a call is taken and given back on its connection's poller only.
 */
package io.ripcord.rpc;
