package io.ripcord.benchmarks.jmh;

import io.ripcord.benchmarks.jmh.kv.KvPair;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * kv.x's {@code kv_pair} ({@code opaque key<255>; opaque value<1048576>}) encoded and decoded by the code xdrgen
 * generates ({@link KvPair}, built from examples/src/main/xdr/kv.x by the Maven plugin) and by the hand-written
 * codec the KV example had before (the same calls an XDR-fluent programmer writes). Both decode into byte arrays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GeneratedXdrBenchmark {

    private static final int MAX_KEY = 255;
    private static final int MAX_VALUE = 1048576;

    @Param({"100", "65536"})
    public int valueSize;

    private KvPair generated;
    private HandWrittenPair handWritten;
    private XdrEncoder encoder;
    private ByteBuffer encoded;

    /** The KV example's pair before kv.x was compiled: two fields, a reader and a writer by hand. */
    static final class HandWrittenPair {
        final byte[] key;
        final byte[] value;

        HandWrittenPair(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        static HandWrittenPair read(XdrDecoder d) throws XdrException {
            byte[] k = d.readOpaque(MAX_KEY);
            byte[] v = d.readOpaque(MAX_VALUE);
            return new HandWrittenPair(k, v);
        }

        void write(XdrEncoder e) {
            e.writeOpaque(key, MAX_KEY);
            e.writeOpaque(value, MAX_VALUE);
        }
    }

    @Setup
    public void setUp() {
        byte[] key = "some/key/of/moderate/length".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[valueSize];
        generated = new KvPair(key, value);
        handWritten = new HandWrittenPair(key, value);
        encoder = new XdrEncoder();
        encodeGenerated();
        encoded = encoder.toBuffer().duplicate();
    }

    @Benchmark
    public int encodeGenerated() {
        encoder.reset();
        KvPair.encode(encoder, generated);
        return encoder.size();
    }

    @Benchmark
    public int encodeHandWritten() {
        encoder.reset();
        handWritten.write(encoder);
        return encoder.size();
    }

    @Benchmark
    public KvPair decodeGenerated() throws XdrException {
        return KvPair.decode(new XdrDecoder(encoded.duplicate()));
    }

    @Benchmark
    public HandWrittenPair decodeHandWritten() throws XdrException {
        return HandWrittenPair.read(new XdrDecoder(encoded.duplicate()));
    }
}
