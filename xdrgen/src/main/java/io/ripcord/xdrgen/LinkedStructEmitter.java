package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.List;

/**
 * The members of a struct that ends in optional-data of itself ({@code struct entry { ...; entry *next; }}):
 * a linked list. Everything walks the list in a loop, never by recursion, so a list of a million entries in a
 * hostile message costs memory in proportion to its bytes and no stack. Decoding reads each node's other
 * members into growing arrays (one per member: no per-node holder objects), then builds the immutable records
 * from the last node back to the first.
 */
final class LinkedStructEmitter {

    private final Mapping m;
    private final String cls;
    private final List<StructEmitter.Member> fields;
    private final StructEmitter.Member link;
    private final Codecs codecs;
    private final boolean guarded;
    private final Ast.Struct struct;
    private final boolean unchecked;

    LinkedStructEmitter(Mapping m, String cls, List<StructEmitter.Member> members, Codecs codecs, boolean guarded,
                        Ast.Struct struct) {
        this.m = m;
        this.cls = cls;
        this.fields = members.subList(0, members.size() - 1);
        this.link = members.get(members.size() - 1);
        this.codecs = codecs;
        this.guarded = guarded;
        this.struct = struct;
        this.unchecked = fields.stream().anyMatch(f -> m.javaType(f.shape()).contains("<"));
    }

    void emit(JavaWriter w) {
        decode(w);
        encode(w);
        appendText(w);
        parseText(w);
        equalsAndHashCode(w);
    }

    private String linkAccess(String node) {
        return node + "." + link.name() + "()";
    }

    private void columns(JavaWriter w) {
        for (int i = 0; i < fields.size(); i++) {
            String t = m.javaType(fields.get(i).shape());
            String decl;
            if (t.contains("<")) {
                decl = "Object[] c" + i + " = new Object[8];";
            } else if (t.endsWith("[]")) {
                decl = t + "[] c" + i + " = new " + t.substring(0, t.length() - 2) + "[8][];";
            } else {
                decl = t + "[] c" + i + " = new " + t + "[8];";
            }
            w.line(decl + " // " + fields.get(i).declaration().name());
        }
        w.line("int n = 0;");
    }

    private void grow(JavaWriter w) {
        if (fields.isEmpty()) {
            return;
        }
        w.open("if (n == c0.length)");
        for (int i = 0; i < fields.size(); i++) {
            w.line("c" + i + " = Arrays.copyOf(c" + i + ", n * 2);");
        }
        w.close();
    }

