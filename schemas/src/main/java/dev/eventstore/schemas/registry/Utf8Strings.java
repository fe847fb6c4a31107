package dev.eventstore.schemas.registry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.util.Utf8;

/**
 * Avro strings are UTF-8 on the wire. Java's own conversions replace what UTF-8 cannot carry (an unpaired
 * surrogate becomes {@code ?}, an invalid byte U+FFFD) without a word; these checks refuse instead, so a
 * value is never altered on its way.
 */
public final class Utf8Strings {

    private Utf8Strings() {}

    /** The index of the first unpaired UTF-16 surrogate in {@code text}, or -1 when it has none. */
    public static int unpairedSurrogateAt(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A decoded Avro string as a Java string.
     *
     * @throws IllegalArgumentException when it is an Avro {@link Utf8} whose bytes are not valid UTF-8 (written
     *     by another client): decoding would replace them
     */
    public static String decode(Object avroString) {
        String text = avroString.toString();
        if (!(avroString instanceof Utf8 utf8) || text.indexOf('\uFFFD') < 0) {
            return text; // no replacement character: nothing was replaced (the common case, checked cheaply)
        }
        if (!isValidUtf8(utf8.getBytes(), utf8.getByteLength())) {
            throw new IllegalArgumentException("a string holds bytes that are not valid UTF-8");
        }
        return text;
    }

    /** Whether the first {@code length} of {@code bytes} are valid UTF-8. */
    public static boolean isValidUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code value} cannot be written as UTF-8 as it is
     */
    static void requireEncodable(Object value) {
        if (value instanceof Utf8) {
            decode(value);
            return;
        }
        CharSequence text = (CharSequence) value;
        int at = unpairedSurrogateAt(text);
        if (at >= 0) {
            throw new IllegalArgumentException(String.format("a string holds an unpaired UTF-16 surrogate U+%04X at index %d;"
                    + " Avro strings are UTF-8, which cannot carry it (it would become '?')", (int) text.charAt(at), at));
        }
    }
}
