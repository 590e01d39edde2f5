package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Name resolution and the checks that come after parsing. */
class SchemaTest {

    @TempDir
    Path dir;

    private Schema schema(String text) throws XdrCompileException {
        return XFiles.schema(XFiles.write(dir, "s.x", text));
    }

    private String error(String text) {
        return assertThrows(XdrCompileException.class, () -> schema(text)).getMessage();
    }

    private Shape shapeOf(Schema s, String typedef) throws XdrCompileException {
        return s.shape(((Ast.Typedef) s.type(typedef)).declaration());
    }

    @Test
    void typedefChainsResolveToWhatTheyName() throws Exception {
        Schema s = schema("const MAX = 10; typedef string name<MAX>; typedef name alias; typedef alias three[3];"
                + " typedef alias *maybe; struct t { int a; }; typedef t tt; typedef tt many<>;");
        Shape.Array three = assertInstanceOf(Shape.Array.class, shapeOf(s, "three"));
        assertTrue(three.fixed());
        assertEquals(3, three.size());
        assertEquals(10, assertInstanceOf(Shape.Text.class, three.element()).max());
        assertInstanceOf(Shape.Text.class, assertInstanceOf(Shape.Optional.class, shapeOf(s, "maybe")).element());
        Shape.Array many = assertInstanceOf(Shape.Array.class, shapeOf(s, "many"));
        assertEquals(Integer.MAX_VALUE, many.size(), "<> is as many as Java can hold");
        assertEquals("t", assertInstanceOf(Shape.Defined.class, many.element()).definition().name());
    }

    @Test
    void enumMembersWithoutValuesFollowCAndAreConstants() throws Exception {
        Schema s = schema("enum e { A, B, C = 10, D }; const AFTER = D + 1;");
        assertEquals(0, s.memberValue("A"));
        assertEquals(1, s.memberValue("B"));
        assertEquals(11, s.memberValue("D"));
        assertEquals(12, s.value(new Ast.Reference("AFTER", null)));
    }

    @Test
    void libraryTypesOfRpcgenAreKnownUnlessTheFileDefinesThem() throws Exception {
        Schema s = schema("typedef uint32_t a; typedef netobj b; typedef u_char c;");
        assertEquals(Shape.Scalar.UNSIGNED_INT, ((Shape.Primitive) shapeOf(s, "a")).scalar());
        assertEquals(1024, ((Shape.Bytes) shapeOf(s, "b")).size());
        assertEquals(Shape.Scalar.UNSIGNED_CHAR, ((Shape.Primitive) shapeOf(s, "c")).scalar());
        Schema own = schema("struct netobj { int x; }; typedef netobj n;");
        assertInstanceOf(Shape.Defined.class, shapeOf(own, "n"));
    }

    @Test
    void undefinedNamesAndDuplicatesAreErrorsAtTheirUse() {
        assertTrue(error("struct s {\n  kv_valu v;\n};").contains("s.x:2:3: undefined type 'kv_valu'"));
        assertTrue(error("typedef string n<LIMIT>;").contains("s.x:1:18: undefined constant 'LIMIT'"));
        assertTrue(error("const A = 1;\nstruct A { int x; };").contains("s.x:2:1: 'A' is already defined at"));
        assertTrue(error("enum e { X = 1 };\nconst X = 2;").contains("'X' is already defined"));
        assertTrue(error("struct s { int a; hyper a; };").contains("struct 's' has two members named 'a'"));
        assertTrue(error("typedef a b; typedef b a;").contains("refers to itself"));
        assertTrue(error("const A = B; const B = A;").contains("defined in terms of itself"));
    }

    @Test
    void unionCasesMustFitTheDiscriminant() {
        assertTrue(error("enum e { A = 1 }; union u switch (e k) { case 2: int x; };")
                .contains("case 2 (2) is not a member of enum 'e'"));
        assertTrue(error("union u switch (bool b) { case 2: int x; };").contains("expected TRUE or FALSE"));
        assertTrue(error("union u switch (int k) { case 1: int x; case 1: void; };").contains("repeats the case"));
        assertTrue(error("union u switch (hyper k) { case 1: int x; };").contains("discriminant must be int, unsigned"
                + " int, bool or an enum"));
        assertTrue(error("union u switch (unsigned k) { case 0x100000000: int x; };")
                .contains("does not fit an unsigned int"));
    }

    @Test
    void sizesAndNumbersAreChecked() {
        assertTrue(error("typedef opaque o[-1];").contains("negative length -1"));
        assertTrue(error("typedef opaque o[0x100000000];").contains("more than a Java array holds"));
        assertTrue(error("program P { version V { void A(void) = 5000; } = 1; } = 1;")
                .contains("procedure number 5000: Ripcord's RpcProgram serves procedures 0 to 4095"));
        assertTrue(error("program P { version V { void A(void) = 1; int A(int) = 2; } = 1; } = 1;")
                .contains("two procedures named 'A'"));
        assertTrue(error("program P { version V { void A(void) = 1; } = 1; version W { void B(void) = 1; } = 1;"
                + " } = 1;").contains("version number 1 repeats"));
        assertTrue(error("typedef int *p; struct s { p *q; };").contains("optional-data of optional-data"));
        assertTrue(error("enum e { BIG = 0x80000000 };").contains("does not fit a 32-bit int"));
    }

    @Test
    void aMaximumAboveWhatJavaHoldsMeansNoMaximum() throws Exception {
        Schema s = schema("typedef opaque o<0xffffffff>;");
        assertEquals(Integer.MAX_VALUE, ((Shape.Bytes) shapeOf(s, "o")).size());
    }

    @Test
    void theSameDefinitionReachedTwiceCountsOnce() throws Exception {
        XFiles.write(dir, "common.x", "struct shared { int a; };\n");
        Path a = XFiles.write(dir, "a.x", "#include \"common.x\"\n#include \"common.x\"\ntypedef shared s1;\n");
        Schema s = XFiles.schema(a);
        assertEquals(2, s.definitions().size());
    }

    @Test
    void linkedListsAreFoundAndTreesAreDepthGuarded() throws Exception {
        Schema s = schema("struct node { int v; node *next; }; struct tree { tree *l; tree *r; };"
                + " struct a { b *x; }; struct b { a *y; }; struct plain { int q; };");
        assertEquals(1, Schema.selfLink(s, (Ast.Struct) s.type("node")));
        assertEquals(1, Schema.selfLink(s, (Ast.Struct) s.type("tree")), "a tree is a list along its last link");
        assertTrue(!s.depthGuarded(s.type("node")), "a list is decoded in a loop, not guarded");
        assertTrue(s.depthGuarded(s.type("tree")), "and recursive along the other");
        assertTrue(s.depthGuarded(s.type("a")) && s.depthGuarded(s.type("b")), "mutual recursion");
        assertTrue(!s.depthGuarded(s.type("plain")));
    }
}
