package io.ripcord.xdrgen;

import java.util.Map;

/**
 * Type names (and a few constants) that rpcgen leaves to the C library (libtirpc's {@code xdr_u_int}, {@code xdr_uint32_t},
 * {@code xdr_netobj}, ...) and real {@code .x} files use without defining them. A file's own definition of
 * such a name wins.
 */
final class LibraryTypes {

    /** {@code MAX_NETOBJ_SZ} of {@code <rpc/xdr.h>}: {@code xdr_netobj} is {@code opaque<1024>}. */
    static final int MAX_NETOBJ_SZ = 1024;

    private static final Map<String, Shape.Scalar> SCALARS = Map.ofEntries(
            Map.entry("u_int", Shape.Scalar.UNSIGNED_INT),
            Map.entry("u_long", Shape.Scalar.UNSIGNED_INT),
            Map.entry("uint32_t", Shape.Scalar.UNSIGNED_INT),
            Map.entry("u_int32_t", Shape.Scalar.UNSIGNED_INT),
            Map.entry("int32_t", Shape.Scalar.INT),
            Map.entry("enum_t", Shape.Scalar.INT),
            Map.entry("int64_t", Shape.Scalar.HYPER),
            Map.entry("quad_t", Shape.Scalar.HYPER),
            Map.entry("longlong_t", Shape.Scalar.HYPER),
            Map.entry("uint64_t", Shape.Scalar.UNSIGNED_HYPER),
            Map.entry("u_int64_t", Shape.Scalar.UNSIGNED_HYPER),
            Map.entry("u_quad_t", Shape.Scalar.UNSIGNED_HYPER),
            Map.entry("u_longlong_t", Shape.Scalar.UNSIGNED_HYPER),
            Map.entry("bool_t", Shape.Scalar.BOOL),
            Map.entry("int8_t", Shape.Scalar.CHAR),
            Map.entry("u_char", Shape.Scalar.UNSIGNED_CHAR),
            Map.entry("uint8_t", Shape.Scalar.UNSIGNED_CHAR),
            Map.entry("u_int8_t", Shape.Scalar.UNSIGNED_CHAR),
            Map.entry("int16_t", Shape.Scalar.SHORT),
            Map.entry("u_short", Shape.Scalar.UNSIGNED_SHORT),
            Map.entry("uint16_t", Shape.Scalar.UNSIGNED_SHORT),
            Map.entry("u_int16_t", Shape.Scalar.UNSIGNED_SHORT));

    private LibraryTypes() {
    }

    /** Constants of libtirpc's headers ({@code <rpc/auth.h>}, {@code <rpc/xdr.h>}) that real files use. */
    private static final Map<String, Long> CONSTANTS = Map.of("MAXNETNAMELEN", 255L, "MAX_AUTH_BYTES", 400L,
            "MAX_NETOBJ_SZ", (long) MAX_NETOBJ_SZ);

    /** The value of a library constant, or null when the name is not one. */
    static Long constant(String name) {
        return CONSTANTS.get(name);
    }

    /** The shape of a library type, or null when the name is not one. */
    static Shape shape(String name) {
        if (name.equals("netobj")) {
            return new Shape.Bytes(false, MAX_NETOBJ_SZ, null);
        }
        if (name.equals("des_block")) {
            // <rpc/auth.h>: xdr_des_block is xdr_opaque of the 8-byte block.
            return new Shape.Bytes(true, 8, null);
        }
        Shape.Scalar s = SCALARS.get(name);
        return s == null ? null : new Shape.Primitive(s);
    }
}
