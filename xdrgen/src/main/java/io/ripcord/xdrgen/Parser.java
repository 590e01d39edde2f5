package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser of the RFC 4506 section 6.3 language with RFC 5531 section 12.2 programs, plus
 * what rpcgen accepts and real files use: {@code unsigned} alone, C's {@code char}, {@code short} and
 * {@code long}, {@code struct NAME} as a type, enum members without a value, several (optionally named)
 * procedure arguments, and {@code typedef struct {...} NAME;}. An inline {@code struct}, {@code union} or
 * {@code enum} body in a declaration becomes a top-level type named {@code container_field} (the typedef's
 * own name for {@code typedef struct {...} NAME;}). {@code quadruple} is refused: Java has no 128-bit float.
 */
final class Parser {

    static final Set<String> KEYWORDS = Set.of("bool", "case", "const", "default", "double", "quadruple", "enum",
            "float", "hyper", "int", "opaque", "string", "struct", "switch", "typedef", "union", "unsigned", "void",
            "program", "version", "char", "short", "long");

    /** An inline struct, union or enum body waiting for the name its declaration gives it. */
    private record Pending(String kind, List<Ast.Declaration> fields, Ast.Declaration discriminant,
                           List<Ast.Arm> arms, Ast.Arm defaultArm, List<Ast.EnumMember> members, Location where) {
    }

    private final List<Token> tokens;
    private final List<Ast.Definition> definitions = new ArrayList<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private int pos;
    private int inlineCount;

    Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * A {@code %#define} line's constant, or null when its body is not a constant expression (C that means
     * nothing to the .x language).
     */
    static Ast.Const passThrough(Scanner.PassThroughDefine define) {
        Parser p = new Parser(define.body());
        try {
            Ast.Expr value = p.expression();
            return p.peek().kind() == Token.Kind.END ? new Ast.Const(define.name(), value, define.where(), true) : null;
        } catch (XdrCompileException e) {
            return null;
        }
    }

    List<Ast.Definition> parse() throws XdrCompileException {
        while (peek().kind() != Token.Kind.END) {
            definition();
        }
        return definitions;
    }

    // --- definitions ---------------------------------------------------------------------------------------

    private void definition() throws XdrCompileException {
        Token t = next();
        switch (t.kind() == Token.Kind.IDENTIFIER ? t.text() : "") {
            case "const" -> {
                String name = identifier("a constant name after 'const'");
                expect("=", "after the constant's name");
                Ast.Expr value = peek().kind() == Token.Kind.STRING ? new Ast.Text(next().text(), t.where())
                        : expression();
                expect(";", "after the constant's value");
                definitions.add(new Ast.Const(name, value, t.where(), false));
            }
            case "typedef" -> {
                Ast.Declaration d = declaration(null, "typedef");
                expect(";", "after the typedef");
                if (d.form() == Ast.Form.VOID) {
                    throw new XdrCompileException(d.where(), "typedef of void: expected a type and a name");
                }
                boolean inlineBody = d.type() instanceof Ast.Named n && n.name().equals(d.name())
                        && d.form() == Ast.Form.PLAIN;
                if (!inlineBody) {
                    definitions.add(new Ast.Typedef(d.name(), d, t.where()));
                }
            }
            case "enum" -> {
                String name = identifier("an enum name after 'enum'");
                List<Ast.EnumMember> members = enumBody();
                expect(";", "after the enum's closing '}'");
                definitions.add(new Ast.Enum(name, members, t.where()));
            }
            case "struct" -> {
                String name = identifier("a struct name after 'struct'");
                List<Ast.Declaration> fields = structBody();
                expect(";", "after the struct's closing '}'");
                definitions.add(new Ast.Struct(name, nameFields(fields, name), t.where()));
            }
            case "union" -> {
                String name = identifier("a union name after 'union'");
                Pending body = unionBody(t.where());
                expect(";", "after the union's closing '}'");
                definitions.add(finishUnion(name, body));
            }
            case "program" -> program(t);
            default -> throw error(t, "a definition: const, typedef, enum, struct, union or program");
        }
    }

    private void program(Token keyword) throws XdrCompileException {
        String name = identifier("a program name after 'program'");
        expect("{", "to open the program's versions");
        List<Ast.Version> versions = new ArrayList<>();
        do {
            Token v = peek();
            if (!v.is("version")) {
                throw error(v, "'version'");
            }
            next();
            String versionName = identifier("a version name after 'version'");
            expect("{", "to open the version's procedures");
            List<Ast.Procedure> procedures = new ArrayList<>();
            do {
                procedures.add(procedure());
            } while (!peek().is("}"));
            next();
            expect("=", "after the version's closing '}'");
            Ast.Expr number = expression();
            expect(";", "after the version number");
            versions.add(new Ast.Version(versionName, procedures, number, v.where()));
        } while (!peek().is("}"));
        next();
        expect("=", "after the program's closing '}'");
        Ast.Expr number = expression();
        expect(";", "after the program number");
        definitions.add(new Ast.Program(name, versions, number, keyword.where()));
    }

