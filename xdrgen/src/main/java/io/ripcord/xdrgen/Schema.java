package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The definitions of one compilation with their names resolved and checked: every type reference names a
 * type, every constant expression evaluates, union cases fit their discriminant, numbers are unique where
 * they must be. Definitions that come from the same place twice (a file included by two others) count once.
 */
final class Schema {

    private final List<Ast.Definition> definitions = new ArrayList<>();
    private final Map<String, Ast.Definition> types = new LinkedHashMap<>();
    private final Map<String, Object> constantDefinitions = new HashMap<>();
    private final Map<String, Long> constantValues = new HashMap<>();
    private final Map<String, Ast.Enum> enumOfMember = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();
    private final Set<String> resolvingTypedefs = new HashSet<>();
    private Set<Ast.Definition> depthGuarded = Set.of();

    Schema(List<Ast.Definition> parsed) throws XdrCompileException {
        Set<Location> seen = new HashSet<>();
        Map<String, Location> names = new HashMap<>();
        List<Ast.Const> passThrough = new ArrayList<>();
        for (Ast.Definition d : parsed) {
            if (!seen.add(d.where())) {
                continue;
            }
            if (d instanceof Ast.Const c && c.passThrough()) {
                passThrough.add(c);
                continue;
            }
            definitions.add(d);
            if (d instanceof Ast.Program) {
                continue;
            }
            declare(names, d.name(), d.where());
            if (d instanceof Ast.Const c) {
                constantDefinitions.put(c.name(), c);
            } else {
                types.put(d.name(), d);
            }
            if (d instanceof Ast.Enum e) {
                for (Ast.EnumMember m : e.members()) {
                    declare(names, m.name(), m.where());
                    constantDefinitions.put(m.name(), m);
                    enumOfMember.put(m.name(), e);
                }
            }
        }
        addPassThrough(passThrough, names);
        for (Ast.Definition d : definitions) {
            check(d);
        }
        depthGuarded = Recursion.guarded(this);
    }

    /**
     * Adds the {@code %#define} constants the .x does not define itself and that evaluate; the others are C
     * for rpcgen's output only.
     */
    private void addPassThrough(List<Ast.Const> passThrough, Map<String, Location> names) {
        List<Ast.Const> added = new ArrayList<>();
        for (Ast.Const c : passThrough) {
            if (!names.containsKey(c.name())) {
                names.put(c.name(), c.where());
                constantDefinitions.put(c.name(), c);
                added.add(c);
            }
        }
        for (Ast.Const c : added) {
            try {
                value(c.value());
                definitions.add(c);
            } catch (XdrCompileException e) {
                constantDefinitions.remove(c.name());
                evaluating.clear();
            }
        }
    }

    private static void declare(Map<String, Location> names, String name, Location where) throws XdrCompileException {
        Location before = names.putIfAbsent(name, where);
        if (before != null) {
            throw new XdrCompileException(where, "'" + name + "' is already defined at " + before);
        }
    }

    List<Ast.Definition> definitions() {
        return definitions;
    }

    // --- constants -----------------------------------------------------------------------------------------

    /** The value of a constant expression; references name consts, enum members, TRUE or FALSE. */
    long value(Ast.Expr e) throws XdrCompileException {
        if (e instanceof Ast.Number n) {
            return n.value();
        }
        if (e instanceof Ast.Text t) {
            throw new XdrCompileException(t.where(), "a string constant has no numeric value");
        }
        if (e instanceof Ast.Reference r) {
            return valueOf(r.name(), r.where());
        }
        if (e instanceof Ast.Unary u) {
            long v = value(u.operand());
            return switch (u.operator()) {
                case "-" -> -v;
                case "~" -> ~v;
                default -> v;
            };
        }
        Ast.Binary b = (Ast.Binary) e;
        long l = value(b.left());
        long r = value(b.right());
        return switch (b.operator()) {
            case "|" -> l | r;
            case "^" -> l ^ r;
            case "&" -> l & r;
            case "<<" -> l << r;
            case ">>" -> l >> r;
            case "+" -> l + r;
            case "-" -> l - r;
            case "*" -> l * r;
            default -> {
                if (r == 0) {
                    throw new XdrCompileException(b.where(), "division by zero in a constant expression");
                }
                yield b.operator().equals("/") ? l / r : l % r;
            }
        };
    }

