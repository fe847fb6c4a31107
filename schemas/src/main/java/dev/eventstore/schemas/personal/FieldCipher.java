package dev.eventstore.schemas.personal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of one field value (the JDK's provider). A fresh random 96-bit nonce per value, so the same
 * value encrypts differently each time; the subject and the field's path are the associated data, so a
 * ciphertext moved to another field or another subject's event fails to authenticate.
 *
 * <p>Wire forms, which still fit the field's Avro type: a string carries {@code ES-ENC1:} and the base64
 * (RFC 4648, padded) of nonce ‖ ciphertext ‖ tag; bytes carry the four bytes {@code ESE1} and the same
 * binary.
 */
final class FieldCipher {

    static final String TEXT_PREFIX = "ES-ENC1:";
    static final byte[] BINARY_PREFIX = {'E', 'S', 'E', '1'};
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FieldCipher() {}

    static String sealText(SecretKey key, String plain, String subject, String path) {
        return TEXT_PREFIX + Base64.getEncoder().encodeToString(seal(key, plain.getBytes(StandardCharsets.UTF_8), subject, path));
    }

    static ByteBuffer sealBinary(SecretKey key, ByteBuffer plain, String subject, String path) {
        byte[] bytes = new byte[plain.remaining()];
        plain.duplicate().get(bytes);
        byte[] sealed = seal(key, bytes, subject, path);
        ByteBuffer out = ByteBuffer.allocate(BINARY_PREFIX.length + sealed.length);
        return out.put(BINARY_PREFIX).put(sealed).flip();
    }

    /** @throws TamperedCiphertextException when the text is not this store's ciphertext or does not authenticate */
    static String openText(SecretKey key, CharSequence sealed, String subject, String path) {
        return new String(open(key, textBody(sealed, path), subject, path), StandardCharsets.UTF_8);
    }

    static ByteBuffer openBinary(SecretKey key, ByteBuffer sealed, String subject, String path) {
        return ByteBuffer.wrap(open(key, binaryBody(sealed, path), subject, path));
    }

    /** Checks the wire form only (a forgotten subject's values are erased, yet a value that was never ciphertext is an error). */
    static void requireText(CharSequence sealed, String path) {
        textBody(sealed, path);
    }

    static void requireBinary(ByteBuffer sealed, String path) {
        binaryBody(sealed, path);
    }

    private static byte[] textBody(CharSequence sealed, String path) {
        String text = sealed.toString();
        if (!text.startsWith(TEXT_PREFIX)) {
            throw new TamperedCiphertextException("personal field " + path + " does not hold this store's ciphertext");
        }
        try {
            return Base64.getDecoder().decode(text.substring(TEXT_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new TamperedCiphertextException("personal field " + path + " holds ciphertext that is not base64", e);
        }
    }

    private static byte[] binaryBody(ByteBuffer sealed, String path) {
        byte[] bytes = new byte[sealed.remaining()];
        sealed.duplicate().get(bytes);
        if (bytes.length < BINARY_PREFIX.length || !Arrays.equals(bytes, 0, BINARY_PREFIX.length, BINARY_PREFIX, 0, BINARY_PREFIX.length)) {
            throw new TamperedCiphertextException("personal field " + path + " does not hold this store's ciphertext");
        }
        return Arrays.copyOfRange(bytes, BINARY_PREFIX.length, bytes.length);
    }

    static byte[] seal(SecretKey key, byte[] plain, String subject, String path) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(subject, path));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    static byte[] open(SecretKey key, byte[] sealed, String subject, String path) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new TamperedCiphertextException("personal field " + path + " holds a ciphertext too short to authenticate");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(subject, path));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new TamperedCiphertextException("personal field " + path + " of data subject " + subject
                    + " does not authenticate: altered, or moved from another field or subject", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** Subject and path, separated by a character neither can hold unnoticed (NUL), so no two pairs give the same bytes. */
    private static byte[] associatedData(String subject, String path) {
        return (subject + '\u0000' + path).getBytes(StandardCharsets.UTF_8);
    }
}
