package io.ripcord.xdrgen;

import java.util.HashSet;
import java.util.Set;

/**
 * The two classes every {@code .x} file gets: {@code <File>Constants}, its constants and program and version
 * numbers, and {@code <File>Registry}, every type it defines (typedefs too) by {@code .x} name with its codec
 * and text form, for tools that do not know the generated names.
 */
final class FileClassesEmitter {

    private final Mapping m;
    private final String file;

    FileClassesEmitter(Mapping mapping, String file) {
        this.m = mapping;
        this.file = file;
    }

    private boolean inFile(Ast.Definition d) {
        return d.where().fileName().equals(file);
    }

    String constants() throws XdrCompileException {
        String cls = Mapping.constantsClass(file);
        JavaWriter w = new JavaWriter();
        w.javadoc("The constants of {@code " + file + "}: each {@code const}, and the number of each program and"
                + "\nversion.");
        w.open("public final class " + cls);
        Set<String> names = new HashSet<>();
        for (Ast.Definition d : m.schema.definitions()) {
            if (!inFile(d)) {
                continue;
            }
            if (d instanceof Ast.Const c && c.value() instanceof Ast.Text text) {
                names.add(c.name());
                w.blank();
                w.javadoc("{@code const " + c.name() + "} " + m.origin(c.where()) + ": a string constant.");
                w.line("public static final String " + Names.constant(c.name()) + " = \"" + text.value() + "\";");
            } else if (d instanceof Ast.Const c) {
                long v = m.schema.value(c.value());
                names.add(c.name());
                w.blank();
                w.javadoc("{@code " + (c.passThrough() ? "%#define " + c.name() + " " : "const " + c.name() + " = ")
                        + Ast.text(c.value()) + "} " + m.origin(c.where()) + ".");
                boolean isInt = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
                w.line("public static final " + (isInt ? "int " : "long ") + Names.constant(c.name()) + " = "
                        + literal(c.value(), v, isInt) + ";");
            } else if (d instanceof Ast.Program p) {
                number(w, names, "program " + p.name(), p.name(), p.number(), p.where());
                for (Ast.Version v : p.versions()) {
                    number(w, names, "version " + v.name() + " of " + p.name(), v.name(), v.number(), v.where());
                }
            }
        }
        w.blank();
        w.open("private " + cls + "()");
        w.close();
        w.close();
        return w.toString();
    }

    /** A program or version number: an unsigned int, as the {@code int} the RPC layer takes (its 32 bits). */
    private void number(JavaWriter w, Set<String> names, String what, String name, Ast.Expr expr, Location where)
            throws XdrCompileException {
        if (!names.add(name)) {
            return;
        }
        long v = m.schema.value(expr);
        w.blank();
        w.javadoc("{@code " + what + " = " + Ast.text(expr) + "} " + m.origin(where) + ".");
        w.line("public static final int " + Names.constant(name) + " = " + intLiteral(expr, v) + ";");
    }

    /** A program, version or procedure number as a Java int literal (hex as the {@code .x} wrote it). */
    static String intLiteral(Ast.Expr expr, long v) {
        if (expr instanceof Ast.Number n && n.text().toLowerCase().startsWith("0x")) {
            return n.text();
        }
        return v > Integer.MAX_VALUE ? "0x" + Long.toHexString(v) : Long.toString(v);
    }

    private static String literal(Ast.Expr expr, long v, boolean isInt) {
        if (isInt && v >= 0 && expr instanceof Ast.Number n && n.text().chars().allMatch(Character::isLetterOrDigit)) {
            return n.text();
        }
        return isInt ? Long.toString(v) : v + "L";
    }

    String registry() throws XdrCompileException {
        String cls = Mapping.registryClass(file);
        Codecs codecs = new Codecs(m, false);
        JavaWriter w = new JavaWriter();
        w.javadoc("Every type {@code " + file + "} defines, by its {@code .x} name: decode, encode and text form"
                + "\nfor tools that work on any {@code .x} without knowing the generated classes.");
        w.open("public final class " + cls);
        Set<String> fields = new HashSet<>();
        StringBuilder puts = new StringBuilder();
        for (Ast.Definition d : m.schema.definitions()) {
            if (!inFile(d) || d instanceof Ast.Const || d instanceof Ast.Program) {
                continue;
            }
            Shape s = d instanceof Ast.Typedef t ? m.schema.shape(t.declaration()) : new Shape.Defined(d);
            String field = Names.registryField(d.name());
            while (!fields.add(field)) {
                field = field + "_";
            }
            String spelled = d instanceof Ast.Typedef t ? "typedef " + Mapping.spell(t.declaration())
                    : (d instanceof Ast.Struct ? "struct " : d instanceof Ast.Union ? "union " : "enum ") + d.name();
            w.blank();
            w.javadoc("{@code " + spelled + "} " + m.origin(d.where()) + ".");
            w.line("public static final XdrType<" + m.boxed(s) + "> " + field + " = XdrType.of("
                    + JavaWriter.literal(d.name()) + ",");
            w.line("        " + codecs.reader(s, 0) + ",");
            w.line("        " + codecs.writer(s, 0) + ",");
            w.line("        " + codecs.texter(s, 0) + ",");
            w.line("        " + codecs.parser(s, 0) + ");");
            puts.append("types.put(").append(field).append(".name(), ").append(field).append(");\n");
        }
        w.blank();
        w.line("private static final Map<String, XdrType<?>> TYPES;");
        w.blank();
        w.open("static");
        w.line("Map<String, XdrType<?>> types = new LinkedHashMap<>();");
        w.lines(puts.toString().strip());
        w.line("TYPES = Collections.unmodifiableMap(types);");
        w.close();
        w.blank();
        w.open("private " + cls + "()");
        w.close();
        w.blank();
        w.javadoc("{@return every type of {@code " + file + "} by {@code .x} name, in the order the file defines them}");
        w.open("public static Map<String, XdrType<?>> types()");
        w.line("return TYPES;");
        w.close();
        w.close();
        return w.toString();
    }
}
