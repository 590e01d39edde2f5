package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cpp subset rpcgen users rely on, done by {@link Scanner} before the parser sees a token. */
class PreprocessorTest {

    @TempDir
    Path dir;

    private String scan(String text, Map<String, String> defines) throws XdrCompileException {
        return XFiles.texts(XFiles.tokens(XFiles.write(dir, "t.x", text), defines, List.of()));
    }

    private XdrCompileException fails(String text) {
        return assertThrows(XdrCompileException.class, () -> scan(text, Map.of()));
    }

    @Test
    void objectLikeMacrosAreSubstitutedInCodeAfterTheirDefinition() throws Exception {
        assertEquals("const A = MAX ; const B = 255 ; const C = 254 + 1 ;",
                scan("const A = MAX;\n#define MAX 255\nconst B = MAX;\n#define TWICE 254 + 1\nconst C = TWICE;\n",
                        Map.of()));
    }

    @Test
    void macroDoesNotExpandInsideItsOwnExpansion() throws Exception {
        assertEquals("const A = X + 1 ;", scan("#define X X + 1\nconst A = X;\n", Map.of()));
    }

    @Test
    void undefEndsAMacro() throws Exception {
        assertEquals("const A = 3 ; const B = N ;", scan("#define N 3\nconst A = N;\n#undef N\nconst B = N;\n",
                Map.of()));
    }

    @Test
    void ifdefIfndefElseFollowConfiguredSymbols() throws Exception {
        String text = """
                #ifdef RPC_HDR
                const HDR = 1;
                #else
                const NOT_HDR = 1;
                #endif
                #ifndef RPC_XDR
                const NO_XDR = 1;
                #endif
                """;
        assertEquals("const HDR = 1 ;const NO_XDR = 1 ;".replace(";c", "; c"), scan(text, Map.of("RPC_HDR", "1")));
        assertEquals("const NOT_HDR = 1 ; const NO_XDR = 1 ;", scan(text, Map.of()));
    }

    @Test
    void ifAndElifEvaluateCExpressionsWithDefined() throws Exception {
        String text = """
                #if defined(RPC_SVC) && !defined RPC_CLNT
                const SVC_ONLY = 1;
                #elif VERSION >= 3 || (0x10 == 16 && 010 == 8)
                const NEW = 1;
                #else
                const OTHER = 1;
                #endif
                """;
        assertEquals("const SVC_ONLY = 1 ;", scan(text, Map.of("RPC_SVC", "1")));
        assertEquals("const NEW = 1 ;", scan(text, Map.of("RPC_SVC", "1", "RPC_CLNT", "1")));
        assertEquals("const NEW = 1 ;", scan(text, Map.of("VERSION", "3")));
        assertEquals("const NEW = 1 ;", scan(text.replace("010 == 8", "010 == 8u"), Map.of()));
        assertEquals("const OTHER = 1 ;", scan(text.replace("0x10 == 16", "0x10 == 15"), Map.of()));
    }

    @Test
    void nestedConditionalsInsideAnInactiveBranchStayInactive() throws Exception {
        String text = """
                #ifdef NOPE
                #ifdef ALSO_NOPE
                #else
                const HIDDEN = 1;
                #endif
                #bogus directives are not read here
                #else
                const SHOWN = 1;
                #endif
                """;
        assertEquals("const SHOWN = 1 ;", scan(text, Map.of()));
    }

    @Test
    void percentLinesArePassThroughForCAndMeanNothingToJava() throws Exception {
        assertEquals("const A = 1 ;", scan("%#include <rpc/types.h>\n%/* not a comment opener for us\nconst A = 1;\n",
                Map.of()));
    }

    @Test
    void commentsAreSkippedAndADirectiveInsideACommentIsNotOne() throws Exception {
        assertEquals("const A = 1 ; const B = 2 ;",
                scan("/* a\n#error not a directive\n*/ const A = 1; // line\nconst /* inline */ B = 2;\n", Map.of()));
    }

