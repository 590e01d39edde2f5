package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code struct} as a Java record: a compact constructor that checks the declaration's limits, static
 * {@code decode}, {@code encode}, {@code appendText} and {@code parseText}, content-based {@code equals} and
 * {@code hashCode} when a member holds {@code byte[]}, and {@code toString} giving the text form. A struct that
 * ends in optional-data of itself is a linked list: {@link LinkedStructEmitter} writes its loops.
 */
final class StructEmitter {

    /** A record component: the Java name, the shape, the declaration. */
    record Member(String name, Shape shape, Ast.Declaration declaration) {
    }

    private final Mapping m;
    private final Ast.Struct struct;
    private final String cls;
    private final List<Member> members = new ArrayList<>();
    private final boolean guarded;
    private final Codecs codecs;

    StructEmitter(Mapping mapping, Ast.Struct struct) throws XdrCompileException {
        this.m = mapping;
        this.struct = struct;
        this.cls = mapping.className(struct);
        for (Ast.Declaration f : struct.fields()) {
            members.add(new Member(Names.member(f.name()), mapping.schema.shape(f), f));
        }
        this.guarded = mapping.schema.depthGuarded(struct);
        this.codecs = new Codecs(mapping, guarded);
    }

    String emit() {
        JavaWriter w = new JavaWriter();
        List<String> doc = new ArrayList<>();
        doc.add("{@code struct " + struct.name() + "} " + m.origin(struct.where()) + ".");
        for (Member mem : members) {
            doc.add("@param " + mem.name() + " {@code " + Mapping.spell(mem.declaration()) + "} "
                    + m.origin(mem.declaration().where()) + describe(mem.shape()));
        }
        w.javadoc(doc.toArray(String[]::new));
        List<String> components = new ArrayList<>();
        for (Member mem : members) {
            components.add(m.javaType(mem.shape()) + " " + mem.name());
        }
        w.open(JavaWriter.wrap("public record " + cls + "(", components, ")"));
        constructor(w);
        int link = Schema.selfLink(m.schema, struct);
        if (link >= 0) {
            new LinkedStructEmitter(m, cls, members, codecs, guarded, struct).emit(w);
        } else {
            decode(w);
            encode(w);
            appendText(w);
            parseText(w);
            if (members.stream().anyMatch(x -> x.shape().holdsBytes())) {
                equalsAndHashCode(w);
            }
        }
        toStringMethod(w);
        w.close();
        return w.toString();
    }

    /** A note for the javadoc of a component whose Java type needs one. */
    static String describe(Shape s) {
        if (s instanceof Shape.Optional) {
            return "; {@code null} when absent";
        }
        if (s instanceof Shape.Primitive p && p.scalar() == Shape.Scalar.UNSIGNED_INT) {
            return "; unsigned, 0 to 4294967295";
        }
        if (s instanceof Shape.Primitive p && p.scalar() == Shape.Scalar.UNSIGNED_HYPER) {
            return "; unsigned: the 64 bits, see Long.toUnsignedString";
        }
        return "";
    }

    private void constructor(JavaWriter w) {
        List<String> checks = new ArrayList<>();
        for (Member mem : members) {
            String c = codecs.check(mem.shape(), mem.name(), mem.name());
            if (!c.isEmpty()) {
                checks.add(c);
            }
        }
        if (checks.isEmpty()) {
            return;
        }
        w.blank();
        w.javadoc("Checks each member against its declaration.",
                "@throws NullPointerException     when a member that is not optional-data is null",
                "@throws IllegalArgumentException when a member breaks a length or range of its declaration");
        w.open("public " + cls);
        for (String c : checks) {
            w.lines(c);
        }
        w.close();
    }

    private void decode(JavaWriter w) {
        w.blank();
        w.javadoc("Decodes a {@code struct " + struct.name() + "} " + m.origin(struct.where()) + ".",
                "@param d the decoder, at the value",
                "@return the value",
                "@throws XdrException when the bytes are not a {@code " + struct.name() + "}");
        openDecode(w, "public static ", cls, struct.name(), guarded, "");
        // Arguments are evaluated left to right (JLS 15.7.4), which is the order of the members on the wire.
        w.line("return new " + cls + "(");
        for (int i = 0; i < members.size(); i++) {
            Member mem = members.get(i);
            w.line("        " + codecs.decode(mem.shape(), "d", 1) + (i + 1 < members.size() ? "," : ");"));
        }
        w.close();
    }

