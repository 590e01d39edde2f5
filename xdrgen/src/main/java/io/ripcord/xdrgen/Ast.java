package io.ripcord.xdrgen;

import java.util.List;

/**
 * The syntax tree of a {@code .x} file (RFC 4506 section 6.3, RFC 5531 section 12.2), as the parser builds it:
 * names are not resolved and expressions not evaluated yet ({@link Schema} does that).
 */
final class Ast {

    private Ast() {
    }

    /** A top-level definition. */
    sealed interface Definition permits Const, Typedef, Enum, Struct, Union, Program {
        String name();

        Location where();
    }

    /**
     * {@code const NAME = expr;}, or (rpcgen passes both to C) a string constant, or a {@code %#define NAME expr}
     * pass-through line, which counts only where the {@code .x} does not define the name and the expression
     * evaluates.
     */
    record Const(String name, Expr value, Location where, boolean passThrough) implements Definition {
    }

    /** {@code typedef declaration;}: {@code declaration.name()} is the new type's name. */
    record Typedef(String name, Declaration declaration, Location where) implements Definition {
    }

    /** {@code enum NAME { A = 1, B = 2 };} (rpcgen also allows members without a value: C's rule applies). */
    record Enum(String name, List<EnumMember> members, Location where) implements Definition {
    }

    record EnumMember(String name, Expr value, Location where) {
    }

    /** {@code struct NAME { declarations };} */
    record Struct(String name, List<Declaration> fields, Location where) implements Definition {
    }

    /** {@code union NAME switch (discriminant) { arms [default] };}; {@code defaultArm} may be null. */
    record Union(String name, Declaration discriminant, List<Arm> arms, Arm defaultArm, Location where)
            implements Definition {
    }

    /** {@code case A: case B: declaration;}; no labels for the default arm. */
    record Arm(List<Expr> labels, Declaration declaration, Location where) {
    }

    /** {@code program NAME { versions } = number;} */
    record Program(String name, List<Version> versions, Expr number, Location where) implements Definition {
    }

    record Version(String name, List<Procedure> procedures, Expr number, Location where) {
    }

    /**
     * {@code result NAME(arguments) = number;}: an empty argument list is {@code void}; several arguments
     * are rpcgen's {@code -N} style, each optionally named.
     */
    record Procedure(String name, TypeRef result, List<Argument> arguments, Expr number, Location where) {
    }

    record Argument(TypeRef type, String name, Location where) {
    }

    /** How a declaration shapes its type. */
    enum Form { VOID, PLAIN, FIXED_ARRAY, VARIABLE_ARRAY, OPTIONAL }

    /**
     * A declaration: {@code type name}, {@code type name[n]}, {@code type name<m>} ({@code size} null for
     * {@code <>}), {@code type *name}, or {@code void} (type and name null).
     */
    record Declaration(Form form, TypeRef type, String name, Expr size, Location where) {
    }

    /** A type as written. */
    sealed interface TypeRef permits Builtin, Named {
        Location where();
    }

    /** A type the language (or rpcgen) defines: int, unsigned hyper, opaque, string, ... */
    record Builtin(BuiltinType type, Location where) implements TypeRef {
    }

    /** A type named by an identifier (or, after hoisting, an inline struct, union or enum). */
    record Named(String name, Location where) implements TypeRef {
    }

    enum BuiltinType {
        INT("int"), UNSIGNED_INT("unsigned int"), HYPER("hyper"), UNSIGNED_HYPER("unsigned hyper"),
        FLOAT("float"), DOUBLE("double"), BOOL("bool"), VOID("void"), OPAQUE("opaque"), STRING("string"),
        CHAR("char"), UNSIGNED_CHAR("unsigned char"), SHORT("short"), UNSIGNED_SHORT("unsigned short");

        final String spelling;

        BuiltinType(String spelling) {
            this.spelling = spelling;
        }
    }

    /** A constant expression. */
    sealed interface Expr permits Number, Reference, Unary, Binary, Text {
        Location where();
    }

    record Number(long value, String text, Location where) implements Expr {
    }

    record Reference(String name, Location where) implements Expr {
    }

    /** A string constant's value as written between its quotes (rpcgen's {@code const X = "...";}). */
    record Text(String value, Location where) implements Expr {
    }

    record Unary(String operator, Expr operand, Location where) implements Expr {
    }

    record Binary(String operator, Expr left, Expr right, Location where) implements Expr {
    }

    /** The expression as the {@code .x} spells it, for comments. */
    static String text(Expr e) {
        if (e == null) {
            return "";
        }
        if (e instanceof Number n) {
            return n.text();
        }
        if (e instanceof Reference r) {
            return r.name();
        }
        if (e instanceof Text t) {
            return "\"" + t.value() + "\"";
        }
        if (e instanceof Unary u) {
            return u.operator() + text(u.operand());
        }
        Binary b = (Binary) e;
        return "(" + text(b.left()) + " " + b.operator() + " " + text(b.right()) + ")";
    }
}
