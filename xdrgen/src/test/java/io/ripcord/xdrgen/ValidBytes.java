package io.ripcord.xdrgen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid XDR encodings of a type, made from the schema rather than from Java values: what both the
 * generated Java and rpcgen's C must accept and write back unchanged. Lengths stay small, optional-data and
 * recursion thin out with depth, floats are never NaN but the canonical one (a NaN's payload is not part of its
 * text form), strings are UTF-8 without NUL.
 */
final class ValidBytes {

    private static final int MAX_DEPTH = 6;

    private final Schema schema;
    private final Random random;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ValidBytes(Schema schema, Random random) {
        this.schema = schema;
        this.random = random;
    }

    static byte[] of(Schema schema, Shape shape, Random random) {
        ValidBytes v = new ValidBytes(schema, random);
        try {
            v.write(shape, 0);
        } catch (XdrCompileException e) {
            throw new AssertionError(e);
        }
        return v.out.toByteArray();
    }

    private void int32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private void hyper(long v) {
        int32(v >>> 32);
        int32(v);
    }

    private void padded(byte[] b) {
        out.write(b, 0, b.length);
        for (int i = b.length; (i & 3) != 0; i++) {
            out.write(0);
        }
    }

    private int count(int max, int cap) {
        return random.nextInt(Math.min(max, cap) + 1);
    }

    private void write(Shape s, int depth) throws XdrCompileException {
        if (s instanceof Shape.Primitive p) {
            scalar(p.scalar());
        } else if (s instanceof Shape.Text t) {
            byte[] b = text(t.max());
            int32(b.length);
            padded(b);
        } else if (s instanceof Shape.Bytes b) {
            byte[] data = new byte[b.fixed() ? b.size() : count(b.size(), 12)];
            random.nextBytes(data);
            if (!b.fixed()) {
                int32(data.length);
            }
            padded(data);
        } else if (s instanceof Shape.Array a) {
            int n = a.fixed() ? a.size() : count(a.size(), depth > 2 ? 1 : 3);
            if (!a.fixed()) {
                int32(n);
            }
            for (int i = 0; i < n; i++) {
                write(a.element(), depth + 1);
            }
        } else if (s instanceof Shape.Optional o) {
            boolean present = depth < MAX_DEPTH && random.nextInt(depth + 2) == 0;
            int32(present ? 1 : 0);
            if (present) {
                write(o.element(), depth + 1);
            }
        } else if (s instanceof Shape.Defined d) {
            defined(d.definition(), depth);
        }
    }

    private void scalar(Shape.Scalar s) {
        switch (s) {
            case INT, UNSIGNED_INT -> int32(random.nextInt());
            case HYPER, UNSIGNED_HYPER -> hyper(random.nextLong());
            case FLOAT -> {
                int bits = random.nextInt();
                int32(Float.isNaN(Float.intBitsToFloat(bits)) ? Float.floatToIntBits(Float.NaN) : bits);
            }
            case DOUBLE -> {
                long bits = random.nextLong();
                hyper(Double.isNaN(Double.longBitsToDouble(bits)) ? Double.doubleToLongBits(Double.NaN) : bits);
            }
            case BOOL -> int32(random.nextInt(2));
            default -> int32(s.min + random.nextInt(s.max - s.min + 1));
        }
    }

    private byte[] text(int max) {
        StringBuilder sb = new StringBuilder();
        int chars = random.nextInt(10);
        for (int i = 0; i < chars; i++) {
            int kind = random.nextInt(10);
            int cp = kind < 7 ? 0x20 + random.nextInt(0x5f) : kind < 9 ? 0xa0 + random.nextInt(0x700) : 0x1F600 + random.nextInt(0x40);
            String next = sb + new String(Character.toChars(cp));
            if (next.getBytes(StandardCharsets.UTF_8).length > max) {
                break;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void defined(Ast.Definition d, int depth) throws XdrCompileException {
        if (d instanceof Ast.Enum e) {
            int32(schema.memberValue(e.members().get(random.nextInt(e.members().size())).name()));
        } else if (d instanceof Ast.Struct st) {
            int link = Schema.selfLink(schema, st);
            for (int i = 0; i < st.fields().size(); i++) {
                if (i == link) {
                    // Lists run longer than other optional-data: the loops are what is tested.
                    boolean more = depth < 40 && random.nextInt(4) != 0;
                    int32(more ? 1 : 0);
                    if (more) {
                        defined(st, depth + 1);
                    }
                } else {
                    write(schema.shape(st.fields().get(i)), depth + 1);
                }
            }
        } else {
            union((Ast.Union) d, depth);
        }
    }

    private void union(Ast.Union u, int depth) throws XdrCompileException {
        Shape disc = schema.shape(u.discriminant());
        List<long[]> choices = new ArrayList<>();
        List<Ast.Arm> arms = new ArrayList<>();
        List<Long> taken = new ArrayList<>();
        for (Ast.Arm a : u.arms()) {
            for (Ast.Expr label : a.labels()) {
                long v = schema.caseValue(u, disc, label);
                taken.add(v);
                choices.add(new long[] {v});
                arms.add(a);
            }
        }
        Long other = u.defaultArm() == null ? null : valueWithoutArm(u, disc, taken);
        if (other != null && random.nextInt(choices.size() + 1) == 0) {
            int32(other);
            write(schema.shape(u.defaultArm().declaration()), depth + 1);
            return;
        }
        int i = random.nextInt(choices.size());
        int32(choices.get(i)[0]);
        write(schema.shape(arms.get(i).declaration()), depth + 1);
    }

    /** A discriminant value no case names, or null when there is none (an enum or bool fully covered). */
    private Long valueWithoutArm(Ast.Union u, Shape disc, List<Long> taken) throws XdrCompileException {
        List<Long> candidates = new ArrayList<>();
        if (disc instanceof Shape.Defined d) {
            for (Ast.EnumMember m : ((Ast.Enum) d.definition()).members()) {
                candidates.add(schema.memberValue(m.name()));
            }
        } else if (((Shape.Primitive) disc).scalar() == Shape.Scalar.BOOL) {
            candidates.add(0L);
            candidates.add(1L);
        } else {
            boolean unsigned = ((Shape.Primitive) disc).scalar() == Shape.Scalar.UNSIGNED_INT;
            for (int i = 0; i < 8; i++) {
                long v = random.nextInt(1000) - 500;
                candidates.add(unsigned ? v & 0xFFFF_FFFFL : v);
            }
        }
        candidates.removeAll(taken);
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }
}
