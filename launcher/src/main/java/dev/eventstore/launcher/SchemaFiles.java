package dev.eventstore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/** Reads an Avro schema file given on the command line. */
final class SchemaFiles {

    private SchemaFiles() {}

    /** @throws UsageException with one line naming the file and what is wrong with it */
    static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UsageException("cannot read Avro schema " + file + ": no such file");
        } catch (IOException | AvroRuntimeException | IllegalArgumentException e) {
            throw new UsageException("cannot read Avro schema " + file + ": " + problem(e));
        }
    }

    /** Avro wraps the JSON parser's error in its own, whose message then holds the parser's class name and source. */
    private static String problem(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return "not valid JSON: " + json.getOriginalMessage() + (json.getLocation() == null ? ""
                        : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")");
            }
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