    private long valueOf(String name, Location where) throws XdrCompileException {
        Long known = constantValues.get(name);
        if (known != null) {
            return known;
        }
        Object d = constantDefinitions.get(name);
        if (d == null) {
            if (name.equals("TRUE") || name.equals("FALSE")) {
                return name.equals("TRUE") ? 1 : 0;
            }
            Long library = LibraryTypes.constant(name);
            if (library != null) {
                return library;
            }
            throw new XdrCompileException(where, "undefined constant '" + name
                    + "': expected a const, an enum member, TRUE or FALSE");
        }
        if (!evaluating.add(name)) {
            throw new XdrCompileException(where, "constant '" + name + "' is defined in terms of itself");
        }
        long v;
        if (d instanceof Ast.Const c) {
            v = value(c.value());
        } else {
            v = memberValue((Ast.EnumMember) d);
        }
        evaluating.remove(name);
        constantValues.put(name, v);
        return v;
    }

    /** An enum member's value: its expression, or (as C and rpcgen do) one more than the member before. */
    private long memberValue(Ast.EnumMember member) throws XdrCompileException {
        if (member.value() != null) {
            return value(member.value());
        }
        List<Ast.EnumMember> members = enumOfMember.get(member.name()).members();
        int i = members.indexOf(member);
        return i == 0 ? 0 : valueOf(members.get(i - 1).name(), member.where()) + 1;
    }

    /** Whether a name is a numeric const (not an enum member, not a string). */
    boolean isConst(String name) {
        return constantDefinitions.get(name) instanceof Ast.Const c && !(c.value() instanceof Ast.Text);
    }

    /** The enum a member belongs to, or null. */
    Ast.Enum enumOf(String member) {
        return enumOfMember.get(member);
    }

    /** The value of an enum member. */
    long memberValue(String member) throws XdrCompileException {
        return valueOf(member, enumOfMember.get(member).where());
    }

    // --- types ---------------------------------------------------------------------------------------------

    Ast.Definition type(String name) {
        return types.get(name);
    }

    /** What a declaration means, typedefs followed. */
    Shape shape(Ast.Declaration d) throws XdrCompileException {
        if (d.form() == Ast.Form.VOID) {
            return new Shape.Void();
        }
        if (d.type() instanceof Ast.Builtin b && (b.type() == Ast.BuiltinType.OPAQUE || b.type() == Ast.BuiltinType.STRING)) {
            int size = size(d, d.form() == Ast.Form.FIXED_ARRAY);
            return b.type() == Ast.BuiltinType.STRING ? new Shape.Text(size, d.size())
                    : new Shape.Bytes(d.form() == Ast.Form.FIXED_ARRAY, size, d.size());
        }
        Shape base = shape(d.type());
        return switch (d.form()) {
            case PLAIN -> base;
            case OPTIONAL -> {
                if (base instanceof Shape.Optional) {
                    throw new XdrCompileException(d.where(), "'" + d.name() + "' is optional-data of optional-data,"
                            + " which a nullable Java value cannot tell apart: make the inner one a struct member");
                }
                yield new Shape.Optional(base);
            }
            case FIXED_ARRAY -> new Shape.Array(true, size(d, true), d.size(), base);
            case VARIABLE_ARRAY -> new Shape.Array(false, size(d, false), d.size(), base);
            case VOID -> throw new IllegalStateException();
        };
    }

