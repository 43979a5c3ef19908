package io.vdfc.compress;

/** Input VDF data that no codec may store as given: the message names population, cell and block. */
public class BadVdfException extends IllegalArgumentException {
  public BadVdfException(String message) {
    super(message);
  }
}