    private Ast.Procedure procedure() throws XdrCompileException {
        Token start = peek();
        Ast.TypeRef result = procedureType("a procedure's result type");
        String name = identifier("a procedure name");
        expect("(", "after the procedure's name");
        List<Ast.Argument> arguments = new ArrayList<>();
        if (peek().is("void") && peekAt(1).is(")")) {
            next();
        } else {
            do {
                Token argStart = peek();
                Ast.TypeRef type = procedureType("an argument type");
                if (type instanceof Ast.Builtin b && b.type() == Ast.BuiltinType.VOID) {
                    throw error(argStart, "an argument type ('void' only stands alone)");
                }
                String argName = peek().kind() == Token.Kind.IDENTIFIER && !KEYWORDS.contains(peek().text())
                        ? next().text() : null;
                arguments.add(new Ast.Argument(type, argName, argStart.where()));
            } while (accept(","));
        }
        expect(")", "after the arguments");
        expect("=", "after the procedure's arguments");
        Ast.Expr number = expression();
        expect(";", "after the procedure number");
        return new Ast.Procedure(name, result, arguments, number, start.where());
    }

    /** A procedure's result or argument: a type specifier, {@code void}, or rpcgen's {@code string}. */
    private Ast.TypeRef procedureType(String what) throws XdrCompileException {
        Token t = peek();
        if (t.is("void")) {
            next();
            return new Ast.Builtin(Ast.BuiltinType.VOID, t.where());
        }
        if (t.is("string")) {
            next();
            return new Ast.Builtin(Ast.BuiltinType.STRING, t.where());
        }
        if (t.is("opaque")) {
            throw new XdrCompileException(t.where(), "opaque cannot be a procedure's " + what.replace("a ", "")
                    + " without a typedef: expected a type name");
        }
        return typeSpecifier(what);
    }

    // --- declarations and types ----------------------------------------------------------------------------

    /**
     * A declaration. {@code container} is null for a typedef, whose inline type takes the typedef's name at
     * once; in a struct or union, inline types are named later, after the container and the declaration.
     */
    private Ast.Declaration declaration(String container, String context) throws XdrCompileException {
        Token start = peek();
        if (start.is("void")) {
            next();
            return new Ast.Declaration(Ast.Form.VOID, null, null, null, start.where());
        }
        if (start.is("opaque") || start.is("string")) {
            next();
            boolean string = start.is("string");
            Ast.TypeRef type = new Ast.Builtin(string ? Ast.BuiltinType.STRING : Ast.BuiltinType.OPAQUE, start.where());
            String name = identifier("a name after '" + start.text() + "'");
            if (!string && accept("[")) {
                Ast.Expr size = expression();
                expect("]", "after the fixed length");
                return new Ast.Declaration(Ast.Form.FIXED_ARRAY, type, name, size, start.where());
            }
            if (accept("<")) {
                Ast.Expr max = peek().is(">") ? null : expression();
                expect(">", "after the maximum length");
                return new Ast.Declaration(Ast.Form.VARIABLE_ARRAY, type, name, max, start.where());
            }
            throw error(peek(), string ? "'<' after the string's name: a string is declared string name<max> or"
                    + " string name<>" : "'[' or '<' after the opaque's name: opaque name[n] or opaque name<max>");
        }
        Ast.TypeRef type = typeSpecifier("a type in the " + context);
        if (accept("*")) {
            String name = identifier("a name after '*'");
            return new Ast.Declaration(Ast.Form.OPTIONAL, container == null ? nameInline(type, null, name) : type,
                    name, null, start.where());
        }
        String name = identifier("a name after the type");
        // Inside a struct or union the inline type is named when the container's name is known.
        Ast.TypeRef named = container == null ? nameInline(type, null, name) : type;
        if (accept("[")) {
            Ast.Expr size = expression();
            expect("]", "after the array's length");
            return new Ast.Declaration(Ast.Form.FIXED_ARRAY, named, name, size, start.where());
        }
        if (accept("<")) {
            Ast.Expr max = peek().is(">") ? null : expression();
            expect(">", "after the array's maximum length");
            return new Ast.Declaration(Ast.Form.VARIABLE_ARRAY, named, name, max, start.where());
        }
        return new Ast.Declaration(Ast.Form.PLAIN, named, name, null, start.where());
    }