    /**
     * Opens {@code decode(XdrDecoder d)}; for a recursive type that one delegates to
     * {@code decode(XdrDecoder d, int depth)}, which is opened instead, its depth checked.
     */
    static void openDecode(JavaWriter w, String modifiers, String cls, String name, boolean guarded, String annotation) {
        if (!guarded) {
            w.lineIfAny(annotation);
            w.open(modifiers + cls + " decode(XdrDecoder d) throws XdrException");
            return;
        }
        w.open(modifiers + cls + " decode(XdrDecoder d) throws XdrException");
        w.line("return decode(d, 0);");
        w.close();
        w.blank();
        w.javadoc("Decodes at a nesting depth: {@code " + name + "} is recursive.");
        w.lineIfAny(annotation);
        w.open("static " + cls + " decode(XdrDecoder d, int depth) throws XdrException");
        w.open("if (depth > " + Limits.MAX_DEPTH + ")");
        w.line("throw new XdrException(\"" + name + " nested deeper than " + Limits.MAX_DEPTH + "\");");
        w.close();
    }

    private void encode(JavaWriter w) {
        w.blank();
        w.javadoc("Encodes a {@code struct " + struct.name() + "} " + m.origin(struct.where()) + ".",
                "@param e the encoder",
                "@param v the value",
                "@throws IllegalArgumentException when a member breaks a limit of its declaration");
        w.open("public static void encode(XdrEncoder e, " + cls + " v)");
        for (Member mem : members) {
            w.line(codecs.encode(mem.shape(), "e", "v." + mem.name() + "()", 1) + ";");
        }
        w.close();
    }

    private void appendText(JavaWriter w) {
        w.blank();
        w.javadoc("Appends the text form: {@code {name: value, ...}}.",
                "@param sb the destination",
                "@param v  the value");
        w.open("public static void appendText(StringBuilder sb, " + cls + " v)");
        for (int i = 0; i < members.size(); i++) {
            Member mem = members.get(i);
            String label = (i == 0 ? "{" : ", ") + mem.declaration().name() + ": ";
            w.line("sb.append(" + JavaWriter.literal(label) + ");");
            w.line(codecs.text(mem.shape(), "sb", "v." + mem.name() + "()", 1) + ";");
        }
        w.line("sb.append('}');");
        w.close();
    }

    private void parseText(JavaWriter w) {
        w.blank();
        w.javadoc("Reads the text form that {@link #appendText} writes.",
                "@param r the reader, at the value",
                "@return the value",
                "@throws IllegalArgumentException when the text is not a {@code " + struct.name() + "}");
        w.open("public static " + cls + " parseText(XdrTextReader r)");
        w.line("r.expect('{');");
        w.line(cls + " v = new " + cls + "(");
        for (int i = 0; i < members.size(); i++) {
            Member mem = members.get(i);
            String at = "r." + (i == 0 ? "name" : "next") + "(" + JavaWriter.literal(mem.declaration().name()) + ")";
            w.line("        " + codecs.parse(mem.shape(), at, 1) + (i + 1 < members.size() ? "," : ");"));
        }
        w.line("r.expect('}');");
        w.line("return v;");
        w.close();
    }

    private void equalsAndHashCode(JavaWriter w) {
        w.blank();
        w.javadoc("Compares members by content, {@code byte[]} included.");
        w.line("@Override");
        w.open("public boolean equals(Object o)");
        w.open("if (this == o)");
        w.line("return true;");
        w.close();
        w.open("if (!(o instanceof " + cls + "))");
        w.line("return false;");
        w.close();
        w.line(cls + " that = (" + cls + ") o;");
        List<String> terms = new ArrayList<>();
        for (Member mem : members) {
            terms.add(codecs.equal(mem.shape(), "this." + mem.name(), "that." + mem.name()));
        }
        w.line("return " + String.join("\n        && ", terms) + ";");
        w.close();
        w.blank();
        w.javadoc("A hash of the members' contents, consistent with {@link #equals}.");
        w.line("@Override");
        w.open("public int hashCode()");
        w.line("int h = 1;");
        for (Member mem : members) {
            w.line("h = 31 * h + " + codecs.hash(mem.shape(), "this." + mem.name()) + ";");
        }
        w.line("return h;");
        w.close();
    }

    private void toStringMethod(JavaWriter w) {
        w.blank();
        w.javadoc("The text form, as {@link #appendText} writes it.");
        w.line("@Override");
        w.open("public String toString()");
        w.line("StringBuilder sb = new StringBuilder();");
        w.line("appendText(sb, this);");
        w.line("return sb.toString();");
        w.close();
    }
}