    /** What a type means on its own (a procedure's argument or result, a typedef's target). */
    Shape shape(Ast.TypeRef t) throws XdrCompileException {
        if (t instanceof Ast.Builtin b) {
            return switch (b.type()) {
                case INT -> scalar(Shape.Scalar.INT);
                case UNSIGNED_INT -> scalar(Shape.Scalar.UNSIGNED_INT);
                case HYPER -> scalar(Shape.Scalar.HYPER);
                case UNSIGNED_HYPER -> scalar(Shape.Scalar.UNSIGNED_HYPER);
                case FLOAT -> scalar(Shape.Scalar.FLOAT);
                case DOUBLE -> scalar(Shape.Scalar.DOUBLE);
                case BOOL -> scalar(Shape.Scalar.BOOL);
                case CHAR -> scalar(Shape.Scalar.CHAR);
                case UNSIGNED_CHAR -> scalar(Shape.Scalar.UNSIGNED_CHAR);
                case SHORT -> scalar(Shape.Scalar.SHORT);
                case UNSIGNED_SHORT -> scalar(Shape.Scalar.UNSIGNED_SHORT);
                case VOID -> new Shape.Void();
                case STRING -> new Shape.Text(Integer.MAX_VALUE, null);
                case OPAQUE -> throw new XdrCompileException(b.where(), "opaque needs a length: opaque name[n] or <m>");
            };
        }
        Ast.Named n = (Ast.Named) t;
        Ast.Definition d = types.get(n.name());
        if (d == null) {
            Shape library = LibraryTypes.shape(n.name());
            if (library != null) {
                return library;
            }
            throw new XdrCompileException(n.where(), "undefined type '" + n.name() + "'"
                    + (constantDefinitions.containsKey(n.name()) ? " ('" + n.name() + "' is a constant)" : ""));
        }
        if (d instanceof Ast.Typedef td) {
            if (!resolvingTypedefs.add(td.name())) {
                throw new XdrCompileException(n.where(), "typedef '" + td.name() + "' refers to itself");
            }
            try {
                return shape(td.declaration());
            } finally {
                resolvingTypedefs.remove(td.name());
            }
        }
        return new Shape.Defined(d);
    }

    private static Shape scalar(Shape.Scalar s) {
        return new Shape.Primitive(s);
    }

    private int size(Ast.Declaration d, boolean fixed) throws XdrCompileException {
        if (d.size() == null) {
            return Integer.MAX_VALUE;
        }
        long v = value(d.size());
        if (v < 0) {
            throw new XdrCompileException(d.size().where(), "'" + d.name() + "' has a negative "
                    + (fixed ? "length" : "maximum") + " " + v);
        }
        if (v > Integer.MAX_VALUE) {
            if (fixed) {
                throw new XdrCompileException(d.size().where(), "'" + d.name() + "' has a fixed length of " + v
                        + ", more than a Java array holds");
            }
            // No message can carry more than 2^31-1 bytes; the XDR maximum 2^32-1 means "no maximum".
            return Integer.MAX_VALUE;
        }
        return (int) v;
    }

    /** For a struct that ends in optional-data of itself (a linked list): that last field's index, else -1. */
    static int selfLink(Schema schema, Ast.Struct s) {
        if (s.fields().isEmpty()) {
            return -1;
        }
        try {
            Shape last = schema.shape(s.fields().get(s.fields().size() - 1));
            return last instanceof Shape.Optional o && o.element() instanceof Shape.Defined d && d.definition() == s
                    ? s.fields().size() - 1 : -1;
        } catch (XdrCompileException e) {
            throw new IllegalStateException("checked before", e);
        }
    }

    /** Whether a type's decoding counts nesting depth (it is recursive other than through a list's link). */
    boolean depthGuarded(Ast.Definition d) {
        return depthGuarded.contains(d);
    }

    // --- checks --------------------------------------------------------------------------------------------

    private void check(Ast.Definition d) throws XdrCompileException {
        if (d instanceof Ast.Const c) {
            if (!(c.value() instanceof Ast.Text)) {
                value(c.value());
            }
        } else if (d instanceof Ast.Typedef t) {
            shape(t.declaration());
        } else if (d instanceof Ast.Enum e) {
            for (Ast.EnumMember m : e.members()) {
                checkInt(valueOf(m.name(), m.where()), m.where(), "enum member '" + m.name() + "'");
            }
        } else if (d instanceof Ast.Struct s) {
            Set<String> fields = new HashSet<>();
            for (Ast.Declaration f : s.fields()) {
                if (!fields.add(f.name())) {
                    throw new XdrCompileException(f.where(), "struct '" + s.name() + "' has two members named '"
                            + f.name() + "'");
                }
                shape(f);
            }
        } else if (d instanceof Ast.Union u) {
            checkUnion(u);
        } else {
            checkProgram((Ast.Program) d);
        }
    }

