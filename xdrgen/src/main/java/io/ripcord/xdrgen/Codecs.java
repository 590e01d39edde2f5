package io.ripcord.xdrgen;

/**
 * The Java expressions that decode, encode, print, parse, check and compare a value of a shape. Lambda
 * parameters carry the nesting depth ({@code d1}, {@code e2}, ...) so nested lambdas never shadow each other;
 * method references are used where they suffice, so a decode allocates nothing but its values.
 *
 * <p>Inside a type whose decoding counts nesting ({@link Schema#depthGuarded}), calls to other such types
 * pass {@code depth + 1}.
 */
final class Codecs {

    private final Mapping m;
    private final boolean guarded;

    Codecs(Mapping mapping, boolean insideGuardedType) {
        this.m = mapping;
        this.guarded = insideGuardedType;
    }

    private boolean passesDepth(Shape.Defined d) {
        return guarded && m.schema.depthGuarded(d.definition());
    }

    // --- decode --------------------------------------------------------------------------------------------

    /** An expression reading a value from decoder {@code d}. */
    String decode(Shape s, String d, int depth) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case INT -> d + ".readInt()";
                case UNSIGNED_INT -> d + ".readUnsignedInt()";
                case HYPER -> d + ".readHyper()";
                case UNSIGNED_HYPER -> d + ".readUnsignedHyper()";
                case FLOAT -> d + ".readFloat()";
                case DOUBLE -> d + ".readDouble()";
                case BOOL -> d + ".readBoolean()";
                default -> "XdrStrict.readRange(" + d + ", " + p.scalar().min + ", " + p.scalar().max + ", \""
                        + p.scalar().xdr + "\")";
            };
        }
        if (s instanceof Shape.Text t) {
            return "XdrStrict.readString(" + d + ", " + m.size(t.size(), t.max()) + ")";
        }
        if (s instanceof Shape.Bytes b) {
            return d + (b.fixed() ? ".readFixedOpaque(" : ".readOpaque(") + m.size(b.sizeExpr(), b.size()) + ")";
        }
        if (s instanceof Shape.Array a) {
            return d + (a.fixed() ? ".readFixedArray(" : ".readArray(") + m.size(a.sizeExpr(), a.size()) + ", "
                    + reader(a.element(), depth + 1) + ")";
        }
        if (s instanceof Shape.Optional o) {
            return d + ".readOptional(" + reader(o.element(), depth + 1) + ")";
        }
        Shape.Defined def = (Shape.Defined) s;
        return m.boxed(s) + ".decode(" + d + (passesDepth(def) ? ", depth + 1)" : ")");
    }

    /** An {@code XdrReader} expression. */
    String reader(Shape s, int depth) {
        if (s instanceof Shape.Defined def && !passesDepth(def)) {
            return m.boxed(s) + "::decode";
        }
        if (s instanceof Shape.Primitive p && !p.scalar().narrow()) {
            String call = decode(s, "d", depth);
            return "XdrDecoder::" + call.substring(2, call.length() - 2);
        }
        String d = "d" + depth;
        return d + " -> " + decode(s, d, depth);
    }

    // --- encode --------------------------------------------------------------------------------------------

    /** An expression (a void call) writing {@code v} to encoder {@code e}. */
    String encode(Shape s, String e, String v, int depth) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case INT -> e + ".writeInt(" + v + ")";
                case UNSIGNED_INT -> e + ".writeUnsignedInt(" + v + ")";
                case HYPER -> e + ".writeHyper(" + v + ")";
                case UNSIGNED_HYPER -> e + ".writeUnsignedHyper(" + v + ")";
                case FLOAT -> e + ".writeFloat(" + v + ")";
                case DOUBLE -> e + ".writeDouble(" + v + ")";
                case BOOL -> e + ".writeBoolean(" + v + ")";
                default -> "XdrStrict.writeRange(" + e + ", " + v + ", " + p.scalar().min + ", " + p.scalar().max
                        + ", \"" + p.scalar().xdr + "\")";
            };
        }
        if (s instanceof Shape.Text t) {
            return "XdrStrict.writeString(" + e + ", " + v + ", " + m.size(t.size(), t.max()) + ")";
        }
        if (s instanceof Shape.Bytes b) {
            return b.fixed() ? "XdrStrict.writeFixedOpaque(" + e + ", " + v + ", " + m.size(b.sizeExpr(), b.size()) + ")"
                    : e + ".writeOpaque(" + v + ", " + m.size(b.sizeExpr(), b.size()) + ")";
        }
        if (s instanceof Shape.Array a) {
            return e + (a.fixed() ? ".writeFixedArray(" : ".writeArray(") + v + ", "
                    + m.size(a.sizeExpr(), a.size()) + ", " + writer(a.element(), depth + 1) + ")";
        }
        if (s instanceof Shape.Optional o) {
            return e + ".writeOptional(" + v + ", " + writer(o.element(), depth + 1) + ")";
        }
        return m.boxed(s) + ".encode(" + e + ", " + v + ")";
    }

    /** An {@code XdrWriter} expression. */
    String writer(Shape s, int depth) {
        if (s instanceof Shape.Defined) {
            return m.boxed(s) + "::encode";
        }
        if (s instanceof Shape.Primitive p && !p.scalar().narrow()) {
            String call = encode(s, "e", "v", depth);
            return "XdrEncoder::" + call.substring(2, call.indexOf('('));
        }
        String e = "e" + depth;
        String v = "v" + depth;
        return "(" + e + ", " + v + ") -> " + encode(s, e, v, depth);
    }

    // --- text form -----------------------------------------------------------------------------------------

    /** An expression (a call) appending {@code v}'s text form to {@code sb}. */
    String text(Shape s, String sb, String v, int depth) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case BOOL -> "XdrText.appendBool(" + sb + ", " + v + ")";
                case UNSIGNED_HYPER -> "XdrText.appendUnsignedHyper(" + sb + ", " + v + ")";
                default -> sb + ".append(" + v + ")";
            };
        }
        if (s instanceof Shape.Text) {
            return "XdrText.appendString(" + sb + ", " + v + ")";
        }
        if (s instanceof Shape.Bytes) {
            return "XdrText.appendHex(" + sb + ", " + v + ")";
        }
        if (s instanceof Shape.Array a) {
            return "XdrText.appendList(" + sb + ", " + v + ", " + texter(a.element(), depth + 1) + ")";
        }
        if (s instanceof Shape.Optional o) {
            return "XdrText.appendOptional(" + sb + ", " + v + ", " + texter(o.element(), depth + 1) + ")";
        }
        return m.boxed(s) + ".appendText(" + sb + ", " + v + ")";
    }

    /** A {@code BiConsumer<StringBuilder, T>} expression. */
    String texter(Shape s, int depth) {
        if (s instanceof Shape.Defined) {
            return m.boxed(s) + "::appendText";
        }
        String sb = "sb" + depth;
        String v = "v" + depth;
        return "(" + sb + ", " + v + ") -> " + text(s, sb, v, depth);
    }

    /** An expression reading a value's text form from {@code XdrTextReader r}. */
    String parse(Shape s, String r, int depth) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case INT -> r + ".readInt()";
                case UNSIGNED_INT -> r + ".readUnsignedInt()";
                case HYPER -> r + ".readHyper()";
                case UNSIGNED_HYPER -> r + ".readUnsignedHyper()";
                case FLOAT -> r + ".readFloat()";
                case DOUBLE -> r + ".readDouble()";
                case BOOL -> r + ".readBool()";
                default -> r + ".readInt(" + p.scalar().min + ", " + p.scalar().max + ")";
            };
        }
        if (s instanceof Shape.Text) {
            return r + ".readString()";
        }
        if (s instanceof Shape.Bytes) {
            return r + ".readHex()";
        }
        if (s instanceof Shape.Array a) {
            return r + ".readList(" + parser(a.element(), depth + 1) + ")";
        }
        if (s instanceof Shape.Optional o) {
            return r + ".readOptional(" + parser(o.element(), depth + 1) + ")";
        }
        return m.boxed(s) + ".parseText(" + r + ")";
    }

    /** A {@code Function<XdrTextReader, T>} expression. */
    String parser(Shape s, int depth) {
        if (s instanceof Shape.Defined) {
            return m.boxed(s) + "::parseText";
        }
        String r = "r" + depth;
        return r + " -> " + parse(s, r, depth);
    }

    // --- checks and equality -------------------------------------------------------------------------------

    /** Statements checking a record component {@code v} against its declaration; empty when none applies. */
    String check(Shape s, String v, String what) {
        String name = JavaWriter.literal(what);
        if (s instanceof Shape.Primitive p) {
            if (p.scalar() == Shape.Scalar.UNSIGNED_INT) {
                return "XdrStrict.checkUnsignedInt(" + v + ", " + name + ");";
            }
            if (p.scalar().narrow()) {
                return "XdrStrict.checkRange(" + v + ", " + p.scalar().min + ", " + p.scalar().max + ", " + name + ");";
            }
            return "";
        }
        if (s instanceof Shape.Optional o) {
            // Absent is allowed; a present value meets the element's limits.
            String inner = check(o.element(), v, what);
            if (inner.startsWith("Objects.requireNonNull")) {
                int nl = inner.indexOf('\n');
                inner = nl < 0 ? "" : inner.substring(nl + 1);
            }
            return inner.isEmpty() ? "" : "if (" + v + " != null) {\n    " + inner.replace("\n", "\n    ") + "\n}";
        }
        String out = "Objects.requireNonNull(" + v + ", " + name + ");";
        if (s instanceof Shape.Bytes b) {
            out += "\n" + sizeCheck(b.fixed(), v + ".length", m.size(b.sizeExpr(), b.size()), b.size(), name);
        } else if (s instanceof Shape.Array a) {
            out += "\n" + sizeCheck(a.fixed(), v + ".size()", m.size(a.sizeExpr(), a.size()), a.size(), name);
        }
        return out.strip();
    }

    private static String sizeCheck(boolean fixed, String actual, String size, int value, String name) {
        if (fixed) {
            return "XdrStrict.checkLength(" + actual + ", " + size + ", " + name + ");";
        }
        return value == Integer.MAX_VALUE ? "" : "XdrStrict.checkMaximum(" + actual + ", " + size + ", " + name + ");";
    }

    /** A boolean expression comparing two values by content. */
    String equal(Shape s, String a, String b) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case FLOAT -> "Float.compare(" + a + ", " + b + ") == 0";
                case DOUBLE -> "Double.compare(" + a + ", " + b + ") == 0";
                default -> a + " == " + b;
            };
        }
        if (s instanceof Shape.Bytes) {
            return "Arrays.equals(" + a + ", " + b + ")";
        }
        if (s.holdsBytes()) {
            return "XdrValues.deepEquals(" + a + ", " + b + ")";
        }
        return "Objects.equals(" + a + ", " + b + ")";
    }

    /** An int expression: a value's hash code by content. */
    String hash(Shape s, String v) {
        if (s instanceof Shape.Primitive p) {
            return switch (p.scalar()) {
                case FLOAT -> "Float.hashCode(" + v + ")";
                case DOUBLE -> "Double.hashCode(" + v + ")";
                case BOOL -> "Boolean.hashCode(" + v + ")";
                case HYPER, UNSIGNED_HYPER, UNSIGNED_INT -> "Long.hashCode(" + v + ")";
                default -> v;
            };
        }
        if (s instanceof Shape.Bytes) {
            return "Arrays.hashCode(" + v + ")";
        }
        if (s.holdsBytes()) {
            return "XdrValues.deepHashCode(" + v + ")";
        }
        return "Objects.hashCode(" + v + ")";
    }
}
