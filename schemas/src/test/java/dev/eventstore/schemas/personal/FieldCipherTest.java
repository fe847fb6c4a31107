package dev.eventstore.schemas.personal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class FieldCipherTest {

    private final SecretKey key = MemoryKeyStore.fresh();

    @Test
    void aTextRoundTripsAndItsCiphertextIsPrefixedBase64WithoutTheClearText() {
        String sealed = FieldCipher.sealText(key, "Ada Lovelace ✓", "customer-7", "name");

        assertThat(sealed).startsWith(FieldCipher.TEXT_PREFIX).doesNotContain("Ada");
        assertThat(Base64.getDecoder().decode(sealed.substring(FieldCipher.TEXT_PREFIX.length()))).hasSizeGreaterThan(12 + 16);
        assertThat(FieldCipher.openText(key, sealed, "customer-7", "name")).isEqualTo("Ada Lovelace ✓");
    }

    @Test
    void bytesRoundTripBehindTheirBinaryPrefix() {
        ByteBuffer sealed = FieldCipher.sealBinary(key, ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}), "s", "photo");

        byte[] head = new byte[4];
        sealed.duplicate().get(head);
        assertThat(head).isEqualTo(FieldCipher.BINARY_PREFIX);
        assertThat(FieldCipher.openBinary(key, sealed, "s", "photo")).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}));
    }

    @Test
    void theSameValueEncryptsDifferentlyEachTimeWithAFreshNonce() {
        assertThat(FieldCipher.sealText(key, "same", "s", "f")).isNotEqualTo(FieldCipher.sealText(key, "same", "s", "f"));
    }

    @Test
    void aCiphertextWithOneBitFlippedDoesNotAuthenticate() {
        byte[] sealed = FieldCipher.seal(key, "secret".getBytes(StandardCharsets.UTF_8), "s", "f");
        sealed[sealed.length - 5] ^= 1;
        String tampered = FieldCipher.TEXT_PREFIX + Base64.getEncoder().encodeToString(sealed);

        assertThatThrownBy(() -> FieldCipher.openText(key, tampered, "s", "f"))
                .isInstanceOf(TamperedCiphertextException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void aCiphertextMovedToAnotherFieldOrSubjectDoesNotAuthenticate() {
        String sealed = FieldCipher.sealText(key, "secret", "customer-7", "name");

        assertThatThrownBy(() -> FieldCipher.openText(key, sealed, "customer-7", "email")).isInstanceOf(TamperedCiphertextException.class);
        assertThatThrownBy(() -> FieldCipher.openText(key, sealed, "customer-8", "name")).isInstanceOf(TamperedCiphertextException.class);
    }

    @Test
    void aValueThatIsNotThisStoresCiphertextIsRefusedNotShown() {
        assertThatThrownBy(() -> FieldCipher.openText(key, "Ada in clear", "s", "name"))
                .isInstanceOf(TamperedCiphertextException.class).hasMessageContaining("not hold this store's ciphertext");
        assertThatThrownBy(() -> FieldCipher.openText(key, FieldCipher.TEXT_PREFIX + "!!", "s", "name"))
                .isInstanceOf(TamperedCiphertextException.class);
        assertThatThrownBy(() -> FieldCipher.openBinary(key, ByteBuffer.wrap(new byte[] {1, 2}), "s", "photo"))
                .isInstanceOf(TamperedCiphertextException.class);
    }

    @Test
    void anotherKeyDoesNotOpenTheCiphertext() {
        String sealed = FieldCipher.sealText(key, "secret", "s", "f");

        assertThatThrownBy(() -> FieldCipher.openText(MemoryKeyStore.fresh(), sealed, "s", "f")).isInstanceOf(TamperedCiphertextException.class);
    }
}