    private void build(JavaWriter w) {
        w.line(cls + " next = null;");
        w.open("for (int i = n - 1; i >= 0; i--)");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String t = m.javaType(fields.get(i).shape());
            args.add(t.contains("<") ? "(" + t + ") c" + i + "[i]" : "c" + i + "[i]");
        }
        args.add("next");
        w.line("next = new " + cls + "(" + String.join(", ", args) + ");");
        w.close();
        w.line("return next;");
    }

    private void decode(JavaWriter w) {
        String depth = guarded ? ", depth" : "";
        String depthParam = guarded ? ", int depth" : "";
        w.blank();
        w.javadoc("Decodes a {@code struct " + struct.name() + "} " + m.origin(struct.where())
                        + " and the list its {@code " + link.declaration().name() + "} links.",
                "@param d the decoder, at the value",
                "@return the first node",
                "@throws XdrException when the bytes are not a {@code " + struct.name() + "} list");
        StructEmitter.openDecode(w, "public static ", cls, struct.name(), guarded, "");
        w.line("return decodeNode(d" + depth + ", 0);");
        w.close();
        w.blank();
        w.javadoc("Decodes a node and, while the list is short, the next ones by recursion, which allocates nothing"
                + "\nbut the nodes; past " + Limits.LIST_RECURSION + " nodes the rest is decoded in a loop, so no list"
                + " needs more\nframes than that.");
        w.open("private static " + cls + " decodeNode(XdrDecoder d" + depthParam + ", int node) throws XdrException");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            StructEmitter.Member f = fields.get(i);
            w.line(m.javaType(f.shape()) + " c" + i + " = " + codecs.decode(f.shape(), "d", 1) + "; // "
                    + f.declaration().name());
            args.add("c" + i);
        }
        w.line(cls + " next = !d.readBoolean() ? null");
        w.line("        : node < " + Limits.LIST_RECURSION + " ? decodeNode(d" + depth + ", node + 1) : decodeRest(d"
                + depth + ");");
        args.add("next");
        w.line("return new " + cls + "(" + String.join(", ", args) + ");");
        w.close();
        w.blank();
        w.javadoc("Decodes the rest of a long list in a loop: each member into a growing array, then the nodes from"
                + "\nthe last back.");
        w.lineIfAny(suppression());
        w.open("private static " + cls + " decodeRest(XdrDecoder d" + depthParam + ") throws XdrException");
        columns(w);
        w.open("do");
        grow(w);
        for (int i = 0; i < fields.size(); i++) {
            w.line("c" + i + "[n] = " + codecs.decode(fields.get(i).shape(), "d", 1) + ";");
        }
        w.line("n++;");
        w.close(" while (d.readBoolean());");
        build(w);
        w.close();
    }

    private String suppression() {
        return unchecked ? "@SuppressWarnings(\"unchecked\") // the arrays of generic members hold what was read into them"
                : "";
    }

    private void encode(JavaWriter w) {
        w.blank();
        w.javadoc("Encodes a {@code struct " + struct.name() + "} " + m.origin(struct.where())
                        + " and the list it links, in a loop.",
                "@param e the encoder",
                "@param v the first node",
                "@throws IllegalArgumentException when a member breaks a limit of its declaration");
        w.open("public static void encode(XdrEncoder e, " + cls + " v)");
        w.line(cls + " n = v;");
        w.open("while (true)");
        for (StructEmitter.Member f : fields) {
            w.line(codecs.encode(f.shape(), "e", "n." + f.name() + "()", 1) + ";");
        }
        w.line(cls + " next = " + linkAccess("n") + ";");
        w.line("e.writeBoolean(next != null);");
        w.open("if (next == null)");
        w.line("return;");
        w.close();
        w.line("n = next;");
        w.close();
        w.close();
    }

    private void appendText(JavaWriter w) {
        w.blank();
        w.javadoc("Appends the text form, nested as the {@code .x} nests it: {@code {a: 1, next: {a: 2, next: null}}}.",
                "@param sb the destination",
                "@param v  the first node");
        w.open("public static void appendText(StringBuilder sb, " + cls + " v)");
        w.line("int open = 0;");
        w.open("for (" + cls + " n = v; n != null; n = " + linkAccess("n") + ")");
        for (int i = 0; i < fields.size(); i++) {
            StructEmitter.Member f = fields.get(i);
            w.line("sb.append(" + JavaWriter.literal((i == 0 ? "{" : ", ") + f.declaration().name() + ": ") + ");");
            w.line(codecs.text(f.shape(), "sb", "n." + f.name() + "()", 1) + ";");
        }
        w.line("sb.append(" + JavaWriter.literal((fields.isEmpty() ? "{" : ", ") + link.declaration().name() + ": ")
                + ");");
        w.line("open++;");
        w.close();
        w.line("sb.append(\"null\");");
        w.open("for (int i = 0; i < open; i++)");
        w.line("sb.append('}');");
        w.close();
        w.close();
    }

    private void parseText(JavaWriter w) {
        w.blank();
        w.javadoc("Reads the text form that {@link #appendText} writes, in a loop.",
                "@param r the reader, at the value",
                "@return the first node",
                "@throws IllegalArgumentException when the text is not a {@code " + struct.name() + "} list");
        w.lineIfAny(suppression());
        w.open("public static " + cls + " parseText(XdrTextReader r)");
        columns(w);
        w.open("do");
        grow(w);
        w.line("r.expect('{');");
        for (int i = 0; i < fields.size(); i++) {
            StructEmitter.Member f = fields.get(i);
            String at = "r." + (i == 0 ? "name" : "next") + "(" + JavaWriter.literal(f.declaration().name()) + ")";
            w.line("c" + i + "[n] = " + codecs.parse(f.shape(), at, 1) + ";");
        }
        w.line("r." + (fields.isEmpty() ? "name" : "next") + "(" + JavaWriter.literal(link.declaration().name())
                + ");");
        w.line("n++;");
        w.close(" while (!r.tryNull());");
        w.open("for (int i = 0; i < n; i++)");
        w.line("r.expect('}');");
        w.close();
        build(w);
        w.close();
    }

    private void equalsAndHashCode(JavaWriter w) {
        w.blank();
        w.javadoc("Compares the lists node by node, in a loop, members by content.");
        w.line("@Override");
        w.open("public boolean equals(Object o)");
        w.open("if (!(o instanceof " + cls + "))");
        w.line("return false;");
        w.close();
        w.line(cls + " a = this;");
        w.line(cls + " b = (" + cls + ") o;");
        w.open("while (a != b)");
        w.open("if (a == null || b == null)");
        w.line("return false;");
        w.close();
        if (!fields.isEmpty()) {
            List<String> terms = new ArrayList<>();
            for (StructEmitter.Member f : fields) {
                terms.add(codecs.equal(f.shape(), "a." + f.name() + "()", "b." + f.name() + "()"));
            }
            w.open("if (!(" + String.join("\n        && ", terms) + "))");
            w.line("return false;");
            w.close();
        }
        w.line("a = " + linkAccess("a") + ";");
        w.line("b = " + linkAccess("b") + ";");
        w.close();
        w.line("return true;");
        w.close();
        w.blank();
        w.javadoc("A hash of every node's members, in a loop, consistent with {@link #equals}.");
        w.line("@Override");
        w.open("public int hashCode()");
        w.line("int h = 1;");
        w.open("for (" + cls + " n = this; n != null; n = " + linkAccess("n") + ")");
        if (fields.isEmpty()) {
            w.line("h = 31 * h + 1;");
        }
        for (StructEmitter.Member f : fields) {
            w.line("h = 31 * h + " + codecs.hash(f.shape(), "n." + f.name() + "()") + ";");
        }
        w.close();
        w.line("return h;");
        w.close();
    }
}
