package io.ripcord.xdrgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@code .x} file into tokens, doing on the way the part of the C preprocessor that rpcgen users rely
 * on (rpcgen runs {@code cpp} first): {@code #define} of object-like macros (substituted in the code),
 * {@code #undef}, {@code #ifdef}, {@code #ifndef}, {@code #if} and {@code #elif} with C's integer expressions
 * and {@code defined}, {@code #else}, {@code #endif}, {@code #include "file"} and {@code <file>}, and
 * {@code #error}. {@code #pragma}, {@code #ident}, {@code #line} and line markers are ignored. Lines that
 * start with {@code %} are rpcgen's pass-through to the C output and mean nothing to Java: they are dropped.
 * Comments ({@code /* *}{@code /} and {@code //}) are skipped; one that starts and ends on a line is kept for
 * the javadoc of what that line declares.
 *
 * <p>One scanner reads one compilation, on one thread.
 */
final class Scanner {

    private static final String PUNCTUATION = "{}[]<>(),;:=*+-/%&|^~!?";
    private static final int MAX_INCLUDE_DEPTH = 64;

    /** An object-like macro (or a function-like one, which xdrgen refuses to expand). */
    record Macro(String name, String body, boolean functionLike) {
    }

    /** One open {@code #if}: whether its enclosing region is live, this branch is, and one was taken. */
    private static final class Conditional {
        final boolean parentActive;
        boolean active;
        boolean taken;
        boolean sawElse;
        final Location where;

        Conditional(boolean parentActive, boolean active, Location where) {
            this.parentActive = parentActive;
            this.active = parentActive && active;
            this.taken = this.active;
            this.where = where;
        }
    }

    private final List<Path> includeDirectories;
    private final Map<String, Macro> macros = new HashMap<>();
    private final Map<String, String> comments = new HashMap<>();
    private final Deque<Conditional> conditionals = new ArrayDeque<>();
    private final Deque<Path> including = new ArrayDeque<>();
    private final List<Token> tokens = new ArrayList<>();
    private final List<PassThroughDefine> passThroughDefines = new ArrayList<>();
    private int openInIncludingFiles;
    /** Just after the last character of the file scanned first: where "the end of the file" is. */
    private Location end;

    Scanner(Map<String, String> defines, List<Path> includeDirectories) {
        this.includeDirectories = List.copyOf(includeDirectories);
        defines.forEach((name, value) -> macros.put(name, new Macro(name, value, false)));
    }

    /** Every token of {@code file} and what it includes, ending with {@link Token.Kind#END}. */
    List<Token> scan(Path file) throws XdrCompileException {
        scanFile(file.toAbsolutePath().normalize(), file);
        tokens.add(new Token(Token.Kind.END, "", 0, end));
        return tokens;
    }

    /**
     * A {@code %#define NAME body} line: C that rpcgen copies out, whose constant real files use in the .x. One
     * in an inactive region still counts when nothing else defines the name: rpcgen's passes (RPC_HDR,
     * RPC_XDR, ...) end up in one C program, and the Java is all of them at once.
     */
    record PassThroughDefine(String name, List<Token> body, Location where, boolean active) {
    }

    private static final java.util.regex.Pattern PERCENT_DEFINE =
            java.util.regex.Pattern.compile("%\\s*#\\s*define\\s+([A-Za-z_][A-Za-z0-9_]*)([ \\t].*)?$");

    private void passThrough(String line, Location where, boolean active) {
        java.util.regex.Matcher m = PERCENT_DEFINE.matcher(line);
        if (!m.matches() || m.group(2) == null) {
            return;
        }
        List<Token> body = new ArrayList<>();
        try {
            lex(stripComments(m.group(2)), where, false, true, (t, o) -> o.add(t), body);
        } catch (XdrCompileException e) {
            return; // C that is no constant expression (a cast, a string): nothing for Java
        }
        if (!body.isEmpty()) {
            body.add(new Token(Token.Kind.END, "", 0, where));
            passThroughDefines.add(new PassThroughDefine(m.group(1), body, where, active));
        }
    }

    /** The {@code %#define} lines, those of active regions first, each group in order. */
    List<PassThroughDefine> passThroughDefines() {
        List<PassThroughDefine> out = new ArrayList<>();
        for (boolean active : new boolean[] {true, false}) {
            for (PassThroughDefine d : passThroughDefines) {
                if (d.active() == active) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The one-line comment that starts on {@code where}'s line, or {@code null}. */
    String commentAt(Location where) {
        return comments.get(where.path() + ":" + where.line());
    }

    private boolean active() {
        return conditionals.isEmpty() || conditionals.peek().active;
    }

    private void scanFile(Path absolute, Path shown) throws XdrCompileException {
        if (including.contains(absolute)) {
            throw new XdrCompileException(shown, "includes itself (through " + including + ")");
        }
        if (including.size() >= MAX_INCLUDE_DEPTH) {
            throw new XdrCompileException(shown, "#include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        }
        String content;
        try {
            content = new String(Files.readAllBytes(absolute), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new XdrCompileException(shown, "cannot read: " + e);
        }
        including.push(absolute);
        int openAtStart = conditionals.size();
        int outerBase = openInIncludingFiles;
        openInIncludingFiles = openAtStart;
        String[] lines = content.split("\r?\n", -1);
        if (end == null) {
            String last = lines[lines.length - 1];
            end = last.isEmpty() && lines.length > 1 ? Location.of(shown, lines.length - 1, lines[lines.length - 2].length() + 1)
                    : Location.of(shown, lines.length, last.length() + 1);
        }
        boolean inComment = false;
        Location commentStart = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (!inComment) {
                String trimmed = line.stripLeading();
                if (trimmed.startsWith("#")) {
                    StringBuilder joined = new StringBuilder(line);
                    while (joined.length() > 0 && joined.charAt(joined.length() - 1) == '\\' && i + 1 < lines.length) {
                        joined.setLength(joined.length() - 1);
                        joined.append(lines[++i]);
                    }
                    int column = line.length() - trimmed.length() + 1;
                    Location where = Location.of(shown, lineNo, column);
                    String text = joined.substring(column - 1);
                    int open = text.indexOf("/*");
                    if (open >= 0 && text.indexOf("*/", open + 2) < 0) {
                        inComment = true;
                        commentStart = where;
                        text = text.substring(0, open);
                    }
                    directive(stripComments(text), where, absolute);
                    continue;
                }
                if (line.startsWith("%")) {
                    passThrough(line, Location.of(shown, lineNo, 1), active());
                    continue;
                }
            }
            Location lineStart = Location.of(shown, lineNo, 1);
            boolean wasInComment = inComment;
            inComment = lex(line, lineStart, inComment, active(), this::expand, tokens);
            if (inComment && !wasInComment) {
                commentStart = Location.of(shown, lineNo, line.indexOf("/*") + 1);
            }
        }
        if (inComment) {
            throw new XdrCompileException(commentStart, "comment is not closed before the end of the file");
        }
        if (conditionals.size() > openAtStart) {
            throw new XdrCompileException(conditionals.peek().where, "#if without #endif in this file");
        }
        including.pop();
        openInIncludingFiles = outerBase;
    }

    /**
     * Lexes one line into {@code sink}; returns whether a block comment is open at its end. With {@code emit}
     * false only comments are tracked (an inactive {@code #if} branch).
     */
    private boolean lex(String line, Location lineStart, boolean inComment, boolean emit,
                        TokenSink sink, List<Token> out) throws XdrCompileException {
        int p = 0;
        int n = line.length();
        while (p < n) {
            if (inComment) {
                int end = line.indexOf("*/", p);
                if (end < 0) {
                    return true;
                }
                p = end + 2;
                inComment = false;
                continue;
            }
            char c = line.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
                continue;
            }
            if (c == '/' && p + 1 < n && line.charAt(p + 1) == '*') {
                int end = line.indexOf("*/", p + 2);
                if (end < 0) {
                    return true;
                }
                keepComment(lineStart, line.substring(p + 2, end));
                p = end + 2;
                continue;
            }
            if (c == '/' && p + 1 < n && line.charAt(p + 1) == '/') {
                keepComment(lineStart, line.substring(p + 2));
                break;
            }
            Location where = new Location(lineStart.path(), lineStart.fileName(), lineStart.line(), p + 1);
            if (!emit) {
                p++;
                continue;
            }
            int start = p;
            if (c == '_' || Character.isLetter(c)) {
                while (p < n && (line.charAt(p) == '_' || Character.isLetterOrDigit(line.charAt(p)))) {
                    p++;
                }
                sink.accept(new Token(Token.Kind.IDENTIFIER, line.substring(start, p), 0, where), out);
            } else if (Character.isDigit(c)) {
                while (p < n && (line.charAt(p) == '_' || Character.isLetterOrDigit(line.charAt(p)))) {
                    p++;
                }
                String text = line.substring(start, p);
                sink.accept(new Token(Token.Kind.NUMBER, text, parseNumber(text, where), where), out);
            } else if (c == '"') {
                int end = p + 1;
                while (end < n && line.charAt(end) != '"') {
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= n) {
                    throw new XdrCompileException(where, "string is not closed on its line");
                }
                sink.accept(new Token(Token.Kind.STRING, line.substring(p + 1, end), 0, where), out);
                p = end + 1;
            } else if ((c == '<' || c == '>') && p + 1 < n && line.charAt(p + 1) == c) {
                p += 2;
                sink.accept(new Token(Token.Kind.PUNCTUATION, line.substring(start, p), 0, where), out);
            } else if (PUNCTUATION.indexOf(c) >= 0) {
                p++;
                sink.accept(new Token(Token.Kind.PUNCTUATION, String.valueOf(c), 0, where), out);
            } else {
                throw new XdrCompileException(where, "unexpected character '" + c + "'");
            }
        }
        return inComment;
    }

    @FunctionalInterface
    private interface TokenSink {
        void accept(Token token, List<Token> out) throws XdrCompileException;
    }

    private void keepComment(Location lineStart, String text) {
        String t = text.strip();
        if (!t.isEmpty()) {
            comments.putIfAbsent(lineStart.path() + ":" + lineStart.line(), t);
        }
    }

    /** Adds a token, replacing a macro's name by its body (not inside its own expansion, as cpp does). */
    private void expand(Token token, List<Token> out) throws XdrCompileException {
        expand(token, out, new HashSet<>());
    }

    private void expand(Token token, List<Token> out, Set<String> expanding) throws XdrCompileException {
        Macro m = token.kind() == Token.Kind.IDENTIFIER ? macros.get(token.text()) : null;
        if (m == null || expanding.contains(m.name())) {
            out.add(token);
            return;
        }
        if (m.functionLike()) {
            throw new XdrCompileException(token.where(), "function-like macro '" + m.name()
                    + "' is not supported: expand it by hand or make it a const");
        }
        expanding.add(m.name());
        Location at = token.where();
        lex(m.body(), at, false, true, (t, o) -> expand(new Token(t.kind(), t.text(), t.value(), at), o, expanding),
                out);
        expanding.remove(m.name());
    }

    static long parseNumber(String text, Location where) throws XdrCompileException {
        try {
            if (text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"))) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (text.length() > 1 && text.startsWith("0")) {
                return Long.parseUnsignedLong(text.substring(1), 8);
            }
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new XdrCompileException(where, "malformed number '" + text
                    + "': expected decimal, 0x hexadecimal or 0 octal digits within 64 bits");
        }
    }

    // --- directives ----------------------------------------------------------------------------------------

    private void directive(String text, Location where, Path currentFile) throws XdrCompileException {
        String rest = text.substring(1).strip();
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
            end++;
        }
        String name = rest.substring(0, end);
        String argument = rest.substring(end).strip();
        switch (name) {
            case "ifdef", "ifndef" -> {
                boolean defined = active() && macros.containsKey(requireName(argument, name, where));
                conditionals.push(new Conditional(active(), defined == name.equals("ifdef"), where));
            }
            case "if" -> {
                boolean parent = active();
                conditionals.push(new Conditional(parent, parent && evaluate(argument, where), where));
            }
            case "elif" -> {
                Conditional c = open(name, where);
                if (c.sawElse) {
                    throw new XdrCompileException(where, "#elif after #else (the #if is at " + c.where + ")");
                }
                c.active = c.parentActive && !c.taken && evaluate(argument, where);
                c.taken |= c.active;
            }
            case "else" -> {
                Conditional c = open(name, where);
                if (c.sawElse) {
                    throw new XdrCompileException(where, "second #else (the #if is at " + c.where + ")");
                }
                c.sawElse = true;
                c.active = c.parentActive && !c.taken;
                c.taken = true;
            }
            case "endif" -> open(name, where);
            default -> {
                if (active()) {
                    activeDirective(name, argument, where, currentFile);
                }
            }
        }
        if (name.equals("endif")) {
            conditionals.pop();
        }
    }

    private Conditional open(String name, Location where) throws XdrCompileException {
        // An #if of an including file cannot be closed here, as cpp requires.
        if (conditionals.size() <= openInIncludingFiles) {
            throw new XdrCompileException(where, "#" + name + " without #if");
        }
        return conditionals.peek();
    }

    private void activeDirective(String name, String argument, Location where, Path currentFile)
            throws XdrCompileException {
        switch (name) {
            case "define" -> define(argument, where);
            case "undef" -> macros.remove(requireName(argument, name, where));
            case "include" -> include(argument, where, currentFile);
            case "error" -> throw new XdrCompileException(where, "#error " + argument);
            case "", "pragma", "ident", "sccs", "line", "warning" -> {
                // Nothing for Java: compiler hints, version strings, line bookkeeping, warnings meant for cpp.
            }
            default -> {
                if (!Character.isDigit(name.charAt(0))) {
                    throw new XdrCompileException(where, "unknown preprocessor directive '#" + name
                            + "': expected #define, #undef, #if, #ifdef, #ifndef, #elif, #else, #endif, #include"
                            + " or #error");
                }
                // "# 12 "file"": a line marker from an earlier cpp pass; positions stay those of this file.
            }
        }
    }

    private static String requireName(String argument, String directive, Location where) throws XdrCompileException {
        int end = 0;
        while (end < argument.length() && (argument.charAt(end) == '_' || Character.isLetterOrDigit(argument.charAt(end)))) {
            end++;
        }
        if (end == 0 || Character.isDigit(argument.charAt(0))) {
            throw new XdrCompileException(where, "#" + directive + " needs a macro name");
        }
        return argument.substring(0, end);
    }

    private void define(String argument, Location where) throws XdrCompileException {
        String name = requireName(argument, "define", where);
        String after = argument.substring(name.length());
        boolean functionLike = after.startsWith("(");
        macros.put(name, new Macro(name, functionLike ? after : after.strip(), functionLike));
    }

    private void include(String argument, Location where, Path currentFile) throws XdrCompileException {
        if (argument.length() < 2) {
            throw new XdrCompileException(where, "#include needs \"file\" or <file>");
        }
        char open = argument.charAt(0);
        char close = open == '"' ? '"' : open == '<' ? '>' : 0;
        int end = close == 0 ? -1 : argument.indexOf(close, 1);
        if (end < 0) {
            throw new XdrCompileException(where, "#include needs \"file\" or <file>, got " + argument);
        }
        String name = argument.substring(1, end);
        List<Path> searched = new ArrayList<>();
        if (open == '"') {
            searched.add(currentFile.getParent());
        }
        searched.addAll(includeDirectories);
        for (Path dir : searched) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                // Errors show an included file as the including one was shown when it sits beside it.
                Path shown = dir.equals(currentFile.getParent()) ? where.path().resolveSibling(name) : candidate;
                scanFile(candidate.toAbsolutePath().normalize(), shown);
                return;
            }
        }
        throw new XdrCompileException(where, "cannot find include file " + argument + " (searched " + searched + ")");
    }

    private boolean evaluate(String expression, Location where) throws XdrCompileException {
        return new IfExpression(expression, macros, where).evaluate() != 0;
    }

    /** The text of a directive line without its comments. */
    private static String stripComments(String text) {
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < text.length()) {
            int block = text.indexOf("/*", p);
            int line = text.indexOf("//", p);
            if (line >= 0 && (block < 0 || line < block)) {
                out.append(text, p, line);
                break;
            }
            if (block < 0) {
                out.append(text, p, text.length());
                break;
            }
            out.append(text, p, block).append(' ');
            int end = text.indexOf("*/", block + 2);
            p = end < 0 ? text.length() : end + 2;
        }
        return out.toString().strip();
    }

}
