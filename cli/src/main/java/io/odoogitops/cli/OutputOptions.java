package io.odoogitops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.odoogitops.ReleaseException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --output text|json}, mixed into every command that reports something. JSON goes to stdout alone so that
 * scripts can pipe it; progress and human text go to stderr in JSON mode.
 */
public final class OutputOptions {

  public enum Format { text, json }

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  public boolean json() {
    return format == Format.json;
  }

  /** Prints {@code value} as JSON when asked to, otherwise the human text. */
  public void print(PrintWriter out, Object value, String humanText) {
    if (json()) {
      out.println(toJson(value));
    } else {
      out.println(humanText);
    }
    out.flush();
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "cannot write JSON output: "
          + e.getOriginalMessage(), e);
    }
  }
}
