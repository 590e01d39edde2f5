package io.ripcord.xdrgen;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Java side of a schema: the class each struct, union, enum and program version becomes, the constants and
 * registry classes of each file, and the Java type of each shape. Two definitions that would become the same
 * class are an error naming both.
 */
final class Mapping {

    final Schema schema;
    final String packageName;
    private final Function<Location, String> comments;
    private final Map<Ast.Definition, String> classes = new IdentityHashMap<>();
    private final Map<Ast.Version, String> versionClasses = new IdentityHashMap<>();
    private final Set<String> files = new LinkedHashSet<>();

    Mapping(Schema schema, String packageName, Function<Location, String> comments) throws XdrCompileException {
        this.schema = schema;
        this.packageName = packageName;
        this.comments = comments;
        Map<String, Location> taken = new HashMap<>();
        for (Ast.Definition d : schema.definitions()) {
            files.add(d.where().fileName());
            if (d instanceof Ast.Struct || d instanceof Ast.Union || d instanceof Ast.Enum) {
                classes.put(d, claim(taken, Names.type(d.name()), d.name(), d.where()));
            } else if (d instanceof Ast.Program p) {
                for (Ast.Version v : p.versions()) {
                    versionClasses.put(v, claim(taken, Names.type(v.name()), v.name(), v.where()));
                }
            }
        }
        for (String file : files) {
            Location at = Location.of(java.nio.file.Path.of(file), 1, 1);
            claim(taken, constantsClass(file), file, at);
            claim(taken, registryClass(file), file, at);
        }
    }

    private static String claim(Map<String, Location> taken, String javaName, String xdrName, Location where)
            throws XdrCompileException {
        Location before = taken.putIfAbsent(javaName, where);
        if (before != null) {
            throw new XdrCompileException(where, "'" + xdrName + "' would be the Java class " + javaName
                    + ", which " + before + " already takes: rename one of them");
        }
        return javaName;
    }

    /** The files whose definitions this compilation generates, in order. */
    Set<String> files() {
        return files;
    }

    String className(Ast.Definition d) {
        return classes.get(d);
    }

    String className(Ast.Version v) {
        return versionClasses.get(v);
    }

    static String constantsClass(String fileName) {
        return Names.fileBase(fileName) + "Constants";
    }

    static String registryClass(String fileName) {
        return Names.fileBase(fileName) + "Registry";
    }

    /** The Java type a value of the shape has. */
    String javaType(Shape s) {
        if (s instanceof Shape.Primitive p) {
            return p.scalar().java;
        }
        return boxed(s);
    }

    /** The Java type, primitives boxed (for generics and nullable optional-data). */
    String boxed(Shape s) {
        if (s instanceof Shape.Primitive p) {
            return p.scalar().boxed;
        }
        if (s instanceof Shape.Text) {
            return "String";
        }
        if (s instanceof Shape.Bytes) {
            return "byte[]";
        }
        if (s instanceof Shape.Array a) {
            return "List<" + boxed(a.element()) + ">";
        }
        if (s instanceof Shape.Optional o) {
            return boxed(o.element());
        }
        if (s instanceof Shape.Defined d) {
            return className(d.definition());
        }
        return "Void";
    }

    /**
     * A size as Java: the constant's name when the {@code .x} names a const that holds it, else the number;
     * {@code Integer.MAX_VALUE} for {@code <>}.
     */
    String size(Ast.Expr expr, int value) {
        if (expr instanceof Ast.Reference r && schema.isConst(r.name()) && value != Integer.MAX_VALUE) {
            return constantsClass(constantFile(r.name())) + "." + Names.constant(r.name());
        }
        return value == Integer.MAX_VALUE ? "Integer.MAX_VALUE" : Integer.toString(value);
    }

    private String constantFile(String name) {
        for (Ast.Definition d : schema.definitions()) {
            if (d instanceof Ast.Const c && c.name().equals(name)) {
                return c.where().fileName();
            }
        }
        throw new IllegalStateException(name);
    }

    /**
     * Where something came from, for its javadoc: {@code (kv.x:9)}, and the comment on that line of the
     * {@code .x}, if any: {@code (nfs_prot.x:60): Not owner}.
     */
    String origin(Location where) {
        String comment = comments.apply(where);
        return "(" + where.cite() + ")" + (comment == null ? "" : ": " + JavaWriter.doc(comment));
    }

    /** How a declaration reads in the {@code .x}, for comments: {@code opaque data<NFS_MAXDATA>}. */
    static String spell(Ast.Declaration d) {
        if (d.form() == Ast.Form.VOID) {
            return "void";
        }
        String type = spell(d.type());
        return switch (d.form()) {
            case PLAIN -> type + " " + d.name();
            case OPTIONAL -> type + " *" + d.name();
            case FIXED_ARRAY -> type + " " + d.name() + "[" + Ast.text(d.size()) + "]";
            case VARIABLE_ARRAY -> type + " " + d.name() + "<" + Ast.text(d.size()) + ">";
            case VOID -> "void";
        };
    }

    static String spell(Ast.TypeRef t) {
        return t instanceof Ast.Builtin b ? b.type().spelling : ((Ast.Named) t).name();
    }
}
