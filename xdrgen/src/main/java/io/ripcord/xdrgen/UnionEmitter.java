package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A discriminated union (RFC 4506 section 4.15) as a sealed interface with one record per arm. The interface
 * has the discriminant's accessor; an arm with one case label answers it with that constant, an arm with
 * several labels and the default arm carry it as their first component (checked against their labels). An
 * arm's declaration, unless void, is the record's (other) component. Decoding a discriminant with no arm and
 * no default is an {@code XdrException}.
 */
final class UnionEmitter {

    /** One arm: its record's name, its labels' values (none for the default arm), its declaration. */
    private record Arm(String name, List<Long> values, List<Ast.Expr> labels, Ast.Declaration declaration,
                       Shape shape, String field, Location where) {
        boolean carriesDiscriminant() {
            return values.size() != 1;
        }

        boolean hasField() {
            return !(shape instanceof Shape.Void);
        }
    }

    private final Mapping m;
    private final Ast.Union union;
    private final String cls;
    private final Shape discriminant;
    private final String discName;
    private final String discType;
    private final List<Arm> arms = new ArrayList<>();
    private final Arm defaultArm;
    private final boolean guarded;
    private final Codecs codecs;

    UnionEmitter(Mapping mapping, Ast.Union union, Set<String> classNames) throws XdrCompileException {
        this.m = mapping;
        this.union = union;
        this.cls = mapping.className(union);
        this.discriminant = mapping.schema.shape(union.discriminant());
        this.discName = Names.member(union.discriminant().name());
        this.discType = mapping.javaType(discriminant);
        this.guarded = mapping.schema.depthGuarded(union);
        this.codecs = new Codecs(mapping, guarded);
        Set<String> taken = new HashSet<>(classNames);
        taken.add(cls);
        for (Ast.Arm a : union.arms()) {
            List<Long> values = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (Ast.Expr label : a.labels()) {
                values.add(mapping.schema.caseValue(union, discriminant, label));
                parts.add(labelName(label, values.get(values.size() - 1)));
            }
            arms.add(arm(taken, String.join("Or", parts), values, a));
        }
        this.defaultArm = union.defaultArm() == null ? null : arm(taken, "Default", List.of(), union.defaultArm());
    }

    private Arm arm(Set<String> taken, String base, List<Long> values, Ast.Arm a) throws XdrCompileException {
        String name = base;
        while (!taken.add(name) || Names.USED_CLASSES.contains(name)) {
            name = name + "Arm";
        }
        Ast.Declaration d = a.declaration();
        String field = d.form() == Ast.Form.VOID ? null : Names.member(d.name());
        if (discName.equals(field)) {
            field = field + "_";
        }
        return new Arm(name, values, a.labels(), d, m.schema.shape(d), field, a.where());
    }

    private static String labelName(Ast.Expr label, long value) {
        if (label instanceof Ast.Reference r) {
            return Names.type(r.name());
        }
        return value < 0 ? "CaseMinus" + -value : "Case" + value;
    }

    private List<Arm> allArms() {
        List<Arm> all = new ArrayList<>(arms);
        if (defaultArm != null) {
            all.add(defaultArm);
        }
        return all;
    }

    String emit() throws XdrCompileException {
        JavaWriter w = new JavaWriter();
        w.javadoc("{@code union " + union.name() + " switch (" + Mapping.spell(union.discriminant()) + ")} "
                + m.origin(union.where()) + ".");
        List<String> permits = new ArrayList<>();
        for (Arm a : allArms()) {
            permits.add(cls + "." + a.name());
        }
        w.open(JavaWriter.wrap("public sealed interface " + cls + " permits ", permits, ""));
        w.blank();
        w.javadoc("{@return the discriminant {@code " + union.discriminant().name() + "}}");
        w.line(discType + " " + discName + "();");
        for (Arm a : allArms()) {
            armRecord(w, a);
        }
        decode(w);
        encode(w);
        appendText(w);
        parseText(w);
        w.close();
        return w.toString();
    }

    private String labelsText(Arm a) {
        if (a.labels().isEmpty()) {
            return "default";
        }
        List<String> out = new ArrayList<>();
        for (Ast.Expr l : a.labels()) {
            out.add("case " + Ast.text(l) + ":");
        }
        return String.join(" ", out);
    }

    /** The Java constant a discriminant value is, for a case label or an accessor. */
    private String constant(long value) throws XdrCompileException {
        if (discriminant instanceof Shape.Defined d) {
            return m.className(d.definition()) + "." + EnumEmitter.canonical(m.schema, (Ast.Enum) d.definition(), value);
        }
        Shape.Scalar s = ((Shape.Primitive) discriminant).scalar();
        if (s == Shape.Scalar.BOOL) {
            return value != 0 ? "true" : "false";
        }
        return s == Shape.Scalar.UNSIGNED_INT ? value + "L" : Long.toString(value);
    }

