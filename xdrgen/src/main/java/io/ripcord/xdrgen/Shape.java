package io.ripcord.xdrgen;

/**
 * What a declaration means once typedefs are followed: the form the Java mapping and the codecs are made from.
 * Sizes are clamped to what Java can hold ({@code <>} and maxima above {@link Integer#MAX_VALUE} become
 * {@code Integer.MAX_VALUE}, which a message cannot exceed anyway); {@code size} keeps the {@code .x}
 * expression (null for {@code <>}) so generated code can name the constant.
 */
sealed interface Shape {

    /** XDR's fixed-size scalars, plus C's narrow integers that rpcgen encodes as 4-byte integers. */
    enum Scalar {
        INT("int", "int", "Integer"), UNSIGNED_INT("unsigned int", "long", "Long"),
        HYPER("hyper", "long", "Long"), UNSIGNED_HYPER("unsigned hyper", "long", "Long"),
        FLOAT("float", "float", "Float"), DOUBLE("double", "double", "Double"),
        BOOL("bool", "boolean", "Boolean"),
        CHAR("char", -128, 127), UNSIGNED_CHAR("unsigned char", 0, 255),
        SHORT("short", -32768, 32767), UNSIGNED_SHORT("unsigned short", 0, 65535);

        final String xdr;
        final String java;
        final String boxed;
        final int min;
        final int max;

        Scalar(String xdr, String java, String boxed) {
            this.xdr = xdr;
            this.java = java;
            this.boxed = boxed;
            this.min = 0;
            this.max = 0;
        }

        Scalar(String xdr, int min, int max) {
            this.xdr = xdr;
            this.java = "int";
            this.boxed = "Integer";
            this.min = min;
            this.max = max;
        }

        boolean narrow() {
            return min != max;
        }
    }

    record Primitive(Scalar scalar) implements Shape {
    }

    /** {@code string<max>}. */
    record Text(int max, Ast.Expr size) implements Shape {
    }

    /** {@code opaque[n]} or {@code opaque<max>}. */
    record Bytes(boolean fixed, int size, Ast.Expr sizeExpr) implements Shape {
    }

    /** {@code T[n]} or {@code T<max>}. */
    record Array(boolean fixed, int size, Ast.Expr sizeExpr, Shape element) implements Shape {
    }

    /** {@code T *}: optional-data (RFC 4506 section 4.19). */
    record Optional(Shape element) implements Shape {
    }

    /** A struct, union or enum, which has a Java class of its own. */
    record Defined(Ast.Definition definition) implements Shape {
    }

    /** {@code void}: a procedure without arguments or result, or an empty union arm. */
    record Void() implements Shape {
    }

    /** Whether the Java value holds a {@code byte[]} outside any generated class (for content equality). */
    default boolean holdsBytes() {
        if (this instanceof Bytes) {
            return true;
        }
        if (this instanceof Array a) {
            return a.element().holdsBytes();
        }
        if (this instanceof Optional o) {
            return o.element().holdsBytes();
        }
        return false;
    }
}
