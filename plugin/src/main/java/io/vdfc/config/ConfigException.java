package io.vdfc.config;

/**
 * A configuration file that cannot be used: the message starts with {@code source:line:} (or {@code source:} when no
 * line applies) and names the key, its value and what is allowed.
 *
 * @since 0.1
 */
public class ConfigException extends IllegalArgumentException {
  private final String source;
  private final int line;

  public ConfigException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  /** The file or source name. */
  public String source() {
    return source;
  }

  /** The 1-based line, or 0 when the problem has no single line (a missing key). */
  public int line() {
    return line;
  }
}
