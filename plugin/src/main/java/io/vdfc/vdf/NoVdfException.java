package io.vdfc.vdf;

import java.nio.file.Path;

/**
 * A file that holds no velocity distribution functions at all (no population: a VLSV file without {@code
 * BLOCKSPERCELL}, {@code BLOCKIDS} and {@code BLOCKVARIABLE} arrays, e.g. a bulk file written without VDF output), given
 * to a command that works on VDFs. Bad input, not bad usage: the message names the file.
 */
public final class NoVdfException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param what what the command could not do, e.g. {@code nothing to compress} */
  public NoVdfException(Path file, String what) {
    super(file + " holds no velocity distribution functions (no population: its footer has no BLOCKSPERCELL array)"
        + (what == null ? "" : ": " + what));
  }
}
