package io.ripcord.examples.glusterd;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What glusterd keeps in {@code /var/lib/glusterd}: this node's UUID and the volumes, in one file.
 *
 * <p>Every change is written to a temporary file in the same directory, forced to disk and renamed over the
 * old file atomically, so a crash leaves either the old state or the new one, never a torn file. A change is
 * applied in memory only after it is on disk. Volumes are kept sorted by name, as glusterd lists them.
 *
 * <p>Thread-safe (every method synchronizes); the endpoint calls it from its one operations thread, never
 * from a poller, because it writes files.
 */
public final class GlusterdState {

    private static final Logger log = LoggerFactory.getLogger(GlusterdState.class);
    private static final String FORMAT = "ripcord-glusterd-state 1";

    private final Path file;
    private final UUID nodeId;
    private final TreeMap<String, Volume> volumes;

    private GlusterdState(Path file, UUID nodeId, TreeMap<String, Volume> volumes) {
        this.file = file;
        this.nodeId = nodeId;
        this.volumes = volumes;
    }

    /**
     * Reads the state file, or creates it with a new node UUID and no volumes.
     *
     * @throws IOException when the file cannot be read or written, or is not a state file (it is then left
     *                     alone: move it away to start afresh)
     */
    public static GlusterdState open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path abs = file.toAbsolutePath();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(abs, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            GlusterdState s = new GlusterdState(abs, UUID.randomUUID(), new TreeMap<>());
            s.write(s.volumes);
            log.info("new state file {} for node {}", abs, s.nodeId);
            return s;
        }
        try {
            return parse(abs, p);
        } catch (RuntimeException e) {
            throw new IOException(abs + " is not a usable glusterd state file (" + e.getMessage()
                    + "); move it away to start with no volumes", e);
        }
    }

    private static GlusterdState parse(Path file, Properties p) {
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("format is " + p.getProperty("format") + ", expected " + FORMAT);
        }
        UUID node = UUID.fromString(required(p, "uuid"));
        TreeMap<String, Volume> vols = new TreeMap<>();
        int n = Integer.parseInt(required(p, "volume.count"));
        for (int i = 0; i < n; i++) {
            String k = "volume." + i + ".";
            List<String> bricks = new ArrayList<>();
            int bc = Integer.parseInt(required(p, k + "brick.count"));
            for (int j = 1; j <= bc; j++) {
                bricks.add(required(p, k + "brick." + j));
            }
            List<Map.Entry<String, String>> opts = new ArrayList<>();
            int oc = Integer.parseInt(required(p, k + "option.count"));
            for (int j = 0; j < oc; j++) {
                opts.add(Map.entry(required(p, k + "option." + j + ".key"), required(p, k + "option." + j + ".value")));
            }
            Volume v = new Volume(required(p, k + "name"), UUID.fromString(required(p, k + "id")),
                    Integer.parseInt(required(p, k + "type")), Integer.parseInt(required(p, k + "replica_count")),
                    bricks, Volume.Status.valueOf(required(p, k + "status")), opts, opts).restored();
            vols.put(v.name(), v);
        }
        return new GlusterdState(file, node, vols);
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return v;
    }

    /** The state file. */
    public Path file() {
        return file;
    }

    /** This node's UUID (glusterd's {@code glusterd.info}), the UUID of every brick. */
    public UUID nodeId() {
        return nodeId;
    }

    /** The volume named {@code name}, or {@code null}. */
    public synchronized Volume volume(String name) {
        return volumes.get(name);
    }

    /** Every volume, sorted by name. */
    public synchronized List<Volume> volumes() {
        return List.copyOf(volumes.values());
    }

    /** Adds or replaces a volume, on disk first. */
    public synchronized void put(Volume v) throws IOException {
        TreeMap<String, Volume> next = new TreeMap<>(volumes);
        next.put(v.name(), v);
        write(next);
        volumes.put(v.name(), v);
    }

    /** Removes a volume, on disk first. */
    public synchronized void remove(String name) throws IOException {
        TreeMap<String, Volume> next = new TreeMap<>(volumes);
        next.remove(name);
        write(next);
        volumes.remove(name);
    }

    private void write(TreeMap<String, Volume> vols) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("uuid", nodeId.toString());
        p.setProperty("volume.count", Integer.toString(vols.size()));
        int i = 0;
        for (Volume v : vols.values()) {
            String k = "volume." + i++ + ".";
            p.setProperty(k + "name", v.name());
            p.setProperty(k + "id", v.id().toString());
            p.setProperty(k + "type", Integer.toString(v.type()));
            p.setProperty(k + "replica_count", Integer.toString(v.replicaCount()));
            p.setProperty(k + "status", v.status().name());
            p.setProperty(k + "brick.count", Integer.toString(v.bricks().size()));
            for (int j = 0; j < v.bricks().size(); j++) {
                p.setProperty(k + "brick." + (j + 1), v.bricks().get(j));
            }
            List<Map.Entry<String, String>> opts = v.storedOptions();
            p.setProperty(k + "option.count", Integer.toString(opts.size()));
            for (int j = 0; j < opts.size(); j++) {
                p.setProperty(k + "option." + j + ".key", opts.get(j).getKey());
                p.setProperty(k + "option." + j + ".value", opts.get(j).getValue());
            }
        }
        StringWriter text = new StringWriter();
        p.store(text, "Ripcord glusterd endpoint state; written whole on every change");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    /** Makes the rename durable: on Linux a directory opened for reading can be fsynced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems and platforms refuse to fsync a directory; the rename is still atomic.
            log.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
