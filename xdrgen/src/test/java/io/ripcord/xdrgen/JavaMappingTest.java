package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What each {@code .x} construct becomes in Java: the mapping table of the README, checked on everything.x. */
class JavaMappingTest {

    private static final Generated G = RoundTripProperties.EVERYTHING;

    private static Map<String, String> components(String cls) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : G.type(cls).getRecordComponents()) {
            out.put(c.getName(), c.getGenericType().getTypeName().replace(G.packageName + ".", "")
                    .replace("java.lang.", "").replace("java.util.", ""));
        }
        return out;
    }

    private static Object decode(String xdrName, String hex) throws XdrException {
        return G.types().get(xdrName).decodeExactly(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    @Test
    void generatedJavaCompilesWithoutAWarning() {
        assertEquals(java.util.List.of(), G.compiled.warnings());
    }

    @Test
    void scalarsMapToPrimitivesAndUnsignedIntToLong() {
        assertEquals("{i=int, u=long, alone=long, h=long, uh=long, f=float, d=double, b=boolean, c=int, uc=int,"
                + " s=int, us=int, l=int, ul=long, u32=long, byte_=int}", components("Scalars").toString());
    }

    @Test
    void opaqueIsBytesStringIsStringArraysAreListsOptionalIsNullable() {
        assertEquals("{title=String, fixedHandle=byte[], payload=byte[], inlineFixed=byte[], inlineVar=byte[],"
                + " unbounded=String, numbers=List<Integer>, three=List<Long>, tint=Color, palette=List<Color>,"
                + " maybe=Scalars, names=List<String>, blobs=List<byte[]>, nested=Scalars}",
                components("Holder").toString());
    }

    @Test
    void typedefsGetNoClassButARegistryEntry() {
        for (String typedef : new String[] {"Name", "AliasName", "Handle", "Blob", "Ints", "NodeList"}) {
            assertFalse(G.hasClass(typedef), typedef);
        }
        assertTrue(G.types().containsKey("alias_name"));
        assertEquals(java.util.List.of("color", "shade", "alias_kind", "name", "alias_name", "handle", "blob", "ints",
                "counts", "hypers", "colors", "scalars", "holder", "shape", "result", "maybe_value", "by_unsigned",
                "node", "node_list", "tree", "with_inline_point", "with_inline_state", "with_inline", "pair_t"),
                java.util.List.copyOf(G.types().keySet()), "every type by .x name, in file order");
    }

    @Test
    void enumsAreJavaEnumsAndAnUndeclaredValueIsAnXdrException() throws Exception {
        Class<?> color = G.type("Color");
        assertTrue(color.isEnum());
        assertEquals("BLUE", decode("color", "00000007").toString());
        XdrException e = assertThrows(XdrException.class, () -> decode("color", "00000003"));
        assertEquals("color has no member 3", e.getMessage());
        assertEquals(6, ((Enum<?>) decode("shade", "00000006")).ordinal() + 3, "DIMMER = 6 after DIM = 5");
    }

    @Test
    void anEnumAliasIsTheFirstMemberWithItsValue() throws Exception {
        Class<?> kind = G.type("AliasKind");
        assertSame(kind.getField("FIRST").get(null), kind.getField("PRIMARY").get(null));
        assertEquals(2, kind.getEnumConstants().length);
        assertSame(kind.getField("FIRST").get(null), G.types().get("alias_kind").parse("PRIMARY"));
    }

    @Test
    void unionsAreSealedInterfacesWithOneRecordPerArm() throws Exception {
        Class<?> shape = G.type("Shape");
        assertTrue(shape.isSealed() && shape.isInterface());
        assertEquals("[Red, GreenOrBlue, Default]", java.util.Arrays.stream(shape.getPermittedSubclasses())
                .map(Class::getSimpleName).toList().toString());
        Object green = decode("shape", "00000001 00000002 6869 0000");
        assertEquals("GreenOrBlue", green.getClass().getSimpleName());
        assertEquals("{kind: GREEN, label: \"hi\"}", green.toString());
        Object deflt = decode("result", "00000063 00000002 6e6f0000");
        assertEquals("{status: 99, reason: \"no\"}", deflt.toString(), "the default arm carries the discriminant");
        assertThrows(XdrException.class, () -> decode("by_unsigned", "00000002"), "no arm, no default");
        assertEquals("{code: 4294967295, tag: 0xabcd}", decode("by_unsigned", "ffffffff abcd0000").toString(),
                "an unsigned discriminant never goes negative");
    }

    @Test
    void anArmsRecordChecksItsDiscriminant() throws Exception {
        Class<?> arm = G.type("Result$CaseMinus1OrCase1");
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> arm.getConstructor(int.class).newInstance(5));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        Class<?> deflt = G.type("Result$Default");
        assertThrows(InvocationTargetException.class, () -> deflt.getConstructor(int.class, String.class).newInstance(0, "x"),
                "0 has an arm of its own");
    }

    @Test
    void unsignedValuesNeverGoNegativeAndAreCheckedOnConstruction() throws Exception {
        XdrType<?> counts = G.types().get("counts");
        assertEquals("[4294967295, 0, 1]", counts.decodeExactly(ByteBuffer.wrap(HexFormat.of()
                .parseHex("ffffffff0000000000000001"))).toString());
        Object scalars = decode("scalars", "00000000".repeat(2) + "ffffffff" + "00000000".repeat(16));
        assertTrue(scalars.toString().startsWith("{i: 0, u: 0, alone: 4294967295,"), scalars.toString());
        assertThrows(XdrException.class, () -> decode("scalars", "00000000".repeat(12) + "00000100"
                + "00000000".repeat(6)), "an unsigned char of 256");
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> G.type("Scalars")
                .getConstructors()[0].newInstance(0, -1L, 0L, 0L, 0L, 0f, 0d, false, 0, 0, 0, 0, 0, 0L, 0L, 0));
        assertTrue(e.getCause() instanceof IllegalArgumentException, "an unsigned int of -1 cannot be built");
    }

    @Test
    void recordsHoldingBytesCompareByContent() throws Exception {
        Object a = decode("maybe_value", "00000001 0000000000000005");
        assertEquals(a, decode("maybe_value", "00000001 0000000000000005"));
        Object p1 = decode("blob", "00000002 01020000");
        Object p2 = decode("blob", "00000002 01020000");
        assertArrayEquals((byte[]) p1, (byte[]) p2);
        Object h1 = G.types().get("holder").parse(holderText("0x0102"));
        Object h2 = G.types().get("holder").parse(holderText("0x0102"));
        Object h3 = G.types().get("holder").parse(holderText("0x0103"));
        assertEquals(h1, h2);
        assertEquals(h1.hashCode(), h2.hashCode());
        assertNotEquals(h1, h3);
    }

    static String holderText(String payload) {
        String scalars = "{i: 1, u: 2, alone: 3, h: 4, uh: 18446744073709551615, f: 1.5, d: -2.5, b: TRUE, c: -1,"
                + " uc: 255, s: -2, us: 65535, l: 7, ul: 4294967295, u32: 9, byte: 10}";
        return "{title: \"t\", fixed_handle: 0x0001020304050607, payload: " + payload + ", inline_fixed: 0x010203,"
                + " inline_var: 0x, unbounded: \"\\u0001\", numbers: [1, -2], three: [1, 2, 3], tint: RED,"
                + " palette: [BLUE], maybe: null, names: [\"a\"], blobs: [0x01, 0x0203], nested: " + scalars + "}";
    }

    @Test
    void constantsAreInOneClassPerFileWithTheirValues() throws Exception {
        Class<?> c = G.type("EverythingConstants");
        assertEquals(16, c.getField("MAX_ITEMS").get(null));
        assertEquals(0755, c.getField("OCTAL_MODE").get(null));
        assertEquals(-5, c.getField("NEGATIVE").get(null));
        assertEquals(66, c.getField("DERIVED").get(null));
        assertEquals(0x100000000L, c.getField("BIG").get(null));
        assertEquals(0x20001234, c.getField("DEMO_PROG").get(null));
        assertEquals(2, c.getField("DEMO_V2").get(null));
    }

    @Test
    void inlineTypesAreNamedAfterTheirContainer() {
        assertEquals("{point=WithInlinePoint, state=WithInlineState}", components("WithInline").toString());
        assertEquals("{a=int, b=long}", components("PairT").toString());
    }

    @Test
    void everyGeneratedTypeAndMemberCitesItsXLine() {
        Pattern declaration = Pattern.compile("\\n( *)(public |static )*(record|enum|sealed interface|final class|"
                + "interface|int|long|[A-Z][A-Za-z]*\\(\\d+\\)[,;])");
        for (GeneratedSource s : G.sources) {
            Matcher m = Pattern.compile("/\\*\\*.*?\\*/\\s*\\n[^\\n]*", Pattern.DOTALL).matcher(s.content());
            int cited = 0;
            while (m.find()) {
                if (m.group().contains("(everything.x:")) {
                    cited++;
                }
            }
            assertTrue(cited > 0, s.className() + " cites no line of everything.x");
        }
        String color = G.source("Color");
        assertTrue(color.contains("/** {@code BLUE = 7} (everything.x:15). */"), color);
        String holder = G.source("Holder");
        assertTrue(holder.contains("@param maybe {@code scalars *maybe} (everything.x:58): optional-data;"
                + " {@code null} when absent"), holder);
        assertTrue(declaration.matcher(holder).find());
    }

    @Test
    void textFormIsReadableAndParsesBack() throws Exception {
        Object h = G.types().get("holder").parse(holderText("0x0a0b"));
        String text = h.toString();
        assertTrue(text.contains("payload: 0x0a0b"), text);
        assertTrue(text.contains("uh: 18446744073709551615"), "unsigned hyper printed unsigned: " + text);
        assertTrue(text.contains("unbounded: \"\\u0001\""), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> G.types().get("holder").parse("{title: 3}"));
        assertEquals("text form, offset 8: expected '\"', found '3}'", e.getMessage());
    }
}