    private Ast.TypeRef typeSpecifier(String what) throws XdrCompileException {
        Token t = next();
        Location at = t.where();
        if (t.kind() != Token.Kind.IDENTIFIER) {
            throw error(t, what);
        }
        switch (t.text()) {
            case "unsigned" -> {
                Token n = peek();
                Ast.BuiltinType b = switch (n.text()) {
                    case "int" -> Ast.BuiltinType.UNSIGNED_INT;
                    case "hyper" -> Ast.BuiltinType.UNSIGNED_HYPER;
                    case "char" -> Ast.BuiltinType.UNSIGNED_CHAR;
                    case "short" -> Ast.BuiltinType.UNSIGNED_SHORT;
                    case "long" -> Ast.BuiltinType.UNSIGNED_INT;
                    default -> null;
                };
                if (b == null || n.kind() != Token.Kind.IDENTIFIER) {
                    return new Ast.Builtin(Ast.BuiltinType.UNSIGNED_INT, at);
                }
                next();
                return new Ast.Builtin(b, at);
            }
            case "quadruple" -> throw new XdrCompileException(at, "quadruple (128-bit float, RFC 4506 section 4.8)"
                    + " has no Java type: declare it as opaque name[16] and convert by hand");
            case "struct", "union", "enum" -> {
                if (peek().is("{") || (t.is("union") && peek().is("switch"))) {
                    return inlineBody(t);
                }
                return new Ast.Named(identifier("a type name after '" + t.text() + "'"), at);
            }
            default -> {
                Ast.BuiltinType simple = SIMPLE_TYPES.get(t.text());
                if (simple != null) {
                    return new Ast.Builtin(simple, at);
                }
                if (KEYWORDS.contains(t.text())) {
                    throw error(t, what);
                }
                return new Ast.Named(t.text(), at);
            }
        }
    }

    /** Type keywords that stand alone; rpcgen maps C's {@code long} to XDR's int, as its C library does on the wire. */
    private static final Map<String, Ast.BuiltinType> SIMPLE_TYPES = Map.of("int", Ast.BuiltinType.INT,
            "long", Ast.BuiltinType.INT, "hyper", Ast.BuiltinType.HYPER, "float", Ast.BuiltinType.FLOAT,
            "double", Ast.BuiltinType.DOUBLE, "bool", Ast.BuiltinType.BOOL, "char", Ast.BuiltinType.CHAR,
            "short", Ast.BuiltinType.SHORT);

    private Ast.TypeRef inlineBody(Token keyword) throws XdrCompileException {
        String placeholder = "$inline" + inlineCount++;
        Pending p = switch (keyword.text()) {
            case "struct" -> new Pending("struct", structBody(), null, null, null, null, keyword.where());
            case "enum" -> new Pending("enum", null, null, null, null, enumBody(), keyword.where());
            default -> unionBody(keyword.where());
        };
        pending.put(placeholder, p);
        return new Ast.Named(placeholder, keyword.where());
    }

    /** Gives an inline body its name and makes it a top-level definition; other types pass through. */
    private Ast.TypeRef nameInline(Ast.TypeRef type, String container, String declared) {
        if (!(type instanceof Ast.Named n) || !pending.containsKey(n.name())) {
            return type;
        }
        Pending p = pending.remove(n.name());
        String name = container == null ? declared : container + "_" + declared;
        Ast.Definition d = switch (p.kind()) {
            case "struct" -> new Ast.Struct(name, nameFields(p.fields(), name), p.where());
            case "enum" -> new Ast.Enum(name, p.members(), p.where());
            default -> finishUnion(name, p);
        };
        definitions.add(d);
        return new Ast.Named(name, n.where());
    }

    private List<Ast.Declaration> nameFields(List<Ast.Declaration> fields, String container) {
        List<Ast.Declaration> out = new ArrayList<>(fields.size());
        for (Ast.Declaration f : fields) {
            out.add(nameDeclaration(f, container));
        }
        return out;
    }

    private Ast.Declaration nameDeclaration(Ast.Declaration d, String container) {
        if (d.type() == null) {
            return d;
        }
        return new Ast.Declaration(d.form(), nameInline(d.type(), container, d.name()), d.name(), d.size(), d.where());
    }

    private Ast.Union finishUnion(String name, Pending body) {
        List<Ast.Arm> arms = new ArrayList<>();
        for (Ast.Arm a : body.arms()) {
            arms.add(new Ast.Arm(a.labels(), nameDeclaration(a.declaration(), name), a.where()));
        }
        Ast.Arm def = body.defaultArm() == null ? null
                : new Ast.Arm(List.of(), nameDeclaration(body.defaultArm().declaration(), name), body.defaultArm().where());
        return new Ast.Union(name, nameDeclaration(body.discriminant(), name), arms, def, body.where());
    }

    private List<Ast.EnumMember> enumBody() throws XdrCompileException {
        expect("{", "to open the enum's members");
        List<Ast.EnumMember> members = new ArrayList<>();
        do {
            if (peek().is("}") && !members.isEmpty()) {
                break;
            }
            Token m = peek();
            String name = identifier("an enum member name");
            Ast.Expr value = accept("=") ? expression() : null;
            members.add(new Ast.EnumMember(name, value, m.where()));
        } while (accept(","));
        expect("}", "after the enum's members (members are separated by ',')");
        return members;
    }

