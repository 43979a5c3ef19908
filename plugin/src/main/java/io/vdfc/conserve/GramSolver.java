package io.vdfc.conserve;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Cholesky solves with one symmetric positive definite {@code K x K} Gram matrix (EJML, pure Java, deterministic).
 * A matrix that does not factor, or whose Cholesky factor has a diagonal ratio below {@link #MIN_QUALITY} (roughly a
 * condition number above 1e20), is reported singular: the points do not pin down all ten moments (too few values, or all
 * of them on one plane or quadric).
 */
final class GramSolver {
  /** Smallest accepted {@code min/max} of the Cholesky factor's diagonal. */
  static final double MIN_QUALITY = 1e-10;

  private final LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(MomentProblem.K);
  private final DMatrixRMaj rhs = new DMatrixRMaj(MomentProblem.K, 1);
  private final DMatrixRMaj x = new DMatrixRMaj(MomentProblem.K, 1);
  private double quality;

  /**
   * Factors {@code gram} (row-major, K*K; not modified).
   *
   * @return false if the matrix is singular or too ill-conditioned
   */
  boolean factor(double[] gram) {
    for (double v : gram) {
      if (!Double.isFinite(v)) {
        quality = 0;
        return false;
      }
    }
    DMatrixRMaj m = new DMatrixRMaj(MomentProblem.K, MomentProblem.K, true, gram);
    if (!solver.setA(m)) {
      quality = 0;
      return false;
    }
    quality = solver.quality();
    return quality >= MIN_QUALITY;
  }

  /** The last factor's diagonal ratio (0 when it failed). */
  double quality() {
    return quality;
  }

  /**
   * Solves with the last factored matrix.
   *
   * @param b right-hand side, length K. Not modified.
   * @param out solution, length K. Modified.
   */
  void solve(double[] b, double[] out) {
    System.arraycopy(b, 0, rhs.data, 0, MomentProblem.K);
    solver.solve(rhs, x);
    System.arraycopy(x.data, 0, out, 0, MomentProblem.K);
  }
}
