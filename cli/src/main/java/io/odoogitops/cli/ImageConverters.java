package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Digests and pinned references are parsed once, where they enter: picocli hands the commands typed values, and a bad
 * one is bad input (exit 2) with the core's message, naming the option it came from.
 */
final class ImageConverters {

  private ImageConverters() {}

  /** {@code sha256:} and 64 lowercase hex digits, for {@code --digest}, {@code --image-digest} and the like. */
  static final class Digest implements ITypeConverter<ImageDigest> {
    @Override
    public ImageDigest convert(String value) {
      if (!ImageDigest.isValid(value)) {
        throw new Refused(value);
      }
      return new ImageDigest(value);
    }
  }

  /** {@code repository[:tag]@sha256:<64 hex>}, for {@code --image} where a command needs a pinned reference. */
  static final class Pinned implements ITypeConverter<ImageRef> {
    @Override
    public ImageRef convert(String value) {
      return ImageRef.parse(value);
    }
  }

  /** A digest picocli refused; the message is written by {@link #message}, which knows the option. */
  static final class Refused extends TypeConversionException {
    private static final long serialVersionUID = 1L;
    private final String value;

    Refused(String value) {
      super("not an image digest");
      this.value = value;
    }
  }

  /** The core's wording for a value a converter above refused, or empty for any other parse error. */
  static Optional<String> message(ParameterException ex) {
    if (ex.getCause() instanceof ReleaseException refused) {
      return Optional.of(refused.getMessage());
    }
    if (ex.getCause() instanceof Refused refused) {
      String option = ex.getArgSpec() instanceof OptionSpec o ? o.longestName() : "the digest";
      try {
        ImageDigest.parse(refused.value, option);
      } catch (ReleaseException e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }
}
