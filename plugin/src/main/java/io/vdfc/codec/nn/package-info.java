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
 * <p>Which wins where (measured; see the issue-5 report): on the method study's dense VDF, the model alone
 * ({@code residual=off}) of {@code mlp} and {@code mlpff} is far better than the study's rows (about 120-157x at L2
 * 0.11-0.12 against the study's 32.7x at L2 0.224), but it is not error-bounded. With a pointwise bound, which vdfc
 * always enforces, the zfpb residual carries most of the bytes and plain {@code zfpb} stays the better choice on the
 * real restart; see the figures in the codecs' reports before choosing a learned codec.
 */
package io.vdfc.codec.nn;
