package io.ripcord.benchmarks.jmh;

import io.ripcord.rpc.RecordMarkingDecoder;
import io.ripcord.transport.FrameException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Record-marking (RFC 5531 section 11) decode of one 4 KiB record sent as 1 or 10 fragments. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordMarkingBenchmark {

    @Param({"1", "10"})
    public int fragments;

    private final RecordMarkingDecoder decoder = new RecordMarkingDecoder(1 << 20);
    private ByteBuffer wire;

    @Setup
    public void setUp() {
        int record = 4096;
        int per = record / fragments;
        wire = ByteBuffer.allocateDirect(record + 4 * fragments);
        for (int i = 0; i < fragments; i++) {
            int len = i == fragments - 1 ? record - per * (fragments - 1) : per;
            wire.putInt((i == fragments - 1 ? 0x80000000 : 0) | len);
            wire.put(new byte[len]);
        }
        wire.flip();
    }

    @Benchmark
    public int decode() throws FrameException {
        ByteBuffer in = wire.duplicate();
        ByteBuffer frame = decoder.decode(in);
        return frame.remaining();
    }
}
