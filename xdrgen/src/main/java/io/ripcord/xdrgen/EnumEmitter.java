package io.ripcord.xdrgen;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@code enum} as a Java enum whose constants carry their values. A member that repeats an earlier value
 * (an alias, as {@code nis_object.x} has) is a static field naming the first member with that value, so a
 * decoded value always is that first member. Decoding a value no member has is an {@code XdrException}.
 */
final class EnumEmitter {

    private final Mapping m;
    private final Ast.Enum e;
    private final String cls;

    EnumEmitter(Mapping mapping, Ast.Enum e) {
        this.m = mapping;
        this.e = e;
        this.cls = mapping.className(e);
    }

    /** The Java constant of the first member with {@code value}. */
    static String canonical(Schema schema, Ast.Enum e, long value) throws XdrCompileException {
        for (Ast.EnumMember member : e.members()) {
            if (schema.memberValue(member.name()) == value) {
                return Names.constant(member.name());
            }
        }
        throw new IllegalStateException(e.name() + " has no member " + value);
    }

    String emit() throws XdrCompileException {
        JavaWriter w = new JavaWriter();
        w.javadoc("{@code enum " + e.name() + "} " + m.origin(e.where()) + ".");
        w.open("public enum " + cls);
        Map<Long, String> first = new HashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        StringBuilder constants = new StringBuilder();
        for (Ast.EnumMember member : e.members()) {
            long v = m.schema.memberValue(member.name());
            String name = Names.constant(member.name());
            String canonical = first.putIfAbsent(v, name);
            if (canonical != null) {
                aliases.put(name, canonical);
                continue;
            }
            if (constants.length() > 0) {
                constants.append(",\n");
            }
            constants.append("/** {@code ").append(member.name()).append(" = ").append(v).append("} ")
                    .append(m.origin(member.where())).append(". */\n").append(name).append('(').append(v).append(')');
        }
        w.lines(constants + ";");
        for (Ast.EnumMember member : e.members()) {
            String name = Names.constant(member.name());
            if (aliases.containsKey(name)) {
                w.blank();
                w.javadoc("{@code " + member.name() + " = " + m.schema.memberValue(member.name()) + "} "
                        + m.origin(member.where()) + ": the same value as {@link #" + aliases.get(name) + "}.");
                w.line("public static final " + cls + " " + name + " = " + aliases.get(name) + ";");
            }
        }
        w.blank();
        w.line("private final int wireValue;");
        w.blank();
        w.open(cls + "(int value)");
        w.line("this.wireValue = value;");
        w.close();
        w.blank();
        w.javadoc("{@return the value on the wire}");
        w.open("public int value()");
        w.line("return wireValue;");
        w.close();
        w.blank();
        w.javadoc("The member with a value.",
                "@param value the value",
                "@return the first member declared with it",
                "@throws XdrException when no member has the value");
        w.open("public static " + cls + " of(int value) throws XdrException");
        w.open("return switch (value)");
        for (Map.Entry<Long, String> entry : new TreeMap<>(first).entrySet()) {
            w.line("case " + entry.getKey() + " -> " + entry.getValue() + ";");
        }
        w.line("default -> throw new XdrException(\"" + e.name() + " has no member \" + value);");
        w.close(";");
        w.close();
        w.blank();
        w.javadoc("Decodes a {@code enum " + e.name() + "} " + m.origin(e.where()) + ".",
                "@param d the decoder, at the value",
                "@return the member",
                "@throws XdrException when fewer than four bytes remain or no member has the value");
        w.open("public static " + cls + " decode(XdrDecoder d) throws XdrException");
        w.line("return of(d.readEnum());");
        w.close();
        w.blank();
        w.javadoc("Encodes a {@code enum " + e.name() + "}.",
                "@param e the encoder",
                "@param v the member");
        w.open("public static void encode(XdrEncoder e, " + cls + " v)");
        w.line("e.writeEnum(v.wireValue);");
        w.close();
        w.blank();
        w.javadoc("Appends the text form: the member's name.",
                "@param sb the destination",
                "@param v  the member");
        w.open("public static void appendText(StringBuilder sb, " + cls + " v)");
        w.line("sb.append(v.name());");
        w.close();
        w.blank();
        w.javadoc("Reads a member's name (an alias too).",
                "@param r the reader, at the name",
                "@return the member",
                "@throws IllegalArgumentException when the text names no member");
        w.open("public static " + cls + " parseText(XdrTextReader r)");
        w.open("return switch (r.readIdentifier())");
        for (Ast.EnumMember member : e.members()) {
            String name = Names.constant(member.name());
            w.line("case \"" + name + "\" -> " + aliases.getOrDefault(name, name) + ";");
        }
        w.line("default -> throw r.error(\"a member of " + e.name() + "\");");
        w.close(";");
        w.close();
        w.close();
        return w.toString();
    }
}