    /** A case label of the decode switch. */
    private String switchLabel(long value) throws XdrCompileException {
        if (discriminant instanceof Shape.Defined d) {
            return EnumEmitter.canonical(m.schema, (Ast.Enum) d.definition(), value);
        }
        Shape.Scalar s = ((Shape.Primitive) discriminant).scalar();
        return s == Shape.Scalar.UNSIGNED_INT ? Integer.toString((int) value) : Long.toString(value);
    }

    private String switchOn() {
        if (discriminant instanceof Shape.Primitive p) {
            if (p.scalar() == Shape.Scalar.BOOL) {
                return "disc ? 1 : 0";
            }
            if (p.scalar() == Shape.Scalar.UNSIGNED_INT) {
                return "(int) disc";
            }
        }
        return "disc";
    }

    private void armRecord(JavaWriter w, Arm a) throws XdrCompileException {
        w.blank();
        List<String> doc = new ArrayList<>();
        doc.add("{@code " + labelsText(a) + " " + Mapping.spell(a.declaration()) + ";} " + m.origin(a.where()) + ".");
        List<String> components = new ArrayList<>();
        if (a.carriesDiscriminant()) {
            doc.add("@param " + discName + " the discriminant {@code " + union.discriminant().name() + "}"
                    + (a.values().isEmpty() ? ", none of the other arms' values" : ", one of this arm's values"));
            components.add(discType + " " + discName);
        }
        if (a.hasField()) {
            doc.add("@param " + a.field() + " {@code " + Mapping.spell(a.declaration()) + "} "
                    + m.origin(a.declaration().where()) + StructEmitter.describe(a.shape()));
            components.add(m.javaType(a.shape()) + " " + a.field());
        }
        w.javadoc(doc.toArray(String[]::new));
        w.open(JavaWriter.wrap("record " + a.name() + "(", components, ") implements " + cls));
        armConstructor(w, a);
        if (!a.carriesDiscriminant()) {
            w.blank();
            w.line("@Override");
            w.open("public " + discType + " " + discName + "()");
            w.line("return " + constant(a.values().get(0)) + ";");
            w.close();
        }
        if (a.hasField() && a.shape().holdsBytes()) {
            armEquals(w, a);
        }
        w.blank();
        w.line("@Override");
        w.open("public String toString()");
        w.line("StringBuilder sb = new StringBuilder();");
        w.line(cls + ".appendText(sb, this);");
        w.line("return sb.toString();");
        w.close();
        w.close();
    }

    private void armConstructor(JavaWriter w, Arm a) throws XdrCompileException {
        List<String> checks = new ArrayList<>();
        if (a.carriesDiscriminant()) {
            if (discriminant instanceof Shape.Defined) {
                checks.add("Objects.requireNonNull(" + discName + ", \"" + discName + "\");");
            }
            if (discriminant instanceof Shape.Primitive p && p.scalar() == Shape.Scalar.UNSIGNED_INT) {
                checks.add("XdrStrict.checkUnsignedInt(" + discName + ", \"" + discName + "\");");
            }
            List<String> values = new ArrayList<>();
            List<Long> labels = new ArrayList<>(a.values());
            if (labels.isEmpty()) {
                for (Arm other : arms) {
                    labels.addAll(other.values());
                }
            }
            for (long v : labels) {
                values.add(discName + " == " + constant(v));
            }
            if (!values.isEmpty()) {
                String test = String.join(" || ", values);
                checks.add("if (" + (a.values().isEmpty() ? test : "!(" + test + ")") + ") {\n"
                        + "    throw new IllegalArgumentException(\"" + union.name() + ": " + discName + " \" + "
                        + discName + " + \"" + (a.values().isEmpty() ? " has an arm of its own" : " is not a value of this arm")
                        + "\");\n}");
            }
        }
        if (a.hasField()) {
            String c = codecs.check(a.shape(), a.field(), a.field());
            if (!c.isEmpty()) {
                checks.add(c);
            }
        }
        if (checks.isEmpty()) {
            return;
        }
        w.open("public " + a.name());
        for (String c : checks) {
            w.lines(c);
        }
        w.close();
    }

    private void armEquals(JavaWriter w, Arm a) {
        w.blank();
        w.line("@Override");
        w.open("public boolean equals(Object o)");
        w.open("if (!(o instanceof " + a.name() + " that))");
        w.line("return false;");
        w.close();
        String eq = codecs.equal(a.shape(), "this." + a.field(), "that." + a.field());
        w.line("return " + (a.carriesDiscriminant() ? "this." + discName + " == that." + discName + " && " : "")
                + eq + ";");
        w.close();
        w.blank();
        w.line("@Override");
        w.open("public int hashCode()");
        String h = codecs.hash(a.shape(), "this." + a.field());
        w.line("return " + (a.carriesDiscriminant() ? "31 * " + codecs.hash(discriminant, "this." + discName) + " + " : "")
                + h + ";");
        w.close();
    }

