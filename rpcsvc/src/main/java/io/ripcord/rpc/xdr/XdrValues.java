package io.ripcord.rpc.xdr;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Content equality for values that hold {@code byte[]} inside lists (an array of opaque data), which
 * {@link List#equals} compares by identity. Generated records use it for such components; stateless, any
 * thread.
 */
public final class XdrValues {

    private XdrValues() {
    }

    /**
     * Whether two values are equal, comparing {@code byte[]} by content, also inside lists.
     *
     * @param a a value, a {@code byte[]}, a list of either, or {@code null}
     * @param b another
     * @return whether they are equal
     */
    public static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            int n = x.size();
            if (n != y.size()) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /**
     * A hash code consistent with {@link #deepEquals}.
     *
     * @param a a value, a {@code byte[]}, a list of either, or {@code null}
     * @return its hash code
     */
    public static int deepHashCode(Object a) {
        if (a instanceof byte[] x) {
            return Arrays.hashCode(x);
        }
        if (a instanceof List<?> x) {
            int h = 1;
            for (int i = 0, n = x.size(); i < n; i++) {
                h = 31 * h + deepHashCode(x.get(i));
            }
            return h;
        }
        return Objects.hashCode(a);
    }
}
