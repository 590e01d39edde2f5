package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RFC 4506 section 6.3 / RFC 5531 section 12.2 grammar with rpcgen's extensions, and its error messages. */
class ParserTest {

    @TempDir
    Path dir;

    private List<Ast.Definition> parse(String text) throws XdrCompileException {
        return XFiles.parse(XFiles.write(dir, "p.x", text));
    }

    private String error(String text) {
        return assertThrows(XdrCompileException.class, () -> parse(text)).getMessage();
    }

    @Test
    void everythingXParsesIntoItsDefinitionsInOrder() throws Exception {
        List<Ast.Definition> defs = XFiles.parse(Path.of("src/test/resources/x/everything.x"));
        String names = defs.stream().map(Ast.Definition::name).collect(Collectors.joining(" "));
        assertEquals("MAX_ITEMS HEX_MASK OCTAL_MODE NEGATIVE DERIVED BIG color shade alias_kind name alias_name handle"
                + " blob ints counts hypers colors scalars holder shape result maybe_value by_unsigned node node_list"
                + " tree with_inline_point with_inline_state with_inline pair_t DEMO_PROG", names);
    }

    @Test
    void declarationsTakeEveryForm() throws Exception {
        Ast.Struct s = (Ast.Struct) parse("struct s { int a; int b[3]; int c<4>; int d<>; int *e; opaque f[2];"
                + " opaque g<>; string h<9>; unsigned i; unsigned hyper j; struct t k; };").get(0);
        List<Ast.Declaration> f = s.fields();
        assertEquals(Ast.Form.PLAIN, f.get(0).form());
        assertEquals(Ast.Form.FIXED_ARRAY, f.get(1).form());
        assertEquals(Ast.Form.VARIABLE_ARRAY, f.get(2).form());
        assertNull(f.get(3).size(), "<> has no maximum");
        assertEquals(Ast.Form.OPTIONAL, f.get(4).form());
        assertEquals(Ast.BuiltinType.OPAQUE, ((Ast.Builtin) f.get(5).type()).type());
        assertEquals(Ast.BuiltinType.STRING, ((Ast.Builtin) f.get(7).type()).type());
        assertEquals(Ast.BuiltinType.UNSIGNED_INT, ((Ast.Builtin) f.get(8).type()).type(), "unsigned alone");
        assertEquals(Ast.BuiltinType.UNSIGNED_HYPER, ((Ast.Builtin) f.get(9).type()).type());
        assertEquals("t", ((Ast.Named) f.get(10).type()).name(), "struct NAME refers to a type");
    }

    @Test
    void procedureArgumentsMayBeVoidOneOrSeveralAndNamed() throws Exception {
        Ast.Program p = (Ast.Program) parse("program P { version V { void A(void) = 0; int B(int) = 1;"
                + " int C(int x, hyper y, string) = 2; struct r D(s) = 3; } = 1; } = 7;").get(0);
        List<Ast.Procedure> procs = p.versions().get(0).procedures();
        assertTrue(procs.get(0).arguments().isEmpty());
        assertEquals(1, procs.get(1).arguments().size());
        assertEquals("x", procs.get(2).arguments().get(0).name());
        assertNull(procs.get(2).arguments().get(2).name());
        assertEquals(Ast.BuiltinType.STRING, ((Ast.Builtin) procs.get(2).arguments().get(2).type()).type());
        assertEquals("r", ((Ast.Named) procs.get(3).result()).name());
    }

    @Test
    void unionArmsShareLabelsAndTakeADefault() throws Exception {
        Ast.Union u = (Ast.Union) parse("union u switch (int k) { case 1: case 2: int a; case 3: void;"
                + " default: hyper b; };").get(0);
        assertEquals(2, u.arms().get(0).labels().size());
        assertEquals(Ast.Form.VOID, u.arms().get(1).declaration().form());
        assertEquals("b", u.defaultArm().declaration().name());
    }

    @Test
    void inlineTypesBecomeTopLevelDefinitionsNamedAfterTheirContainer() throws Exception {
        List<Ast.Definition> defs = parse("typedef struct { int a; } pair; struct outer { enum { X = 1 } kind;"
                + " struct { struct { int z; } inner; } mid; };");
        assertEquals("pair outer_kind outer_mid_inner outer_mid outer",
                defs.stream().map(Ast.Definition::name).collect(Collectors.joining(" ")));
        assertInstanceOf(Ast.Struct.class, defs.get(0), "typedef struct {...} pair; is struct pair");
        Ast.Struct outer = (Ast.Struct) defs.get(4);
        assertEquals("outer_kind", ((Ast.Named) outer.fields().get(0).type()).name());
    }

    @Test
    void expressionsKeepCPrecedence() throws Exception {
        Schema s = XFiles.schema(XFiles.write(dir, "e.x", "const A = 1 + 2 * 3; const B = (1 + 2) * 3;"
                + " const C = 1 << 4 | 3; const D = -A + ~0; const E = 0x10 / 4 % 3;"));
        assertEquals(7, s.value(new Ast.Reference("A", null)));
        assertEquals(9, s.value(new Ast.Reference("B", null)));
        assertEquals(19, s.value(new Ast.Reference("C", null)));
        assertEquals(-8, s.value(new Ast.Reference("D", null)));
        assertEquals(1, s.value(new Ast.Reference("E", null)));
    }

    @Test
    void errorsNameFileLineColumnAndWhatWasExpected() {
        assertTrue(error("struct s {\n  int a\n};").contains("p.x:3:1: expected ';' after the struct member 'a', found '}'"),
                error("struct s {\n  int a\n};"));
        assertTrue(error("const = 3;").contains("p.x:1:7: expected a constant name after 'const', found '='"));
        assertTrue(error("typedef int;").contains("p.x:1:12: expected a name after the type, found ';'"));
        assertTrue(error("union u switch (int k) { int a; };")
                .contains("p.x:1:26: expected 'case', 'default' or '}' in the union body, found 'int'"));
        assertTrue(error("program P { version V { int A(int) = 1 } = 1; } = 2;")
                .contains("p.x:1:40: expected ';' after the procedure number, found '}'"));
        assertTrue(error("struct s { int string; };").contains("('string' is a keyword)"));
        assertTrue(error("foo bar;").contains("p.x:1:1: expected a definition: const, typedef, enum, struct, union or"
                + " program, found 'foo'"));
        assertTrue(error("struct s { string x; };").contains("expected '<' after the string's name"));
        assertTrue(error("const A = 1").contains("p.x:1:12: expected ';' after the constant's value, found the end of the"
                + " file"));
    }

    @Test
    void quadrupleIsRefusedWithAReason() {
        String e = error("struct s { quadruple q; };");
        assertTrue(e.contains("p.x:1:12: quadruple (128-bit float, RFC 4506 section 4.8) has no Java type"), e);
    }
}
