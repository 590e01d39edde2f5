package io.ripcord.xdrgen;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/** Damaged copies of valid encodings: a flipped bit, a cut, extra bytes, a length or flag replaced. */
final class Mutations {

    private static final int[] WORDS = {0x7fffffff, 0xffffffff, 0x80000000, 2, 3, 0x10000, -2};

    private Mutations() {
    }

    static byte[] of(byte[] valid, Random r) {
        byte[] b = valid.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
            case 2 -> {
                return Arrays.copyOf(b, b.length + 4 * (1 + r.nextInt(2)));
            }
            default -> {
                if (b.length >= 4) {
                    int at = r.nextInt(b.length / 4) * 4;
                    ByteBuffer.wrap(b).putInt(at, r.nextBoolean() ? WORDS[r.nextInt(WORDS.length)] : r.nextInt());
                }
                return b;
            }
        }
    }
}
