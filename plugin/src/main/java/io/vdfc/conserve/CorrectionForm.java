package io.vdfc.conserve;

/**
 * How the moment correction reshapes a reconstruction {@code g} (prior-art.md §2). Both forms multiply {@code g} pointwise,
 * so zeros stay zero and the block list never changes.
 *
 * @since 0.1
 */
public enum CorrectionForm {
  /**
   * {@code f' = g (1 + sum_k lambda_k phi_k)}: the closest {@code f'} in the {@code g}-weighted L2 sense; one 10x10 solve
   * (plus one step of iterative refinement). Fails rather than produce a negative value where the correction is large.
   */
  MULTIPLICATIVE(1),
  /**
   * {@code f' = g exp(-sum_k lambda_k phi_k)}: the closest {@code f'} in the Kullback-Leibler sense (MGARD-Lambda's form);
   * always positive, damped Newton, a few 10x10 solves.
   */
  EXPONENTIAL(2),
  /**
   * {@code f' = g + min(g, tau) lambda . phi}: the multiplicative form with the weight {@code g} capped at a level
   * {@code tau} stored with the targets (the codec's pointwise tolerance). Values above {@code tau} then all move by about
   * the same absolute amount instead of in proportion to themselves, so the peak is not pushed by many tolerances;
   * positivity holds at least wherever it holds for {@link #MULTIPLICATIVE}. One 10x10 solve plus refinement.
   */
  CAPPED(3),
  /**
   * {@code f' = g + min(g, tau) (exp(-lambda . phi) - 1)}: the exponential form applied to the part {@code min(g, tau)}
   * of each value only. Never negative, and no value drops by more than {@code tau}; increases are not bounded. Damped
   * Newton like {@link #EXPONENTIAL}; {@code tau} is stored with the targets.
   */
  CAPPED_EXPONENTIAL(4);

  private final int id;

  CorrectionForm(int id) {
    this.id = id;
  }

  /** Whether the form stores a weight cap {@code tau} with its targets. */
  public boolean capped() {
    return this == CAPPED || this == CAPPED_EXPONENTIAL;
  }

  /** The form's id in the targets header byte (3 bits, never reused). */
  public int id() {
    return id;
  }

  /** The form with this id, or null if none. */
  static CorrectionForm byId(int id) {
    for (CorrectionForm f : values()) {
      if (f.id == id) {
        return f;
      }
    }
    return null;
  }
}
