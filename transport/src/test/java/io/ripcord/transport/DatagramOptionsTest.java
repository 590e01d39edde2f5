package io.ripcord.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatagramOptionsTest {

    @Test
    void defaultsFitAnyUdpDatagramAndBoundTheQueueToOneMebibyte() {
        DatagramOptions o = DatagramOptions.defaults();
        assertEquals(65536, o.maxDatagramSize());
        assertEquals(64, o.maxReadsPerWakeup());
        assertEquals(64, o.maxWritesPerWakeup());
        assertEquals(1 << 20, o.maxQueuedBytes());
        assertEquals(0, o.receiveBufferSize());
        assertEquals(0, o.sendBufferSize());
        assertFalse(o.reuseAddress());
    }

    @Test
    void toBuilderKeepsEveryOption() {
        DatagramOptions o = DatagramOptions.builder().maxDatagramSize(9000).maxReadsPerWakeup(8)
                .maxWritesPerWakeup(4).receiveBufferSize(1 << 20).sendBufferSize(1 << 19).maxQueuedBytes(0)
                .reuseAddress(true).build();
        assertEquals(o.toString(), o.toBuilder().build().toString());
        assertTrue(o.toBuilder().build().reuseAddress());
    }

    @Test
    void invalidValuesAreRejectedWithTheNameAndTheValue() {
        assertMessage(() -> DatagramOptions.builder().maxDatagramSize(0), "maxDatagramSize", "0");
        assertMessage(() -> DatagramOptions.builder().maxDatagramSize(65537), "maxDatagramSize", "65537");
        assertMessage(() -> DatagramOptions.builder().maxReadsPerWakeup(0), "maxReadsPerWakeup", "0");
        assertMessage(() -> DatagramOptions.builder().maxWritesPerWakeup(-1), "maxWritesPerWakeup", "-1");
        assertMessage(() -> DatagramOptions.builder().receiveBufferSize(-1), "receiveBufferSize", "-1");
        assertMessage(() -> DatagramOptions.builder().sendBufferSize(-2), "sendBufferSize", "-2");
        assertMessage(() -> DatagramOptions.builder().maxQueuedBytes(-3), "maxQueuedBytes", "-3");
    }

    private static void assertMessage(Runnable r, String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(value), e.getMessage());
    }
}
