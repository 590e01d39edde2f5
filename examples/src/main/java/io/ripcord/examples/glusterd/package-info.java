/**
 * The glusterd example: an endpoint the unmodified {@code gluster} CLI talks to as if to glusterd 10.3, for
 * peer status, pool list and volume create, info, list, start, stop and delete (plain and {@code --xml}),
 * with volumes persisted in a state file. {@link io.ripcord.examples.glusterd.GlusterDict} is GlusterFS's
 * serialized dictionary, the payload of every CLI request and reply.
 *
 * <p>Thread rules: the RPC services dispatch on their one poller; every CLI actor runs on the endpoint's
 * single operations thread, so operations are serialized (glusterd's big lock) and the state file is written
 * off the poller. {@link io.ripcord.examples.glusterd.GlusterdState} is thread-safe;
 * {@link io.ripcord.examples.glusterd.GlusterDict} and {@link io.ripcord.examples.glusterd.Volume} are
 * immutable. {@link io.ripcord.examples.glusterd.GlusterdEndpoint#start} and
 * {@link io.ripcord.examples.glusterd.GlusterdEndpoint#close} may be called from any thread that is not a
 * poller.
 */
package io.ripcord.examples.glusterd;
