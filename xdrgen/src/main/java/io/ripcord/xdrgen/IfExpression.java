package io.ripcord.xdrgen;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the expression of {@code #if} / {@code #elif} as cpp does: 64-bit integers, {@code defined NAME}
 * and {@code defined(NAME)}, a macro's body for its name, 0 for any other identifier, and C's operators from
 * {@code ?:} down to unary {@code ! ~ - +}.
 */
final class IfExpression {

    private final String text;
    private final Map<String, Scanner.Macro> macros;
    private final Location where;
    private final Set<String> expanding;
    private int pos;

    IfExpression(String text, Map<String, Scanner.Macro> macros, Location where) {
        this(text, macros, where, new HashSet<>());
    }

    private IfExpression(String text, Map<String, Scanner.Macro> macros, Location where, Set<String> expanding) {
        this.text = text;
        this.macros = macros;
        this.where = where;
        this.expanding = expanding;
    }

    long evaluate() throws XdrCompileException {
        if (text.isBlank()) {
            throw error("#if needs an expression");
        }
        long v = conditional();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.substring(pos) + "' in #if expression '" + text + "'");
        }
        return v;
    }

    private long conditional() throws XdrCompileException {
        long c = binary(0);
        if (accept("?")) {
            long a = conditional();
            expect(":");
            long b = conditional();
            return c != 0 ? a : b;
        }
        return c;
    }

    /** Binary operators by C precedence, lowest first. */
    private static final String[][] LEVELS = {
        {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"},
        {"*", "/", "%"},
    };

    private long binary(int level) throws XdrCompileException {
        if (level == LEVELS.length) {
            return unary();
        }
        long left = binary(level + 1);
        while (true) {
            String op = operatorAt(LEVELS[level]);
            if (op == null) {
                return left;
            }
            pos += op.length();
            long right = binary(level + 1);
            left = apply(op, left, right);
        }
    }

    private String operatorAt(String[] ops) {
        skipSpace();
        for (String op : ops) {
            if (text.startsWith(op, pos)) {
                // "|" must not match "||", "&" not "&&", "<" not "<<" or "<=".
                String longer = pos + op.length() < text.length() ? op + text.charAt(pos + op.length()) : "";
                if (op.length() == 1 && (longer.equals(op + op) || longer.equals(op + "="))) {
                    continue;
                }
                return op;
            }
        }
        return null;
    }

    private long apply(String op, long a, long b) throws XdrCompileException {
        return switch (op) {
            case "||" -> a != 0 || b != 0 ? 1 : 0;
            case "&&" -> a != 0 && b != 0 ? 1 : 0;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "&" -> a & b;
            case "==" -> a == b ? 1 : 0;
            case "!=" -> a != b ? 1 : 0;
            case "<" -> a < b ? 1 : 0;
            case ">" -> a > b ? 1 : 0;
            case "<=" -> a <= b ? 1 : 0;
            case ">=" -> a >= b ? 1 : 0;
            case "<<" -> a << b;
            case ">>" -> a >> b;
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/", "%" -> {
                if (b == 0) {
                    throw error("division by zero in #if expression '" + text + "'");
                }
                yield op.equals("/") ? a / b : a % b;
            }
            default -> throw new IllegalStateException(op);
        };
    }

    private long unary() throws XdrCompileException {
        if (accept("!")) {
            return unary() == 0 ? 1 : 0;
        }
        if (accept("~")) {
            return ~unary();
        }
        if (accept("-")) {
            return -unary();
        }
        if (accept("+")) {
            return unary();
        }
        return primary();
    }

    private long primary() throws XdrCompileException {
        skipSpace();
        if (accept("(")) {
            long v = conditional();
            expect(")");
            return v;
        }
        if (pos >= text.length()) {
            throw error("#if expression '" + text + "' ends early");
        }
        char c = text.charAt(pos);
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            String number = text.substring(start, pos).replaceAll("[uUlL]+$", "");
            return Scanner.parseNumber(number, where);
        }
        if (c == '_' || Character.isLetter(c)) {
            String name = identifier();
            if (name.equals("defined")) {
                boolean paren = accept("(");
                skipSpace();
                String macro = identifier();
                if (paren) {
                    expect(")");
                }
                return macros.containsKey(macro) ? 1 : 0;
            }
            Scanner.Macro m = macros.get(name);
            if (m == null || m.functionLike() || expanding.contains(name) || m.body().isBlank()) {
                if (m != null && m.body().isBlank() && !m.functionLike()) {
                    throw error("macro '" + name + "' is defined empty, so '#if " + name
                            + "' has no value: use #ifdef");
                }
                return 0;
            }
            expanding.add(name);
            long v = new IfExpression(m.body(), macros, where, expanding).evaluate();
            expanding.remove(name);
            return v;
        }
        throw error("unexpected '" + c + "' in #if expression '" + text + "'");
    }

    private String identifier() throws XdrCompileException {
        int start = pos;
        while (pos < text.length() && (text.charAt(pos) == '_' || Character.isLetterOrDigit(text.charAt(pos)))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a macro name in #if expression '" + text + "'");
        }
        return text.substring(start, pos);
    }

    private boolean accept(String s) {
        skipSpace();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void expect(String s) throws XdrCompileException {
        if (!accept(s)) {
            throw error("expected '" + s + "' in #if expression '" + text + "'");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private XdrCompileException error(String message) {
        return new XdrCompileException(where, message);
    }
}
