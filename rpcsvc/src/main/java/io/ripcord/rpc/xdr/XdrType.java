package io.ripcord.rpc.xdr;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One XDR type by its {@code .x} name, with everything a generic tool needs to work on it without knowing the
 * Java class: decode, encode, and the text form of {@link XdrText}. The registry class generated for each
 * {@code .x} file (ripcord-xdrgen) lists one per type, typedefs included.
 *
 * <p>Immutable and thread-safe; its methods make their own decoders and encoders.
 *
 * @param <T> the Java type the XDR type maps to
 */
public final class XdrType<T> {

    private final String name;
    private final XdrReader<? extends T> reader;
    private final XdrWriter<? super T> writer;
    private final BiConsumer<StringBuilder, ? super T> text;
    private final Function<XdrTextReader, ? extends T> parser;

    private XdrType(String name, XdrReader<? extends T> reader, XdrWriter<? super T> writer,
                    BiConsumer<StringBuilder, ? super T> text, Function<XdrTextReader, ? extends T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.text = Objects.requireNonNull(text, "text");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * A type.
     *
     * @param name   its {@code .x} name
     * @param reader decodes a value
     * @param writer encodes a value
     * @param text   appends a value's text form
     * @param parser reads a value from its text form
     * @param <T>    the Java type
     * @return the type
     */
    public static <T> XdrType<T> of(String name, XdrReader<? extends T> reader, XdrWriter<? super T> writer,
                                    BiConsumer<StringBuilder, ? super T> text,
                                    Function<XdrTextReader, ? extends T> parser) {
        return new XdrType<>(name, reader, writer, text, parser);
    }

    /** {@return the {@code .x} name} */
    public String name() {
        return name;
    }

    /**
     * Decodes one value at the decoder's position.
     *
     * @param decoder the source
     * @return the value
     * @throws XdrException when the bytes are not a value of this type
     */
    public T decode(XdrDecoder decoder) throws XdrException {
        return reader.read(decoder);
    }

    /**
     * Encodes one value.
     *
     * @param encoder the destination
     * @param value   the value
     * @throws IllegalArgumentException when the value breaks a limit of the declaration
     */
    public void encode(XdrEncoder encoder, T value) {
        writer.write(encoder, value);
    }

    /**
     * Decodes a buffer that must hold exactly one value (from position to limit), leaving its position alone.
     *
     * @param bytes the encoding
     * @return the value
     * @throws XdrException when the bytes are not a value of this type, or bytes are left after it
     */
    public T decodeExactly(ByteBuffer bytes) throws XdrException {
        XdrDecoder d = new XdrDecoder(bytes.duplicate());
        T value = reader.read(d);
        if (d.hasRemaining()) {
            throw new XdrException(d.remaining() + " bytes left after the " + name);
        }
        return value;
    }

    /**
     * Encodes one value into a new array.
     *
     * @param value the value
     * @return its encoding
     * @throws IllegalArgumentException when the value breaks a limit of the declaration
     */
    public byte[] encodeToBytes(T value) {
        XdrEncoder e = new XdrEncoder();
        writer.write(e, value);
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * The text form of a value.
     *
     * @param value the value
     * @return its text form
     */
    public String text(T value) {
        StringBuilder sb = new StringBuilder();
        text.accept(sb, value);
        return sb.toString();
    }

    /**
     * Reads a value from its whole text form.
     *
     * @param textForm the text form
     * @return the value
     * @throws IllegalArgumentException when the text is not a value of this type
     */
    public T parse(CharSequence textForm) {
        XdrTextReader r = new XdrTextReader(textForm);
        T value = parser.apply(r);
        r.end();
        return value;
    }

    /**
     * Decodes exactly one value and encodes it again: the canonical encoding of what the bytes say.
     *
     * @param bytes the encoding (position to limit)
     * @return the canonical re-encoding
     * @throws XdrException when the bytes are not exactly one value of this type
     */
    public byte[] roundTrip(ByteBuffer bytes) throws XdrException {
        return encodeToBytes(decodeExactly(bytes));
    }

    /**
     * Decodes exactly one value and returns its text form.
     *
     * @param bytes the encoding (position to limit)
     * @return the text form
     * @throws XdrException when the bytes are not exactly one value of this type
     */
    public String decodeToText(ByteBuffer bytes) throws XdrException {
        return text(decodeExactly(bytes));
    }

    /**
     * Encodes the value a text form describes.
     *
     * @param textForm the text form
     * @return the encoding
     * @throws IllegalArgumentException when the text is not a value of this type, or the value breaks a limit
     */
    public byte[] encodeText(CharSequence textForm) {
        return encodeToBytes(parse(textForm));
    }

    @Override
    public String toString() {
        return "XdrType[" + name + "]";
    }
}
