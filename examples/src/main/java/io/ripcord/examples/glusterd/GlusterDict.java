package io.ripcord.examples.glusterd;

import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A GlusterFS dictionary in its serialized form ({@code dict_serialize} / {@code dict_unserialize} in
 * {@code libglusterfs/src/dict.c}), which the gluster CLI and glusterd put in the {@code opaque dict<>} of
 * every request and reply:
 *
 * <pre>
 * be32 count
 * count times:  be32 keylen (strlen, without the NUL) | be32 vallen | key bytes + NUL | value (vallen bytes)
 * </pre>
 *
 * <p>Values are bytes. A string value carries its trailing NUL and {@code vallen} counts it ({@code "2"} is
 * {@code 32 00}, vallen 2); binary values such as {@code originator_uuid} (16 raw bytes) do not. An empty
 * dictionary travels as a zero-length opaque, not as a count of 0, and decodes to {@link #EMPTY}.
 *
 * <p>Order: {@link #entries()} are in wire order. glusterd's {@code dict_set} puts each new pair in front,
 * so a dictionary filled with {@code a, b, c} serializes as {@code c, b, a}, and a reply that echoes a
 * request lists the request's pairs backwards after the pairs added last. {@link Builder} reproduces that:
 * pairs are {@linkplain Builder#put put} in glusterd's insertion order and {@link Builder#build()} reverses
 * them. The CLI prints lists (such as volume options) in insertion order.
 *
 * <p>Immutable and thread-safe; a {@link Builder} is not thread-safe.
 */
public final class GlusterDict {

    /** The dictionary with no pairs; serialized as zero bytes. */
    public static final GlusterDict EMPTY = new GlusterDict(List.of());

    /** One pair. */
    public static final class Entry {
        private final String key;
        private final byte[] value;

        Entry(String key, byte[] value) {
            this.key = Objects.requireNonNull(key, "key");
            this.value = Objects.requireNonNull(value, "value");
        }

        public String key() {
            return key;
        }

        /** The value bytes exactly as on the wire (a string's trailing NUL included). */
        public byte[] value() {
            return value.clone();
        }

        /** The value as a string: UTF-8 up to (not including) the first NUL. */
        public String stringValue() {
            int end = 0;
            while (end < value.length && value[end] != 0) {
                end++;
            }
            return new String(value, 0, end, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry && key.equals(((Entry) o).key) && Arrays.equals(value, ((Entry) o).value);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + stringValue();
        }
    }

    private final List<Entry> entries;

    private GlusterDict(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /** A dictionary of exactly these pairs, in this wire order. */
    public static GlusterDict of(List<Entry> entries) {
        return entries.isEmpty() ? EMPTY : new GlusterDict(new ArrayList<>(entries));
    }

    /** A new pair with a string value (stored with its trailing NUL, as {@code dict_set_str} does). */
    public static Entry stringEntry(String key, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return new Entry(key, Arrays.copyOf(s, s.length + 1));
    }

    /** A new pair with raw bytes (as {@code dict_set_static_bin}: no NUL added). */
    public static Entry binaryEntry(String key, byte[] value) {
        return new Entry(key, value.clone());
    }

    /** The pairs in wire order (duplicates possible: {@code dict_unserialize} does not merge them). */
    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The string value of the first pair named {@code key}, or {@code null}. */
    public String get(String key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                return e.stringValue();
            }
        }
        return null;
    }

    /** A builder that starts with these pairs, as glusterd's dictionary after unserializing them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Entry e : entries) {
            b.put(e);
        }
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decodes a serialized dictionary (the contents of the XDR opaque). Zero bytes are {@link #EMPTY}.
     *
     * @throws XdrException when the bytes do not hold exactly {@code count} well-formed pairs; nothing larger
     *                      than what the buffer holds is ever allocated
     */
    public static GlusterDict decode(ByteBuffer bytes) throws XdrException {
        ByteBuffer b = bytes.duplicate();
        if (!b.hasRemaining()) {
            return EMPTY;
        }
        if (b.remaining() < 4) {
            throw new XdrException("dict: " + b.remaining() + " bytes cannot hold a count");
        }
        long count = Integer.toUnsignedLong(b.getInt());
        // Each pair needs at least 9 bytes (two lengths and the key's NUL): bound the count before allocating.
        if (count > b.remaining() / 9) {
            throw new XdrException("dict: count " + count + " cannot fit in " + b.remaining() + " bytes");
        }
        List<Entry> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            if (b.remaining() < 8) {
                throw new XdrException("dict: pair " + i + " is truncated");
            }
            long keyLen = Integer.toUnsignedLong(b.getInt());
            long valLen = Integer.toUnsignedLong(b.getInt());
            if (keyLen + 1 + valLen > b.remaining()) {
                throw new XdrException("dict: pair " + i + " (key " + keyLen + ", value " + valLen
                        + " bytes) exceeds the " + b.remaining() + " bytes left");
            }
            byte[] key = new byte[(int) keyLen];
            b.get(key);
            if (b.get() != 0) {
                throw new XdrException("dict: key of pair " + i + " is not NUL-terminated");
            }
            byte[] value = new byte[(int) valLen];
            b.get(value);
            out.add(new Entry(new String(key, StandardCharsets.UTF_8), value));
        }
        if (b.hasRemaining()) {
            throw new XdrException("dict: " + b.remaining() + " bytes after the last pair");
        }
        return new GlusterDict(out);
    }

    /** Serializes the pairs in wire order; an empty dictionary is zero bytes. */
    public byte[] encode() {
        if (entries.isEmpty()) {
            return new byte[0];
        }
        int size = 4;
        List<byte[]> keys = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            byte[] k = e.key.getBytes(StandardCharsets.UTF_8);
            keys.add(k);
            size += 8 + k.length + 1 + e.value.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            byte[] k = keys.get(i);
            byte[] v = entries.get(i).value;
            b.putInt(k.length).putInt(v.length).put(k).put((byte) 0).put(v);
        }
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlusterDict && entries.equals(((GlusterDict) o).entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /**
     * Fills a dictionary the way glusterd does: {@link #put} a key already present replaces its value in
     * place; {@link #build()} yields the wire order, the reverse of insertion order.
     */
    public static final class Builder {
        private final List<Entry> inserted = new ArrayList<>();

        private Builder() {
        }

        public Builder put(String key, String value) {
            return put(stringEntry(key, value));
        }

        public Builder put(String key, long value) {
            return put(key, Long.toString(value));
        }

        public Builder putBinary(String key, byte[] value) {
            return put(binaryEntry(key, value));
        }

        Builder put(Entry e) {
            for (int i = 0; i < inserted.size(); i++) {
                if (inserted.get(i).key.equals(e.key)) {
                    inserted.set(i, e);
                    return this;
                }
            }
            inserted.add(e);
            return this;
        }

        public GlusterDict build() {
            List<Entry> wire = new ArrayList<>(inserted);
            Collections.reverse(wire);
            return of(wire);
        }
    }
}
