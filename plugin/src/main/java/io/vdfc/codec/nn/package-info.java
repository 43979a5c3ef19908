/**
 * The learned codecs' shared machinery, pure Java (no Python, no native ML runtime at encode or decode time): a
 * fully connected ReLU network ({@link io.vdfc.codec.nn.DenseNet}) with hand-written axpy kernels, mini-batch Adam
 * ({@link io.vdfc.codec.nn.Trainer}; seeded, multi-threaded over fixed gradient chunks summed in a fixed order, so the
 * result does not depend on the thread count), weight quantisation ({@link io.vdfc.codec.nn.Quantiser}), velocity
 * features with random Fourier features ({@link io.vdfc.codec.nn.Coordinates}), the log scaling of densities
 * ({@link io.vdfc.codec.nn.LogScale}) and the zfpb residual stage that makes every learned codec meet a pointwise
 * tolerance ({@link io.vdfc.codec.nn.ResidualStage}).
 *
 * <p>Codecs built on it: {@code mlp} (20) and {@code mlpff} (21) per cell ({@link io.vdfc.codec.nn.CoordinateMlp}),
 * {@code mlpmulti} (22, one network per population, a latent vector per cell), and {@code vq} (24, a k-means codebook
 * of 4x4x4 block shapes; not a network).
 *
 * <p>Which wins where (measured on a shared, heavily loaded 2-core machine, 2026-11-24):
 * <ul>
 *   <li>Study VDF (50^3, reference 500,000 B), model alone ({@code residual=off}, as the study measured): {@code mlp}
 *       4x25, 20 epochs: 157x at L2 0.113, n 0.29 % (study: 87.7x at L2 0.77); {@code mlpff} order 16: 120x at L2
 *       0.118, L1 0.125, n 0.42 %, 7-23 s on one core (study: 32.7x at L2 0.224 in 31 s). Not error-bounded.
 *   <li>Study VDF with the pointwise bound: {@code mlpff} at 1e-14 gives 54.5x at L2 0.055 where {@code zfpb} gives
 *       39.1x at L2 0.059: on a large, smooth VDF the network pays for itself.
 *   <li>Real ipshock restart at 1*minValue, file level, moments conserved: {@code zfpb} 9.02x, {@code mlpmulti} 8.10x,
 *       {@code vq} 8.01x: on Vlasiator's small sparse cells at a tight bound the residual carries most of the bytes and
 *       a prediction makes it noisier, so plain {@code zfpb} wins. Use the learned codecs for large, smooth VDFs or
 *       loose bounds; use {@code zfpb} for restarts at minValue-level bounds.
 * </ul>
 */
package io.vdfc.codec.nn;
