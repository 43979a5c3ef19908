package io.vdfc.adapter;

/** A failure of the adapter that maps to a specific C status code ({@link Status}). */
public final class AdapterException extends RuntimeException {
  private final int status;

  public AdapterException(int status, String message) {
    super(message);
    this.status = status;
  }

  public AdapterException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The {@link Status} code the C API returns for this failure. */
  public int status() {
    return status;
  }
}