    private List<Ast.Declaration> structBody() throws XdrCompileException {
        expect("{", "to open the struct's members");
        List<Ast.Declaration> fields = new ArrayList<>();
        do {
            Ast.Declaration d = declaration("$", "struct member");
            if (d.form() == Ast.Form.VOID) {
                throw new XdrCompileException(d.where(), "a struct member cannot be void: expected a type and a name");
            }
            expect(";", "after the struct member '" + d.name() + "'");
            fields.add(d);
        } while (!peek().is("}"));
        next();
        return fields;
    }

    private Pending unionBody(Location where) throws XdrCompileException {
        Token sw = next();
        if (!sw.is("switch")) {
            throw error(sw, "'switch' after the union's name");
        }
        expect("(", "after 'switch'");
        Ast.Declaration discriminant = declaration("$", "union discriminant");
        if (discriminant.form() != Ast.Form.PLAIN) {
            throw new XdrCompileException(discriminant.where(),
                    "the discriminant must be a plain int, unsigned int, bool or enum declaration");
        }
        expect(")", "after the discriminant");
        expect("{", "to open the union's arms");
        List<Ast.Arm> arms = new ArrayList<>();
        Ast.Arm defaultArm = null;
        while (!peek().is("}")) {
            Token start = peek();
            if (accept("default")) {
                if (defaultArm != null) {
                    throw new XdrCompileException(start.where(), "second default arm (the first is at "
                            + defaultArm.where() + ")");
                }
                expect(":", "after 'default'");
                Ast.Declaration d = declaration("$", "default arm");
                expect(";", "after the default arm's declaration");
                defaultArm = new Ast.Arm(List.of(), d, start.where());
                continue;
            }
            List<Ast.Expr> labels = new ArrayList<>();
            while (accept("case")) {
                labels.add(expression());
                expect(":", "after the case value");
            }
            if (labels.isEmpty()) {
                throw error(start, "'case', 'default' or '}' in the union body");
            }
            Ast.Declaration d = declaration("$", "union arm");
            expect(";", "after the arm's declaration");
            arms.add(new Ast.Arm(labels, d, start.where()));
        }
        next();
        if (arms.isEmpty()) {
            throw new XdrCompileException(where, "a union needs at least one case arm");
        }
        return new Pending("union", null, discriminant, arms, defaultArm, null, where);
    }

    // --- constant expressions ------------------------------------------------------------------------------

    private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    /** C's integer operators over constants, enum members and numbers (no comparisons: '<' opens a maximum). */
    private Ast.Expr expression() throws XdrCompileException {
        return binary(0);
    }

    private Ast.Expr binary(int level) throws XdrCompileException {
        if (level == LEVELS.length) {
            return unary();
        }
        Ast.Expr left = binary(level + 1);
        while (true) {
            Token t = peek();
            String op = null;
            for (String candidate : LEVELS[level]) {
                if (t.kind() == Token.Kind.PUNCTUATION && t.text().equals(candidate)) {
                    op = candidate;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            left = new Ast.Binary(op, left, binary(level + 1), t.where());
        }
    }

    private Ast.Expr unary() throws XdrCompileException {
        Token t = peek();
        if (t.kind() == Token.Kind.PUNCTUATION && (t.is("-") || t.is("+") || t.is("~"))) {
            next();
            return new Ast.Unary(t.text(), unary(), t.where());
        }
        if (accept("(")) {
            Ast.Expr e = expression();
            expect(")", "to close the parenthesis");
            return e;
        }
        next();
        if (t.kind() == Token.Kind.NUMBER) {
            return new Ast.Number(t.value(), t.text(), t.where());
        }
        if (t.kind() == Token.Kind.IDENTIFIER && !KEYWORDS.contains(t.text())) {
            return new Ast.Reference(t.text(), t.where());
        }
        throw error(t, "a constant: a number or the name of a const or enum member");
    }

    // --- tokens --------------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean accept(String text) {
        if (peek().is(text)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String text, String context) throws XdrCompileException {
        Token t = peek();
        if (!t.is(text)) {
            throw error(t, "'" + text + "' " + context);
        }
        next();
    }

    private String identifier(String what) throws XdrCompileException {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENTIFIER || KEYWORDS.contains(t.text())) {
            throw error(t, what + (KEYWORDS.contains(t.text()) ? " ('" + t.text() + "' is a keyword)" : ""));
        }
        next();
        return t.text();
    }

    private static XdrCompileException error(Token found, String expected) {
        return new XdrCompileException(found.where(), "expected " + expected + ", found " + found.describe());
    }
}
