package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: bad input on the command line is refused with exit status 2 and one line saying what is wrong,
 * never altered on its way and never answered with a stack trace. Checked before any server is asked, so
 * these run without one.
 */
class CommandInputTest {

    private static final String DEPOSITED = "schemas/src/main/avro/example/MoneyDeposited.avsc";

    @TempDir
    Path dir;

    @Test
    void aBlankStreamIdIsRefused() {
        assertRefused("stream id must not be blank", append("--stream", "  ", "--data", "{}"));
    }

    @Test
    void aStreamIdThatInvalidUtf8BecameIsRefusedNotStoredWithAReplacementCharacter() {
        assertRefused("stream id holds U+FFFD, the replacement character", append("--stream", "Account-\uFFFD", "--data", "{}"));
    }

    @Test
    void aStreamIdNotInNormalFormCIsRefused() {
        assertRefused("stream id is not in Unicode normal form C (NFC)", append("--stream", "Cafe\u0301-1", "--data", "{}"));
    }

    @Test
    void anExpectedVersionInAnotherScriptsDigitsIsRefused() {
        assertRefused("expected version must be any, no-stream, exists or a number, not '\u0661'",
                append("--expected", "\u0661", "--data", "{}"));
    }

    @Test
    void aLimitInAnotherScriptsDigitsIsRefused() {
        assertRefused("'\u0661\u0660' is not a whole number in ASCII digits", "read", "--all", "--limit", "\u0661\u0660");
    }

    @Test
    void jsonWithTrailingContentIsRefused() throws Exception {
        assertRefused("--data is not valid JSON: Trailing token", append("--schema", schemaFile().toString(),
                "--data", "{\"accountId\": \"1\", \"amountCents\": 5} {\"amountCents\": 7}"));
        assertRefused("--data is not valid JSON: Unrecognized token 'garbage'", append("--schema", schemaFile().toString(),
                "--data", "{\"accountId\": \"1\", \"amountCents\": 5} garbage"));
    }

    @Test
    void jsonWithADuplicateKeyIsRefused() throws Exception {
        assertRefused("--data is not valid JSON: Duplicate field 'amountCents'", append("--schema", schemaFile().toString(),
                "--data", "{\"accountId\": \"1\", \"amountCents\": 5, \"amountCents\": 7}"));
    }

    @Test
    void aTypeThatIsNotTheSchemasRecordNameIsRefused() throws Exception {
        assertRefused("--type AccountOpened does not match the record name of " + schemaFile() + " (dev.eventstore.example.bank.MoneyDeposited)",
                "append", "--stream", "Account-1", "--type", "AccountOpened", "--schema", schemaFile().toString(),
                "--data", "{\"accountId\": \"1\", \"amountCents\": 5}");
    }

    @Test
    void aSchemaFileThatIsNotJsonGetsOneLineNamingTheFile() throws Exception {
        Path broken = dir.resolve("broken.avsc");
        Files.writeString(broken, "{\"type\": \"record\", \"name\": \"X\", \"fields\": [");
        assertRefused("cannot read Avro schema " + broken + ": not valid JSON", append("--schema", broken.toString(), "--data", "{}"));
    }

    @Test
    void aSchemaFileWithABadDefaultGetsOneLineNamingTheFile() throws Exception {
        Path badDefault = dir.resolve("default.avsc");
        Files.writeString(badDefault, "{\"type\": \"record\", \"name\": \"MoneyDeposited\", \"fields\": ["
                + "{\"name\": \"a\", \"type\": \"int\", \"default\": \"x\"}]}");
        assertRefused("cannot read Avro schema " + badDefault + ": Invalid default for field a", append("--schema", badDefault.toString(),
                "--data", "{}"));
    }

    @Test
    void aMissingSchemaFileGetsOneLineNamingTheFile() {
        Path missing = dir.resolve("missing.avsc");
        assertRefused("cannot read Avro schema " + missing + ": no such file", append("--schema", missing.toString(), "--data", "{}"));
    }

    /** An append of a MoneyDeposited to Account-1 with these arguments replacing or adding to the defaults. */
    private static String[] append(String... overrides) {
        List<String> args = new ArrayList<>(List.of("append", "--stream", "Account-1", "--type", "MoneyDeposited"));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = args.indexOf(overrides[i]);
            if (at >= 0) {
                args.set(at + 1, overrides[i + 1]);
            } else {
                args.add(overrides[i]);
                args.add(overrides[i + 1]);
            }
        }
        return args.toArray(String[]::new);
    }

    private static Path schemaFile() {
        Path here = Path.of("").toAbsolutePath();
        return (Files.exists(here.resolve(DEPOSITED)) ? here : here.getParent()).resolve(DEPOSITED);
    }

    private static void assertRefused(String expected, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setErr(original);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; it printed:%n%s", printed).isEqualTo(Main.BAD_INPUT);
        assertThat(printed).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
        if (args[0].equals("append")) {
            assertThat(printed.strip().lines()).as("one line:%n%s", printed).hasSize(1);
        }
    }
}