    private String discriminantDecode() {
        return codecs.decode(discriminant, "d", 1);
    }

    private void decode(JavaWriter w) throws XdrCompileException {
        w.blank();
        w.javadoc("Decodes a {@code union " + union.name() + "} " + m.origin(union.where()) + ".",
                "@param d the decoder, at the discriminant",
                "@return the arm the discriminant selects",
                "@throws XdrException when the bytes are not a {@code " + union.name() + "}, or no arm has the discriminant");
        StructEmitter.openDecode(w, "static ", cls, union.name(), guarded, "");
        w.line(discType + " disc = " + discriminantDecode() + ";");
        w.open("return switch (" + switchOn() + ")");
        armCases(w, true, "throw new XdrException(\"" + union.name() + " has no arm for " + discName + " \" + disc)");
        w.close(";");
        w.close();
    }

    /** The cases of a switch on the discriminant, each constructing its arm; {@code noArm} ends the default. */
    private void armCases(JavaWriter w, boolean decoding, String noArm) throws XdrCompileException {
        for (Arm a : arms) {
            List<String> labels = new ArrayList<>();
            for (long v : a.values()) {
                labels.add(switchLabel(v));
            }
            w.line("case " + String.join(", ", labels) + " -> " + construct(a, decoding) + ";");
        }
        w.line("default -> " + (defaultArm != null ? construct(defaultArm, decoding) : noArm) + ";");
    }

    /** {@code new Arm(disc, <field>)}: the field decoded from {@code d}, or parsed from {@code r} after its name. */
    private String construct(Arm a, boolean decoding) {
        List<String> args = new ArrayList<>();
        if (a.carriesDiscriminant()) {
            args.add("disc");
        }
        if (a.hasField()) {
            args.add(decoding ? codecs.decode(a.shape(), "d", 1)
                    : codecs.parse(a.shape(), "r.next(" + JavaWriter.literal(a.declaration().name()) + ")", 1));
        }
        return "new " + a.name() + "(" + String.join(", ", args) + ")";
    }

    private void encode(JavaWriter w) {
        w.blank();
        w.javadoc("Encodes a {@code union " + union.name() + "} " + m.origin(union.where()) + ".",
                "@param e the encoder",
                "@param v the value",
                "@throws IllegalArgumentException when the arm breaks a limit of its declaration");
        w.open("static void encode(XdrEncoder e, " + cls + " v)");
        w.line(codecs.encode(discriminant, "e", "v." + discName + "()", 1) + ";");
        String keyword = "if";
        for (Arm a : allArms()) {
            if (!a.hasField()) {
                continue;
            }
            w.open(keyword + " (v instanceof " + a.name() + " a)");
            w.line(codecs.encode(a.shape(), "e", "a." + a.field() + "()", 1) + ";");
            w.indentBack();
            keyword = "} else if";
        }
        if (!keyword.equals("if")) {
            w.line("}");
        }
        w.close();
    }

    private void appendText(JavaWriter w) {
        w.blank();
        w.javadoc("Appends the text form: {@code {" + union.discriminant().name() + ": value, arm: value}}.",
                "@param sb the destination",
                "@param v  the value");
        w.open("static void appendText(StringBuilder sb, " + cls + " v)");
        w.line("sb.append(" + JavaWriter.literal("{" + union.discriminant().name() + ": ") + ");");
        w.line(codecs.text(discriminant, "sb", "v." + discName + "()", 1) + ";");
        String keyword = "if";
        for (Arm a : allArms()) {
            if (!a.hasField()) {
                continue;
            }
            w.open(keyword + " (v instanceof " + a.name() + " a)");
            w.line("sb.append(" + JavaWriter.literal(", " + a.declaration().name() + ": ") + ");");
            w.line(codecs.text(a.shape(), "sb", "a." + a.field() + "()", 1) + ";");
            w.indentBack();
            keyword = "} else if";
        }
        if (!keyword.equals("if")) {
            w.line("}");
        }
        w.line("sb.append('}');");
        w.close();
    }

    private void parseText(JavaWriter w) throws XdrCompileException {
        w.blank();
        w.javadoc("Reads the text form that {@link #appendText} writes.",
                "@param r the reader, at the value",
                "@return the value",
                "@throws IllegalArgumentException when the text is not a {@code " + union.name() + "}");
        w.open("static " + cls + " parseText(XdrTextReader r)");
        w.line("r.expect('{');");
        w.line(discType + " disc = " + codecs.parse(discriminant,
                "r.name(" + JavaWriter.literal(union.discriminant().name()) + ")", 1) + ";");
        w.open(cls + " v = switch (" + switchOn() + ")");
        armCases(w, false, "throw r.error(\"a " + discName + " that has an arm\")");
        w.close(";");
        w.line("r.expect('}');");
        w.line("return v;");
        w.close();
    }
}
