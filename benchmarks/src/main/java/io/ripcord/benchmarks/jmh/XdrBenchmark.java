package io.ripcord.benchmarks.jmh;

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

/** XDR encode and decode of a {@code kv_pair} (kv.x: {@code string key<255>; opaque value<1048576>}). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class XdrBenchmark {

    @Param({"100", "65536"})
    public int valueSize;

    private byte[] key;
    private byte[] value;
    private XdrEncoder encoder;
    private ByteBuffer encoded;

    @Setup
    public void setUp() {
        key = "some/key/of/moderate/length".getBytes(StandardCharsets.UTF_8);
        value = new byte[valueSize];
        encoder = new XdrEncoder();
        encode();
        encoded = encoder.toBuffer().duplicate();
    }

    @Benchmark
    public int encode() {
        encoder.reset();
        encoder.writeOpaque(key, 255);
        encoder.writeOpaque(value, 1 << 20);
        return encoder.size();
    }

    @Benchmark
    public int decode() throws XdrException {
        XdrDecoder d = new XdrDecoder(encoded.duplicate());
        byte[] k = d.readOpaque(255);
        ByteBuffer v = d.readOpaqueAsBuffer(1 << 20);
        return k.length + v.remaining();
    }
}