    @Test
    void includeReadsTheFileBesideTheIncluderThenTheIncludeDirectories() throws Exception {
        XFiles.write(dir, "common.x", "const COMMON = 1;\n");
        Path elsewhere = dir.resolve("inc");
        XFiles.write(elsewhere, "shared.x", "const SHARED = 2;\n");
        Path main = XFiles.write(dir, "main.x", "#include \"common.x\"\n#include <shared.x>\nconst MAIN = 3;\n");
        List<Token> tokens = XFiles.tokens(main, Map.of(), List.of(elsewhere));
        assertEquals("const COMMON = 1 ; const SHARED = 2 ; const MAIN = 3 ;", XFiles.texts(tokens));
        assertEquals("common.x", tokens.get(0).where().fileName(), "a token from an include names its own file");
        assertEquals("shared.x", tokens.get(5).where().fileName());
    }

    @Test
    void missingIncludeNamesFileLineAndTheSearchedDirectories() {
        XdrCompileException e = fails("const A = 1;\n#include \"nowhere.x\"\n");
        assertTrue(e.getMessage().contains("t.x:2:1: cannot find include file \"nowhere.x\""), e.getMessage());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void aFileThatIncludesItselfIsAnError() {
        XFiles.write(dir, "loop.x", "#include \"loop.x\"\n");
        XdrCompileException e = assertThrows(XdrCompileException.class,
                () -> XFiles.tokens(dir.resolve("loop.x"), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("includes itself"), e.getMessage());
    }

    @Test
    void unbalancedConditionalsAreErrorsAtTheirLines() {
        assertTrue(fails("#endif\n").getMessage().contains("t.x:1:1: #endif without #if"));
        assertTrue(fails("const A = 1;\n#ifdef X\nconst B = 2;\n").getMessage().contains("t.x:2:1: #if without #endif"));
        assertTrue(fails("#ifdef X\n#else\n#else\n#endif\n").getMessage().contains("t.x:3:1: second #else"));
    }

    @Test
    void errorDirectiveUnknownDirectiveAndFunctionLikeMacroAreRefused() {
        assertTrue(fails("#error this file needs RPC_HDR\n").getMessage().contains("t.x:1:1: #error this file needs RPC_HDR"));
        assertTrue(fails("  #frobnicate\n").getMessage().contains("t.x:1:3: unknown preprocessor directive '#frobnicate'"));
        XdrCompileException e = fails("#define SQ(x) ((x)*(x))\nconst A = SQ(3);\n");
        assertTrue(e.getMessage().contains("t.x:2:11: function-like macro 'SQ' is not supported"), e.getMessage());
    }

    @Test
    void unterminatedCommentAndStrayCharactersAreErrorsAtTheirPlace() {
        assertTrue(fails("const A = 1;\n  /* open\n").getMessage().contains("t.x:2:3: comment is not closed"));
        assertTrue(fails("const A = @;\n").getMessage().contains("t.x:1:11: unexpected character '@'"));
        assertTrue(fails("const A = 09;\n").getMessage().contains("t.x:1:11: malformed number '09'"));
    }

    @Test
    void numbersKeepTheirBaseAndValue() throws Exception {
        List<Token> t = XFiles.tokens(XFiles.write(dir, "n.x", "0x20000B0B 0170000 42 0"), Map.of(), List.of());
        assertEquals(0x20000B0BL, t.get(0).value());
        assertEquals(0170000L, t.get(1).value());
        assertEquals(42L, t.get(2).value());
        assertEquals(0L, t.get(3).value());
        assertEquals("0x20000B0B", t.get(0).text());
    }

    @Test
    void oneLineCommentsAreKeptForTheJavadocOfTheirLine() throws Exception {
        Path f = XFiles.write(dir, "c.x", "enum e {\n  A = 1, /* the first */\n  B = 2 // the second\n};\n");
        Scanner s = new Scanner(Map.of(), List.of());
        List<Token> tokens = s.scan(f);
        assertEquals("the first", s.commentAt(tokens.get(3).where()));
        assertEquals("the second", s.commentAt(tokens.get(8).where()));
    }
}
