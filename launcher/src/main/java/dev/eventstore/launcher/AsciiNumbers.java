package dev.eventstore.launcher;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Whole numbers on the command line are ASCII digits, with an optional minus sign: Java's own parsing
 * (and so picocli's) also reads other scripts' digits, so that {@code --limit ١٠} would be read as 10.
 */
final class AsciiNumbers {

    private AsciiNumbers() {}

    /** Makes every {@code int}/{@code long} option and parameter of {@code commandLine} and its subcommands use these rules. */
    static void register(CommandLine commandLine) {
        ITypeConverter<Long> longs = text -> Long.parseLong(requireAscii(text));
        ITypeConverter<Integer> ints = text -> Integer.parseInt(requireAscii(text));
        commandLine.registerConverter(Long.class, longs).registerConverter(long.class, longs)
                .registerConverter(Integer.class, ints).registerConverter(int.class, ints);
    }

    private static String requireAscii(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || !text.substring(start).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TypeConversionException("'" + text + "' is not a whole number in ASCII digits");
        }
        return text;
    }
}