    private static void checkInt(long v, Location where, String what) throws XdrCompileException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new XdrCompileException(where, what + " = " + v + " does not fit a 32-bit int");
        }
    }

    private void checkUnion(Ast.Union u) throws XdrCompileException {
        Shape disc = shape(u.discriminant());
        boolean ok = disc instanceof Shape.Defined dd && dd.definition() instanceof Ast.Enum
                || disc instanceof Shape.Primitive p && (p.scalar() == Shape.Scalar.INT
                || p.scalar() == Shape.Scalar.UNSIGNED_INT || p.scalar() == Shape.Scalar.BOOL);
        if (!ok) {
            throw new XdrCompileException(u.discriminant().where(), "union '" + u.name()
                    + "' discriminant must be int, unsigned int, bool or an enum (RFC 4506 section 4.15)");
        }
        Map<Long, Location> labels = new HashMap<>();
        for (Ast.Arm arm : u.arms()) {
            for (Ast.Expr label : arm.labels()) {
                long v = caseValue(u, disc, label);
                Location before = labels.putIfAbsent(v, label.where());
                if (before != null) {
                    throw new XdrCompileException(label.where(), "case " + Ast.text(label) + " (" + v
                            + ") repeats the case at " + before);
                }
            }
            shape(arm.declaration());
        }
        if (u.defaultArm() != null) {
            shape(u.defaultArm().declaration());
        }
    }

    /** A case label's value, checked against the discriminant's type; unsigned labels as 0..2^32-1. */
    long caseValue(Ast.Union u, Shape disc, Ast.Expr label) throws XdrCompileException {
        long v = value(label);
        if (disc instanceof Shape.Defined dd) {
            Ast.Enum e = (Ast.Enum) dd.definition();
            for (Ast.EnumMember m : e.members()) {
                if (valueOf(m.name(), m.where()) == v) {
                    return v;
                }
            }
            throw new XdrCompileException(label.where(), "case " + Ast.text(label) + " (" + v
                    + ") is not a member of enum '" + e.name() + "', the discriminant of union '" + u.name() + "'");
        }
        Shape.Scalar s = ((Shape.Primitive) disc).scalar();
        if (s == Shape.Scalar.BOOL && v != 0 && v != 1) {
            throw new XdrCompileException(label.where(), "case " + Ast.text(label) + " of a bool discriminant:"
                    + " expected TRUE or FALSE");
        }
        if (s == Shape.Scalar.UNSIGNED_INT) {
            if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                throw new XdrCompileException(label.where(), "case " + v + " does not fit an unsigned int");
            }
            return v & 0xFFFF_FFFFL;
        }
        checkInt(v, label.where(), "case " + Ast.text(label));
        return v;
    }

    private void checkProgram(Ast.Program p) throws XdrCompileException {
        checkUnsigned(value(p.number()), p.number().where(), "program number");
        Map<Long, Location> versions = new HashMap<>();
        for (Ast.Version v : p.versions()) {
            long number = value(v.number());
            checkUnsigned(number, v.number().where(), "version number");
            Location before = versions.putIfAbsent(number, v.where());
            if (before != null) {
                throw new XdrCompileException(v.where(), "version number " + number + " repeats the version at "
                        + before);
            }
            Map<Long, Location> procedures = new HashMap<>();
            Set<String> names = new HashSet<>();
            for (Ast.Procedure proc : v.procedures()) {
                long pn = value(proc.number());
                if (pn < 0 || pn > 4095) {
                    throw new XdrCompileException(proc.number().where(), "procedure number " + pn
                            + ": Ripcord's RpcProgram serves procedures 0 to 4095");
                }
                Location b = procedures.putIfAbsent(pn, proc.where());
                if (b != null) {
                    throw new XdrCompileException(proc.where(), "procedure number " + pn + " repeats the procedure at "
                            + b);
                }
                if (!names.add(proc.name())) {
                    throw new XdrCompileException(proc.where(), "version '" + v.name() + "' has two procedures named '"
                            + proc.name() + "'");
                }
                shape(proc.result());
                for (Ast.Argument a : proc.arguments()) {
                    Shape s = shape(a.type());
                    if (s instanceof Shape.Void) {
                        throw new XdrCompileException(a.where(), "void can only be the only argument");
                    }
                }
            }
        }
    }

    private static void checkUnsigned(long v, Location where, String what) throws XdrCompileException {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new XdrCompileException(where, what + " " + v + " does not fit an unsigned int");
        }
    }
}
