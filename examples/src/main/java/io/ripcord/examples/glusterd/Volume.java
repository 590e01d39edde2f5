package io.ripcord.examples.glusterd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One volume as glusterd 10.3 describes it to the CLI. Immutable: every change makes a new one.
 *
 * <p>Options keep two orders because glusterd shows one: {@link #options()} is the order {@code volume info}
 * lists them in (glusterd's in-memory dictionary), {@link #storedOptions()} the order of the volume's
 * {@code info} file, written whenever glusterd stores that volume (create, start, stop). glusterd reads that
 * file back into a dictionary that iterates the other way, so after a restart a volume lists its options
 * reversed until it is stored again; {@link #restored()} does the same.
 */
public final class Volume {

    /** {@code glusterd_volume_status}: what {@code volume info} shows as Created, Started, Stopped. */
    public enum Status {
        CREATED, STARTED, STOPPED
    }

    /** {@code GF_CLUSTER_TYPE_NONE}: plain distribute. */
    public static final int TYPE_DISTRIBUTE = 0;
    /** {@code GF_CLUSTER_TYPE_REPLICATE}; the CLI shows Distributed-Replicate itself when there are several sets. */
    public static final int TYPE_REPLICATE = 2;

    private final String name;
    private final UUID id;
    private final int type;
    private final int replicaCount;
    private final List<String> bricks;
    private final Status status;
    private final List<Map.Entry<String, String>> options;
    private final List<Map.Entry<String, String>> storedOptions;

    Volume(String name, UUID id, int type, int replicaCount, List<String> bricks, Status status,
           List<Map.Entry<String, String>> options, List<Map.Entry<String, String>> storedOptions) {
        this.name = Objects.requireNonNull(name, "name");
        this.id = Objects.requireNonNull(id, "id");
        this.type = type;
        this.replicaCount = replicaCount;
        this.bricks = List.copyOf(bricks);
        this.status = Objects.requireNonNull(status, "status");
        this.options = List.copyOf(options);
        this.storedOptions = List.copyOf(storedOptions);
    }

    /**
     * A new volume with the options glusterd 10.3 sets on create, in the order it lists them: replicated
     * volumes also get {@code cluster.granular-entry-heal on} and {@code performance.client-io-threads off}.
     */
    static Volume create(String name, UUID id, int replicaCount, List<String> bricks) {
        boolean replicated = replicaCount > 1;
        List<Map.Entry<String, String>> opts = new ArrayList<>();
        if (replicated) {
            opts.add(Map.entry("cluster.granular-entry-heal", "on"));
        }
        opts.add(Map.entry("storage.fips-mode-rchecksum", "on"));
        opts.add(Map.entry("transport.address-family", "inet"));
        opts.add(Map.entry("nfs.disable", "on"));
        if (replicated) {
            opts.add(Map.entry("performance.client-io-threads", "off"));
        }
        return new Volume(name, id, replicated ? TYPE_REPLICATE : TYPE_DISTRIBUTE, replicated ? replicaCount : 1,
                bricks, Status.CREATED, opts, opts);
    }

    /** This volume with a new status, stored again (so its file holds the options in today's order). */
    Volume withStatus(Status s) {
        return new Volume(name, id, type, replicaCount, bricks, s, options, options);
    }

    /** This volume as glusterd sees it after reading its stored file at start-up. */
    Volume restored() {
        List<Map.Entry<String, String>> reversed = new ArrayList<>(storedOptions);
        Collections.reverse(reversed);
        return new Volume(name, id, type, replicaCount, bricks, status, reversed, storedOptions);
    }

    public String name() {
        return name;
    }

    public UUID id() {
        return id;
    }

    /** {@link #TYPE_DISTRIBUTE} or {@link #TYPE_REPLICATE}. */
    public int type() {
        return type;
    }

    public int replicaCount() {
        return replicaCount;
    }

    /**
     * glusterd's {@code dist_leaf_count}, sent as {@code dist_count}: bricks per distribute subvolume (the
     * replica count). The CLI divides the brick count by it.
     */
    public int distLeafCount() {
        return replicaCount;
    }

    /** Bricks as {@code host:/path}, in order. */
    public List<String> bricks() {
        return bricks;
    }

    public Status status() {
        return status;
    }

    /** Options in the order {@code volume info} lists them. */
    public List<Map.Entry<String, String>> options() {
        return options;
    }

    /** Options in the order of the stored file. */
    public List<Map.Entry<String, String>> storedOptions() {
        return storedOptions;
    }

    @Override
    public String toString() {
        return "Volume[" + name + " " + id + " " + status + " " + bricks + "]";
    }
}
