package io.vdfc.verify;

/**
 * A candidate lacks VDFs its original has (a population, a cell), or has some the original has not: the comparison
 * cannot go on, and its answer is that the two differ. {@code vdfc verify} exits 1 for it, as for any failed check (it
 * had exited 2, "bad usage", which a script reads as its own mistake rather than a damaged candidate).
 */
public final class ContentMismatch extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContentMismatch(String message) {
    super(message);
  }
}
